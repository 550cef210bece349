using System.CommandLine;
using Tacit.Cli;
using Tacit.Cli.Matching;

var root = new RootCommand("tacit: operator tasks on the web app's database (Database__Provider, ConnectionStrings__Default), and the matching engine on instance files.")
{
    OperatorCommands.Demo(),
    OperatorCommands.Organisation(),
    OperatorCommands.Token(),
    MatchingCommands.Match(),
    MatchingCommands.GenerateInstance(),
};
return await root.Parse(args).InvokeAsync();
