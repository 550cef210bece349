using Tacit.Cli;

return await TacitCli.RunAsync(args);
