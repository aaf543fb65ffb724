// Small helpers shared by the Socket.IO interop scenarios (run by tests/FastRealtime.Tests/SocketIO/SocketIoInteropTests.cs).
import assert from "node:assert/strict";

export { assert };

/** Resolves with the event's arguments, or rejects after `ms`. */
export function once(emitter, event, ms = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for '${event}'`)), ms);
    emitter.once(event, (...args) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

/** Resolves when `predicate()` holds, polling every 10 ms; rejects after `ms`. */
export async function until(predicate, what, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
