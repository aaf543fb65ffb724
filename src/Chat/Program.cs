using System.CommandLine;
using FastRealtime.Chat.Auth;
using FastRealtime.Chat.Hosting;

// Socket completions run their continuations on the epoll thread instead of hopping to the thread pool: one hop
// less per message. Read once by the runtime when the first socket is created, so it must be set first thing.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

var root = new RootCommand("FastRealtime: a real-time messaging server (WebSocket, Socket.IO)")
{
    ServeCommand.Create(),
    TokenCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
