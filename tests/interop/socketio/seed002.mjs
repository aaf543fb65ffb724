// Seed 002's front-end code (shared/seeds/002_d3b4c0f79bc2d9f1.txt, sections 9 and 11) against FastRealtime.
// The snippet's statements run as written; only the URL (the test server's port) and TypeScript-only syntax
// (type imports and annotations) are adapted, and localStorage is provided. Its console output is checked.
// Usage: node seed002.mjs <base url> [tokens json: {paco, francisca, adminKey}]
// Without tokens the test server's fake tokens are used and it greets each /notifications socket with a notification;
// with them (the real chat composition) the notification is pushed through POST /api/notifications.
import { io } from "socket.io-client";
import { assert, until } from "./lib.mjs";

const base = process.argv[2];
const real = process.argv[3] ? JSON.parse(process.argv[3]) : null;
const tokenOf = (who) => (real ? real[who] : `token-${who}`);
const lines = [];
const log = console.log;
console.log = (...args) => lines.push(args.join(" "));
globalThis.localStorage = { getItem: (key) => (key === "accessToken" ? tokenOf("paco") : null) };
const seen = (text) => lines.some((line) => line.includes(text));

// Another user already in room "general", to show the snippet's listeners at work.
const observer = io(base + "/chat", { auth: { token: tokenOf("francisca") }, reconnection: false });
const observed = [];
observer.on("chat:message", (m) => observed.push(m));
await new Promise((r) => observer.on("connect", r));
await observer.emitWithAck("chat:join-room", { roomId: "general" });

let exitCode = 0;
try {
  // ---- seed 002, section 9 "Cómo se conecta el cliente" ----
  const socket = io(base + '/chat', {
    auth: {
      token: localStorage.getItem('accessToken'),
    },
    // Reconexión automática de Socket.IO
    reconnection: true,
    reconnectionAttempts: 5,
    reconnectionDelay: 2000,
  });
  // Conectar
  socket.on('connect', () => {
    console.log('Conectado al chat');
  });
  // Unirse a un room
  socket.emit('chat:join-room', { roomId: 'general' }, (response) => {
    // response está tipado como JoinRoomAckPayload
    console.log(`${response.users.length} usuarios en el room`);
    console.log(`${response.recentMessages.length} mensajes recientes`);
  });
  // Enviar un mensaje con acknowledgement
  socket.emit('chat:send-message', { roomId: 'general', text: 'Hola a todos!' }, (ack) => {
    // ack está tipado como MessageAckPayload
    console.log(`Mensaje ${ack.id} entregado a las ${ack.sentAt}`);
  });
  // Escuchar mensajes entrantes
  socket.on('chat:message', (message) => {
    // message está tipado como ChatMessagePayload
    console.log(`${message.userName}: ${message.text}`);
  });
  // Escuchar indicador de typing
  socket.on('chat:typing', (data) => {
    // data está tipado como TypingPayload
    if (data.isTyping) {
      console.log(`${data.userName} está escribiendo...`);
    }
  });
  // ---- end of section 9 ----

  await until(() => seen("Conectado al chat"), "connect");
  await until(() => seen("usuarios en el room") && seen("entregado a las"), "the two acks");
  assert.ok(seen("2 usuarios en el room"), lines.join("\n"));
  assert.ok(seen("0 mensajes recientes"), lines.join("\n"));
  await until(() => observed.length === 1, "the observer receiving the snippet's message");
  assert.equal(observed[0].text, "Hola a todos!");
  assert.equal(observed[0].userName, "paco");

  observer.emit("chat:typing-start", { roomId: "general" });
  observer.emit("chat:send-message", { roomId: "general", text: "Hola Paco" });
  await until(() => seen("francisca está escribiendo...") && seen("francisca: Hola Paco"), "the snippet's listeners");
  assert.ok(!seen("paco: Hola a todos!"), "the sender does not get its own message back");

  // ---- seed 002, section 11: one client, two namespaces ----
  const token = localStorage.getItem('accessToken');
  const chatSocket = io(base + '/chat', { auth: { token } });
  const notifSocket = io(base + '/notifications', { auth: { token } });
  // ---- end of section 11 ----
  const notified = new Promise((resolve) => notifSocket.on("notification:new", (...a) => resolve(a)));
  if (real) {
    await until(() => notifSocket.connected, "the notifications namespace");
    const sent = await fetch(base + "/api/notifications", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${real.adminKey}` },
      body: JSON.stringify({ userId: "u-paco", type: "info", title: "Bienvenido", message: "Hola Paco" }),
    });
    assert.equal(sent.status, 202);
  }
  const [notification] = await notified;
  await until(() => chatSocket.connected && notifSocket.connected, "both namespaces");
  assert.equal(notification.type, "info");
  for (const s of [socket, chatSocket, notifSocket]) s.close();
  log("ok seed002");
} catch (error) {
  log(lines.join("\n"));
  log(`FAIL seed002: ${error?.stack ?? error}`);
  exitCode = 1;
} finally {
  observer.close();
  setTimeout(() => process.exit(exitCode), 50);
}
