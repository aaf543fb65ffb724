// Benchmark peer: ASP.NET Core Kestrel + app.UseWebSockets(), written the way a competent user
// would write it from the docs — not tuned, not handicapped.
//   /echo                 echo each message (text as text, binary as binary)
//   /broadcast?room=NAME  every message goes to every member of the room, sender included
//   idle connections are simply held
//   GET /health           200
using ComparePeers;
using KestrelPeer;

var app = PeerHost.CreateBuilder(args, defaultPort: 5003).Build();
app.UseWebSockets();
app.MapGet("/health", () => "ok");

var rooms = new Rooms();
app.Map("/echo", EchoEndpoint.HandleAsync);
app.Map("/broadcast", context => BroadcastEndpoint.HandleAsync(context, rooms));

app.Run();
