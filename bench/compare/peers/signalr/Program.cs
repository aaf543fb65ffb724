// Benchmark peer: an ASP.NET Core SignalR hub, JSON hub protocol, as the docs show it.
// Wire format for load generators: README.md in this folder.
//   /hub          hub endpoint (WebSockets transport, negotiation may be skipped)
//   GET /health   200
using ComparePeers;
using SignalRPeer;

var builder = PeerHost.CreateBuilder(args, defaultPort: 5004);
builder.Services.AddSignalR();

var app = builder.Build();
app.MapGet("/health", () => "ok");
app.MapHub<BenchHub>("/hub");

app.Run();
