// Benchmark peer: a plain socket.io 4.8 server, namespace "/".
//   emit('join', room[, ack])            join a room (also: connect with ?room=NAME in the handshake query)
//   emit('broadcast', room, payload)      -> io.to(room).emit('broadcast', payload), sender included
//   emit('echo', data, ack)               -> ack(data); without an ack -> emit('echo', data) back
//   idle sockets are simply held (engine.io heartbeats as configured by default)
//   GET /health                           200 (plain http handler on the same server; after Redis is connected)
// Binds 127.0.0.1 only; logs nothing per message. Transports: socket.io defaults (polling + websocket).
// Scale-out: `--redis HOST:PORT` (or env REDIS=HOST:PORT) uses @socket.io/redis-adapter over the `redis` client
// (one publishing and one subscribing connection), so io.to(room).emit reaches the room's members on every node.
import http from 'node:http';
import { answerHealth, parsePort } from '../shared/common.mjs';
import { Server } from 'socket.io';

const server = http.createServer((req, res) => {
  if (answerHealth(req, res)) return;
  // socket.io answers its own /socket.io/ requests before this handler sees them.
  if (!req.url.startsWith('/socket.io/')) {
    res.writeHead(404);
    res.end();
  }
});

const io = new Server(server, { serveClient: false });

const redisArg = process.argv.indexOf('--redis');
const redisAddress = redisArg >= 0 ? process.argv[redisArg + 1] : process.env.REDIS;
let redisClients = [];
if (redisAddress) {
  const { createClient } = await import('redis');
  const { createAdapter } = await import('@socket.io/redis-adapter');
  const pub = createClient({ url: `redis://${redisAddress}` });
  const sub = pub.duplicate();
  for (const c of [pub, sub]) c.on('error', (e) => console.error(`redis: ${e.message}`));
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub));
  redisClients = [pub, sub];
  console.log(`node-socketio peer: @socket.io/redis-adapter on redis://${redisAddress}`);
}

io.on('connection', (socket) => {
  const room = socket.handshake.query.room;
  if (typeof room === 'string' && room.length > 0) socket.join(room);

  socket.on('join', (name, ack) => {
    socket.join(String(name));
    if (typeof ack === 'function') ack('ok');
  });
  socket.on('broadcast', (name, payload) => {
    io.to(String(name)).emit('broadcast', payload);
  });
  socket.on('echo', (data, ack) => {
    if (typeof ack === 'function') ack(data);
    else socket.emit('echo', data);
  });
});

const port = parsePort(5002);
server.listen(port, '127.0.0.1', () => console.log(`node-socketio peer listening on 127.0.0.1:${port}`));

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    io.close(() => Promise.allSettled(redisClients.map((c) => c.quit())).then(() => process.exit(0)));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
