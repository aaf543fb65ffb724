// The FastRealtime chat page: plain JavaScript, no build step, no framework.
// Rule: user data (names, messages, notifications, error texts) is only ever written with textContent, never as HTML.
"use strict";

(() => {
  const ACK_TIMEOUT_MS = 10000; // how long a join or a send waits for the server's ack before it is shown as failed
  const TYPING_IDLE_MS = 2000; // typing-stop is sent after this much quiet in the message box
  const TYPING_EXPIRY_MS = 6000; // a remote "is typing" disappears by itself if its typing-stop is lost
  const MAX_NOTIFICATIONS = 20;
  const MAX_ERRORS = 5;

  const $ = (id) => document.getElementById(id);
  const ui = {
    status: $("connection-status"),
    signin: $("signin"),
    nameForm: $("name-form"),
    nameInput: $("name-input"),
    tokenForm: $("token-form"),
    tokenInput: $("token-input"),
    authError: $("auth-error"),
    chat: $("chat"),
    roomForm: $("room-form"),
    roomInput: $("room-input"),
    roomTitle: $("room-title"),
    messages: $("messages"),
    typing: $("typing-indicator"),
    messageForm: $("message-form"),
    messageInput: $("message-input"),
    sendButton: $("send-button"),
    presence: $("presence"),
    notifications: $("notifications"),
    errors: $("errors"),
  };

  const developmentMode = document.documentElement.dataset.authMode === "development";

  const state = {
    me: null, // {userId, userName}
    chat: null, // the /chat socket
    notifications: null, // the /notifications socket
    room: null, // the joined room id
    presence: new Map(), // userId -> userName, for the joined room
    typists: new Map(), // userId -> {userName, expiry}
    typing: null, // the room we told "typing-start", or null
    typingTimer: 0,
  };

  // ---------------------------------------------------------------- small DOM helpers

  /** An element with a class, optional text (as text, never HTML) and optional data-testid. */
  function el(tag, className, text, testId) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    if (testId) node.dataset.testid = testId;
    return node;
  }

  function timeElement(iso) {
    const time = el("time", "time");
    if (!iso) return time;
    time.dateTime = iso;
    const date = new Date(iso);
    time.textContent = Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    return time;
  }

  function setStatus(kind, text) {
    ui.status.dataset.state = kind;
    ui.status.textContent = text;
  }

  function prependCapped(list, item, max) {
    list.prepend(item);
    while (list.children.length > max) list.lastElementChild.remove();
  }

  function addError(text) {
    prependCapped(ui.errors, el("li", "", text, "error"), MAX_ERRORS);
  }

  // ---------------------------------------------------------------- signing in

  function start() {
    if (typeof io !== "function") {
      showSignIn("The Socket.IO client script did not load; reload the page.");
      return;
    }
    const params = new URLSearchParams(location.search);
    const token = params.get("token");
    if (token) {
      // Keep the token out of the address bar, the history and bookmarks.
      params.delete("token");
      const query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? `?${query}` : ""));
      connect(token, identityFromToken(token));
      return;
    }
    showSignIn();
  }

  function showSignIn(error) {
    ui.chat.hidden = true;
    ui.signin.hidden = false;
    ui.nameForm.hidden = !developmentMode;
    ui.tokenForm.hidden = developmentMode;
    ui.authError.hidden = !error;
    ui.authError.textContent = error || "";
    (developmentMode ? ui.nameInput : ui.tokenInput).focus();
  }

  ui.nameForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = ui.nameInput.value.trim();
    if (!name) return showSignIn("Enter a name.");
    try {
      const issued = await requestDevelopmentToken(name);
      connect(issued.token, { userId: issued.userId, userName: issued.userName });
    } catch (error) {
      showSignIn(`Could not get a development token: ${error.message}`);
    }
  });

  ui.tokenForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const token = ui.tokenInput.value.trim();
    if (!token) return showSignIn("An access token is required to chat.");
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
      ui.signin.hidden = true;
      ui.chat.hidden = false;
      setComposerEnabled(true);
      // Rooms live on the server and are gone after a reconnect: join again.
      joinRoom(state.room ?? (ui.roomInput.value.trim() || "general"));
    });
    chat.on("connect_error", (error) => {
      // socket.active is false when the server itself refused the handshake (CONNECT_ERROR): retrying cannot help.
      if (!chat.active) {
        disconnect();
        setStatus("error", "Not connected");
        showSignIn(`The server refused the token: ${error.message}`);
      } else {
        setStatus("error", `Cannot reach the server (${error.message}); retrying…`);
      }
    });
    chat.on("disconnect", (reason) => {
      setComposerEnabled(false);
      clearTypists();
      if (reason !== "io client disconnect") setStatus("offline", "Connection lost — reconnecting…");
    });
    chat.on("chat:message", onMessage);
    chat.on("chat:user-joined", (event) => {
      if (event.roomId !== state.room) return;
      state.presence.set(event.userId, event.userName);
      renderPresence();
    });
    chat.on("chat:user-left", (event) => {
      if (event.roomId !== state.room) return;
      state.presence.delete(event.userId);
      removeTypist(event.userId);
      renderPresence();
    });
    chat.on("chat:room-users", (event) => {
      // The server's full list after a membership change: it wins over what joined/left events added up to.
      if (event.roomId !== state.room) return;
      setPresence(event.users);
    });
    chat.on("chat:typing", onTyping);
    chat.on("exception", onException);

    notifications.on("notification:new", onNotification);
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

  function setComposerEnabled(enabled) {
    const usable = enabled && state.room !== null;
    ui.messageInput.disabled = !usable;
    ui.sendButton.disabled = !usable;
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
    ui.roomTitle.textContent = `Joining ${roomId}…`;
    chat.timeout(ACK_TIMEOUT_MS).emit("chat:join-room", { roomId }, (error, ack) => {
      if (chat !== state.chat) return; // signed out meanwhile
      if (error) {
        ui.roomTitle.textContent = state.room ? `Room: ${state.room}` : "No room joined";
        addError(`Could not join ${roomId}: the server did not answer.`);
        return;
      }
      state.room = ack.roomId ?? roomId;
      ui.roomInput.value = state.room;
      ui.roomTitle.textContent = `Room: ${state.room}`;
      setPresence(ack.users);
      clearTypists();
      ui.messages.replaceChildren(...(ack.recentMessages ?? []).map((message) => renderMessage(message, "delivered")));
      scrollToEnd();
      setComposerEnabled(true);
      ui.messageInput.focus();
    });
  }

  function setPresence(users) {
    state.presence = new Map((users ?? []).map((user) => [user.userId, user.userName]));
    renderPresence();
  }

  function renderPresence() {
    const users = [...state.presence].sort((a, b) => a[1].localeCompare(b[1]));
    ui.presence.replaceChildren(...users.map(([userId, userName]) => {
      const item = el("li", "", userId === state.me?.userId ? `${userName} (you)` : userName, "presence-user");
      item.dataset.userId = userId;
      return item;
    }));
  }

  // ---------------------------------------------------------------- messages

  function renderMessage(message, status) {
    const item = el("li", "message", undefined, "message");
    if (message.userId === state.me?.userId) item.classList.add("mine");
    item.dataset.status = status;
    item.dataset.userId = message.userId ?? "";
    if (message.id) item.dataset.messageId = message.id;
    const meta = el("div", "meta");
    meta.append(el("span", "author", message.userName), timeElement(message.sentAt), el("span", "status", statusText(status)));
    item.append(meta, el("p", "text", message.text));
    return item;
  }

  /** What the status slot of a message says; only the sender's own copies show "delivered". */
  function statusText(status) {
    return status === "pending" ? "sending…" : status === "failed" ? "not sent" : "";
  }

  function setMessageStatus(item, status, label) {
    item.dataset.status = status;
    item.querySelector(".status").textContent = label;
  }

  function scrollToEnd() {
    ui.messages.scrollTop = ui.messages.scrollHeight;
  }

  function onMessage(message) {
    if (message.roomId !== state.room) return;
    removeTypist(message.userId);
    ui.messages.append(renderMessage(message, "delivered"));
    scrollToEnd();
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
    const item = renderMessage({ userId: state.me?.userId, userName: state.me?.userName || "You", roomId, text }, "pending");
    ui.messages.append(item);
    scrollToEnd();
    state.chat.timeout(ACK_TIMEOUT_MS).emit("chat:send-message", { roomId, text }, (error, ack) => {
      if (item.dataset.status !== "pending") return; // an exception already failed it
      if (error) {
        setMessageStatus(item, "failed", "not sent: the server did not confirm it");
        return;
      }
      item.dataset.messageId = ack.id;
      item.querySelector("time").replaceWith(timeElement(ack.sentAt));
      if (ack.status === "delivered") setMessageStatus(item, "delivered", "✓ delivered");
      else setMessageStatus(item, "failed", `not sent: ${ack.status}`);
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
    if (event.roomId !== state.room || event.userId === state.me?.userId) return;
    if (!event.isTyping) return removeTypist(event.userId);
    clearTimeout(state.typists.get(event.userId)?.expiry);
    const expiry = setTimeout(() => removeTypist(event.userId), TYPING_EXPIRY_MS);
    state.typists.set(event.userId, { userName: event.userName, expiry });
    renderTypists();
  }

  function removeTypist(userId) {
    const typist = state.typists.get(userId);
    if (!typist) return;
    clearTimeout(typist.expiry);
    state.typists.delete(userId);
    renderTypists();
  }

  function clearTypists() {
    for (const typist of state.typists.values()) clearTimeout(typist.expiry);
    state.typists.clear();
    renderTypists();
  }

  function renderTypists() {
    const names = [...state.typists.values()].map((typist) => typist.userName);
    ui.typing.textContent =
      names.length === 0 ? "" :
      names.length === 1 ? `${names[0]} is typing…` :
      names.length === 2 ? `${names[0]} and ${names[1]} are typing…` :
      "Several people are typing…";
  }

  // ---------------------------------------------------------------- notifications and errors

  function onNotification(notification) {
    const item = el("li", "notification", undefined, "notification");
    item.dataset.type = notification.type ?? "info";
    item.append(el("strong", "", notification.title ?? ""), el("span", "", notification.message ?? ""), timeElement(notification.createdAt));
    prependCapped(ui.notifications, item, MAX_NOTIFICATIONS);
  }

  /** The gateway's `exception` event: {status, message, cause: {pattern, data}, timestamp}. */
  function onException(exception) {
    const pattern = exception?.cause?.pattern;
    const message = exception?.message ?? "Unknown error";
    addError(pattern ? `${pattern}: ${message}` : message);
    if (pattern === "chat:send-message") {
      const text = exception.cause.data?.text;
      const pending = [...ui.messages.querySelectorAll('.message[data-status="pending"]')];
      const item = pending.find((candidate) => candidate.querySelector(".text").textContent === text) ?? pending[0];
      if (item) setMessageStatus(item, "failed", `not sent: ${message}`);
    }
  }

  start();
})();
