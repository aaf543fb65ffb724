// Benchmark peer: the common Node `ws` server pattern, as a competent user would write it.
//   /echo                 echo each message back (text as text, binary as binary)
//   /broadcast?room=NAME  every message goes to every member of the room, sender included
//   any connection left idle is simply held (idle-hold scenario)
//   GET /health           200
// Binds 127.0.0.1 only; logs nothing per message.
import http from 'node:http';
import { answerHealth, parsePort } from '../shared/common.mjs';
import { WebSocketServer } from 'ws';

const DEFAULT_ROOM = 'default';
const rooms = new Map(); // room name -> Set<WebSocket>

const server = http.createServer((req, res) => {
  if (answerHealth(req, res)) return;
  res.writeHead(404);
  res.end();
});

// perMessageDeflate off: it is ws's default, stated here because the comparison assumes it.
const wss = new WebSocketServer({ server, perMessageDeflate: false });

wss.on('connection', (ws, req) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/echo') {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  } else if (url.pathname === '/broadcast') {
    joinRoom(ws, url.searchParams.get('room') || DEFAULT_ROOM);
  } else {
    ws.close(1008, 'unknown path');
  }
  ws.on('error', () => {}); // a reset peer must not crash the server
});

function joinRoom(ws, name) {
  let room = rooms.get(name);
  if (!room) rooms.set(name, (room = new Set()));
  room.add(ws);
  ws.on('message', (data, isBinary) => {
    for (const c of room) {
      if (c.readyState === 1) c.send(data, { binary: isBinary });
    }
  });
  ws.on('close', () => {
    room.delete(ws);
    if (room.size === 0 && rooms.get(name) === room) rooms.delete(name);
  });
}

const port = parsePort(5001);
server.listen(port, '127.0.0.1', () => console.log(`node-ws peer listening on 127.0.0.1:${port}`));

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const c of wss.clients) c.terminate();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
