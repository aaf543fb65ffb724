// The FastRealtime chat page: signing in, the two Socket.IO connections (/chat, /notifications) and the chat state.
// Plain JavaScript modules, no build step, no framework; view.js draws. `io` is the global of socket.io.min.js.
import {
  ui, setStatus, addError, showSignIn, showChat, setComposerEnabled, messageItem, markDelivered, markFailed,
  pendingMessage, appendMessages, replaceMessages, renderPresence, renderTypists, addNotification,
} from "./view.js";

const ACK_TIMEOUT_MS = 10000; // how long a join or a send waits for the server's ack before it is shown as failed
const TYPING_IDLE_MS = 2000; // typing-stop is sent after this much quiet in the message box
const TYPING_EXPIRY_MS = 6000; // a remote "is typing" disappears by itself if its typing-stop is lost

const developmentMode = document.documentElement.dataset.authMode === "development";

const state = {
  me: null, // {userId, userName}
  chat: null, // the /chat socket
  notifications: null, // the /notifications socket
  room: null, // the joined room id
  joining: null, // the room a chat:join-room is on its way for
  presence: new Map(), // userId -> userName, for the joined room
  typists: new Map(), // userId -> {userName, expiry}
  typing: null, // the room we told "typing-start", or null
  typingTimer: 0,
};

// ---------------------------------------------------------------- signing in

function start() {
  if (typeof io !== "function") {
    showSignIn(developmentMode, "The Socket.IO client script did not load; reload the page.");
    return;
  }
  const params = new URLSearchParams(location.search);
  const token = params.get("token");
  if (!token) {
    showSignIn(developmentMode);
    return;
  }
  // Keep the token out of the address bar, the history and bookmarks.
  params.delete("token");
  const query = params.toString();
  history.replaceState(null, "", location.pathname + (query ? `?${query}` : ""));
  connect(token, identityFromToken(token));
}

ui.nameForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = ui.nameInput.value.trim();
  if (!name) return showSignIn(developmentMode, "Enter a name.");
  try {
    const issued = await requestDevelopmentToken(name);
    connect(issued.token, { userId: issued.userId, userName: issued.userName });
  } catch (error) {
    showSignIn(developmentMode, `Could not get a development token: ${error.message}`);
  }
});

ui.tokenForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const token = ui.tokenInput.value.trim();
  if (!token) return showSignIn(developmentMode, "An access token is required to chat.");
  connect(token, identityFromToken(token));
});

async function requestDevelopmentToken(name) {
  const response = await fetch("/api/dev/token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name }),
  });
  const body = await response.json().catch(() => ({}));
  // Refusals come as {message} (e.g. a name that is too long); anything else is reported by its status.
  if (!response.ok) throw new Error(body.message || `the server answered ${response.status}`);
  return body; // {token, userId, userName}
}

/** Who the token says we are (only to mark our own messages; the server decides who we really are). */
function identityFromToken(token) {
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return { userId: String(claims.sub ?? ""), userName: String(claims.name ?? claims.sub ?? "") };
  } catch {
    return { userId: "", userName: "" };
  }
}

// ---------------------------------------------------------------- connection

function connect(token, me) {
  disconnect();
  state.me = me;
  setStatus("connecting", "Connecting…");
  const options = { auth: { token }, transports: ["websocket", "polling"] };
  const chat = io("/chat", options);
  const notifications = io("/notifications", options);
  state.chat = chat;
  state.notifications = notifications;

  chat.on("connect", () => {
    setStatus("connected", `Connected as ${state.me.userName || "you"}`);
    showChat();
    // Rooms live on the server and are gone after a reconnect: join again.
    joinRoom(state.room ?? (ui.roomInput.value.trim() || "general"));
  });
  chat.on("connect_error", (error) => {
    // socket.active is false when the server itself refused the handshake (CONNECT_ERROR): retrying cannot help.
    if (chat.active) {
      setStatus("error", `Cannot reach the server (${error.message}); retrying…`);
      return;
    }
    disconnect();
    setStatus("error", "Not connected");
    showSignIn(developmentMode, `The server refused the token: ${error.message}`);
  });
  chat.on("disconnect", (reason) => {
    setComposerEnabled(false);
    clearTypists();
    if (reason === "io server disconnect") setStatus("offline", "Disconnected by the server");
    else if (reason !== "io client disconnect") setStatus("offline", "Connection lost — reconnecting…");
  });
  chat.on("chat:message", onMessage);
  chat.on("chat:user-joined", (event) => {
    if (event.roomId !== state.room) return;
    state.presence.set(event.userId, event.userName);
    renderPresence(state.presence, state.me.userId);
  });
  chat.on("chat:user-left", (event) => {
    if (event.roomId !== state.room) return;
    state.presence.delete(event.userId);
    removeTypist(event.userId);
    renderPresence(state.presence, state.me.userId);
  });
  // The server's full list after a membership change: it wins over what joined/left events added up to.
  chat.on("chat:room-users", (event) => {
    if (event.roomId === state.room) setPresence(event.users);
  });
  chat.on("chat:typing", onTyping);
  chat.on("exception", onException);

  notifications.on("notification:new", addNotification);
  notifications.on("exception", onException);
  notifications.on("connect_error", (error) => {
    if (!notifications.active) addError(`Notifications are unavailable: ${error.message}`);
  });
}

