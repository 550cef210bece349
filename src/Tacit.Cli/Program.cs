using System.CommandLine;
using Tacit.Cli;

var root = new RootCommand("tacit: run Tacit's operator tasks against the same database as the web app (Database__Provider, ConnectionStrings__Default).")
{
    OperatorCommands.Demo(),
    OperatorCommands.Organisation(),
    OperatorCommands.Token(),
};
return await root.Parse(args).InvokeAsync();
