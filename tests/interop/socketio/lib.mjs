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

/**
 * Runs `scenarios[name]`, bounded to 20 s: prints "ok <name>" (exit code 0) or "FAIL <label>: <stack>" (exit code 1),
 * then closes every socket in `opened` and exits.
 */
export async function runScenario(scenarios, name, opened, label = name) {
  const timer = setTimeout(() => {
    console.error(`scenario ${label} timed out`);
    process.exit(3);
  }, 20000);
  try {
    if (!scenarios[name]) throw new Error(`unknown scenario ${name}`);
    await scenarios[name]();
    console.log(`ok ${name}`);
    process.exitCode = 0;
  } catch (error) {
    console.error(`FAIL ${label}: ${error?.stack ?? error}`);
    process.exitCode = 1;
  } finally {
    clearTimeout(timer);
    for (const socket of opened) socket.close();
    setTimeout(() => process.exit(), 50);
  }
}
