// What the chat page shows: the page's elements and how each piece of chat state is drawn into them.
// Rule: user data (names, messages, notifications, error texts) is only ever written with textContent, never as HTML.

const MAX_NOTIFICATIONS = 20;
const MAX_ERRORS = 5;

const $ = (id) => document.getElementById(id);

export const ui = {
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

function prependCapped(list, item, max) {
  list.prepend(item);
  while (list.children.length > max) list.lastElementChild.remove();
}

export function setStatus(kind, text) {
  ui.status.dataset.state = kind;
  ui.status.textContent = text;
}

export function addError(text) {
  prependCapped(ui.errors, el("li", "", text, "error"), MAX_ERRORS);
}

/** The sign-in form of the mode (a name in development, a token otherwise), with an optional error. */
export function showSignIn(developmentMode, error) {
  ui.chat.hidden = true;
  ui.signin.hidden = false;
  ui.nameForm.hidden = !developmentMode;
  ui.tokenForm.hidden = developmentMode;
  ui.authError.hidden = !error;
  ui.authError.textContent = error || "";
  (developmentMode ? ui.nameInput : ui.tokenInput).focus();
}

export function showChat() {
  ui.signin.hidden = true;
  ui.chat.hidden = false;
}

export function setComposerEnabled(enabled) {
  ui.messageInput.disabled = !enabled;
  ui.sendButton.disabled = !enabled;
}

// ---------------------------------------------------------------- messages

/** A message; status is "pending", "delivered" or "failed" (data-status, for styles and tests). */
export function messageItem(message, status, mine) {
  const item = el("li", mine ? "message mine" : "message", undefined, "message");
  item.dataset.status = status;
  item.dataset.userId = message.userId ?? "";
  if (message.id) item.dataset.messageId = message.id;
  const label = status === "pending" ? "sending…" : status === "failed" ? "not sent" : "";
  const meta = el("div", "meta");
  meta.append(el("span", "author", message.userName), timeElement(message.sentAt), el("span", "status", label));
  item.append(meta, el("p", "text", message.text));
  return item;
}

/** The sender's own copy after the ack: the server's id and time, "✓ delivered". */
export function markDelivered(item, ack) {
  item.dataset.messageId = ack.id;
  item.querySelector("time").replaceWith(timeElement(ack.sentAt));
  setMessageStatus(item, "delivered", "✓ delivered");
}

export function markFailed(item, reason) {
  setMessageStatus(item, "failed", `not sent: ${reason}`);
}

function setMessageStatus(item, status, label) {
  item.dataset.status = status;
  item.querySelector(".status").textContent = label;
}

/** The oldest message still waiting for its ack, preferring one with this text. */
export function pendingMessage(text) {
  const pending = [...ui.messages.querySelectorAll('.message[data-status="pending"]')];
  return pending.find((item) => item.querySelector(".text").textContent === text) ?? pending[0];
}

export function appendMessages(...items) {
  ui.messages.append(...items);
  ui.messages.scrollTop = ui.messages.scrollHeight;
}

export function replaceMessages(items) {
  ui.messages.replaceChildren();
  appendMessages(...items);
}

// ---------------------------------------------------------------- presence, typing, notifications

/** presence: Map userId -> userName, shown sorted by name with "(you)" after mine. */
export function renderPresence(presence, myUserId) {
  const users = [...presence].sort((a, b) => a[1].localeCompare(b[1]));
  ui.presence.replaceChildren(...users.map(([userId, userName]) => {
    const item = el("li", "", userId === myUserId ? `${userName} (you)` : userName, "presence-user");
    item.dataset.userId = userId;
    return item;
  }));
}

export function renderTypists(names) {
  ui.typing.textContent =
    names.length === 0 ? "" :
    names.length === 1 ? `${names[0]} is typing…` :
    names.length === 2 ? `${names[0]} and ${names[1]} are typing…` :
    "Several people are typing…";
}

/** notification:new {id, type, title, message, createdAt}, newest first. */
export function addNotification(notification) {
  const item = el("li", "notification", undefined, "notification");
  item.dataset.type = notification.type ?? "info";
  item.append(el("strong", "", notification.title ?? ""), el("span", "", notification.message ?? ""), timeElement(notification.createdAt));
  prependCapped(ui.notifications, item, MAX_NOTIFICATIONS);
}
