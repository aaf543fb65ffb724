using FastRealtime.LoadGen.Cli;

return await LoadGenCli.Build(CliRunner.RunAsync).Parse(args).InvokeAsync();