function disconnect() {
  stopTyping();
  for (const socket of [state.chat, state.notifications]) {
    if (!socket) continue;
    socket.off();
    socket.disconnect();
  }
  state.chat = state.notifications = null;
  setComposerEnabled(false);
}

// ---------------------------------------------------------------- rooms and presence

ui.roomForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const roomId = ui.roomInput.value.trim();
  if (roomId && state.chat?.connected) joinRoom(roomId);
});

function joinRoom(roomId) {
  const chat = state.chat;
  stopTyping();
  if (state.room && state.room !== roomId) chat.emit("chat:leave-room", { roomId: state.room });
  state.joining = roomId;
  ui.roomTitle.textContent = `Joining ${roomId}…`;
  chat.timeout(ACK_TIMEOUT_MS).emit("chat:join-room", { roomId }, (error, ack) => {
    if (chat !== state.chat || state.joining !== roomId) return; // signed out, refused (exception) or superseded
    state.joining = null;
    if (error) return joinFailed(roomId, "the server did not answer");
    state.room = ack.roomId ?? roomId;
    ui.roomInput.value = state.room;
    ui.roomTitle.textContent = `Room: ${state.room}`;
    setPresence(ack.users);
    clearTypists();
    replaceMessages((ack.recentMessages ?? []).map((message) => messageItem(message, "delivered", message.userId === state.me.userId)));
    setComposerEnabled(true);
    ui.messageInput.focus();
  });
}

function joinFailed(roomId, reason) {
  ui.roomTitle.textContent = state.room ? `Room: ${state.room}` : "No room joined";
  addError(`Could not join ${roomId}: ${reason}`);
}

function setPresence(users) {
  state.presence = new Map((users ?? []).map((user) => [user.userId, user.userName]));
  renderPresence(state.presence, state.me.userId);
}

// ---------------------------------------------------------------- messages

function onMessage(message) {
  if (message.roomId !== state.room) return;
  removeTypist(message.userId);
  appendMessages(messageItem(message, "delivered", message.userId === state.me.userId));
}

ui.messageForm.addEventListener("submit", (event) => {
  event.preventDefault(); // Enter in the message box submits the form
  const text = ui.messageInput.value;
  if (!text.trim() || !state.room || !state.chat?.connected) return;
  ui.messageInput.value = "";
  stopTyping();
  send(state.room, text);
});

function send(roomId, text) {
  const item = messageItem({ userId: state.me.userId, userName: state.me.userName || "You", roomId, text }, "pending", true);
  appendMessages(item);
  state.chat.timeout(ACK_TIMEOUT_MS).emit("chat:send-message", { roomId, text }, (error, ack) => {
    if (item.dataset.status !== "pending") return; // an exception already failed it
    if (error) markFailed(item, "the server did not confirm it");
    else if (ack.status === "delivered") markDelivered(item, ack);
    else markFailed(item, ack.status);
  });
}

// ---------------------------------------------------------------- typing

ui.messageInput.addEventListener("input", () => {
  if (!state.room || !state.chat?.connected) return;
  if (ui.messageInput.value === "") return stopTyping();
  if (state.typing === null) {
    state.typing = state.room;
    state.chat.emit("chat:typing-start", { roomId: state.room });
  }
  clearTimeout(state.typingTimer);
  state.typingTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
});

function stopTyping() {
  clearTimeout(state.typingTimer);
  if (state.typing === null) return;
  if (state.chat?.connected) state.chat.emit("chat:typing-stop", { roomId: state.typing });
  state.typing = null;
}

function onTyping(event) {
  if (event.roomId !== state.room || event.userId === state.me.userId) return;
  if (!event.isTyping) return removeTypist(event.userId);
  clearTimeout(state.typists.get(event.userId)?.expiry);
  const expiry = setTimeout(() => removeTypist(event.userId), TYPING_EXPIRY_MS);
  state.typists.set(event.userId, { userName: event.userName, expiry });
  showTypists();
}

function removeTypist(userId) {
  const typist = state.typists.get(userId);
  if (!typist) return;
  clearTimeout(typist.expiry);
  state.typists.delete(userId);
  showTypists();
}

function clearTypists() {
  for (const typist of state.typists.values()) clearTimeout(typist.expiry);
  state.typists.clear();
  showTypists();
}

function showTypists() {
  renderTypists([...state.typists.values()].map((typist) => typist.userName));
}

// ---------------------------------------------------------------- errors

/** The gateway's `exception` event: {status, message, cause: {pattern, data}, timestamp}. */
function onException(exception) {
  const pattern = exception?.cause?.pattern;
  const message = exception?.message ?? "Unknown error";
  if (pattern === "chat:join-room" && state.joining === exception.cause.data?.roomId) {
    state.joining = null;
    return joinFailed(exception.cause.data.roomId, message);
  }
  addError(pattern ? `${pattern}: ${message}` : message);
  if (pattern === "chat:send-message") {
    const item = pendingMessage(exception.cause.data?.text);
    if (item) markFailed(item, message);
  }
}

start();
