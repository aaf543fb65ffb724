// The chat web page (GET /) in headless Chromium, as real people would use it. Run by
// tests/FastRealtime.Tests/Web/ChatPageBrowserTests.cs against the real host:
//   node chat-page.mjs <base url> <scenario> <output folder> [admin key for POST /api/notifications]
// Prints "screenshot <path>" for every picture it saves, then "ok <scenario>" (exit 0) or "FAIL ..." (exit 1).
import assert from "node:assert/strict";
import path from "node:path";
import fs from "node:fs";
import { chromium } from "playwright-core";

const [baseUrl, scenarioName, outputDir, adminKey] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const STEP_MS = 10000; // the longest any single step may wait
const SCENARIO_MS = 45000;

const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);

/** Waits until the element with data-testid `id` has text containing `text`. */
async function waitForText(page, id, text) {
  await page.waitForFunction(
    ([testId, expected]) => document.querySelector(`[data-testid="${testId}"]`)?.textContent.includes(expected),
    [id, text],
    { timeout: STEP_MS },
  );
}

async function presenceNames(page) {
  return (await byTestId(page, "presence-user").allTextContents()).map((name) => name.replace(" (you)", "")).sort();
}

async function screenshot(page, name) {
  fs.mkdirSync(outputDir, { recursive: true });
  const file = path.resolve(outputDir, name);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot ${file}`);
}

/** A fresh browser profile (own storage) that opens the page; every script error or console error fails the run. */
async function openPage(browser, url, problems) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  await page.goto(url);
  return page;
}

/** Development mode: type a name, get a token from POST /api/dev/token, connect, join the default room. */
async function signInAs(browser, name, problems) {
  const page = await openPage(browser, baseUrl, problems);
  await byTestId(page, "name-input").fill(name);
  await byTestId(page, "name-button").click();
  await waitForText(page, "connection-status", `Connected as ${name}`);
  await waitForText(page, "room-title", "Room: general");
  return page;
}

const scenarios = {
  /** Alice and Bob in "general": presence, typing indicator, a message with its delivered state; Carol sees it as history. */
  async chat(browser, problems) {
    assert.ok(adminKey, "the chat scenario needs the host's admin key (4th argument) for POST /api/notifications");
    const alice = await signInAs(browser, "Alice", problems);
    const bob = await signInAs(browser, "Bob", problems);

    await waitForText(alice, "presence", "Bob"); // chat:user-joined
    assert.deepEqual(await presenceNames(alice), ["Alice", "Bob"]);
    assert.deepEqual(await presenceNames(bob), ["Alice", "Bob"]);

    // Record every status a message of Alice's shows when it appears, to see the pending state before the ack.
    await alice.evaluate(() => {
      window.seenStatuses = [];
      new MutationObserver((records) => {
        for (const record of records)
          for (const node of record.addedNodes) if (node.dataset?.testid === "message") window.seenStatuses.push(node.dataset.status);
      }).observe(document.querySelector('[data-testid="messages"]'), { childList: true });
    });

    const text = `Hello Bob, it is ${new Date().toISOString()} <b>not bold</b>`;
    const composer = byTestId(alice, "message-input");
    await composer.pressSequentially(text.slice(0, 8), { delay: 15 });
    await waitForText(bob, "typing-indicator", "Alice is typing…");
    await screenshot(bob, "chat-bob-typing.png");
    await composer.fill(text);
    await composer.press("Enter");

    const mine = alice.locator('[data-testid="message"][data-status="delivered"]', { hasText: text });
    await mine.waitFor();
    assert.ok((await mine.getAttribute("data-message-id"))?.length > 0, "the delivered message carries the server's id");
    assert.deepEqual(await alice.evaluate(() => window.seenStatuses), ["pending"]);
    assert.equal(await composer.inputValue(), "");

    const received = bob.locator('[data-testid="message"]', { hasText: text });
    await received.waitFor();
    assert.equal(await received.locator(".author").textContent(), "Alice");
    assert.equal(await received.locator(".text").textContent(), text); // markup shown as text, not interpreted
    assert.equal(await bob.locator('[data-testid="message"] b').count(), 0);
    await bob.waitForFunction(() => document.querySelector('[data-testid="typing-indicator"]').textContent === "", null, { timeout: STEP_MS });

    // A notification for Bob through the HTTP API reaches Bob's page (/notifications namespace), and only Bob's.
    const bobId = await bob.locator('[data-testid="presence-user"]', { hasText: "(you)" }).getAttribute("data-user-id");
    const response = await fetch(new URL("/api/notifications", baseUrl), {
      method: "POST",
      headers: { Authorization: `Bearer ${adminKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ userId: bobId, type: "warning", title: "Maintenance", message: "Back in <i>five</i> minutes" }),
    });
    assert.equal(response.status, 202, await response.text());
    const notification = bob.locator('[data-testid="notification"][data-type="warning"]', { hasText: "Maintenance" });
    await notification.waitFor();
    assert.match(await notification.textContent(), /Back in <i>five<\/i> minutes/);
    assert.equal(await byTestId(alice, "notification").count(), 0);

    // Someone joining later gets the message from the room's history (the join ack's recentMessages).
    const carol = await signInAs(browser, "Carol", problems);
    await carol.locator('[data-testid="message"]', { hasText: text }).waitFor();
    await waitForText(alice, "presence", "Carol");
    assert.deepEqual(await presenceNames(alice), ["Alice", "Bob", "Carol"]);

    for (const page of [alice, bob, carol])
      assert.equal(await byTestId(page, "error").count(), 0, await byTestId(page, "errors").textContent());
    await screenshot(alice, "chat.png");
    await screenshot(bob, "chat-bob.png");
  },

  /** A token the server refuses: the page says so clearly and offers the token field again. */
  async refused(browser, problems) {
    const page = await openPage(browser, `${baseUrl}?token=not-a-valid-token`, problems);
    await waitForText(page, "auth-error", "The server refused the token");
    // "Invalid namespace" would mean /chat is not served at all, not that the token was judged.
    assert.doesNotMatch(await byTestId(page, "auth-error").textContent(), /Invalid namespace/);
    assert.ok(await byTestId(page, "auth-error").isVisible());
    assert.ok(await byTestId(page, "token-form").isVisible(), "the page asks for another token");
    assert.ok(await byTestId(page, "chat").isHidden());
    assert.ok(!page.url().includes("token="), `the token is removed from the address bar: ${page.url()}`);
    await screenshot(page, "refused.png");
  },

  /** Token mode without a token: the page asks for one and does not connect. */
  async missing(browser, problems) {
    const page = await openPage(browser, baseUrl, problems);
    await byTestId(page, "token-input").waitFor();
    assert.ok(await byTestId(page, "name-form").isHidden(), "no development sign-in when the server has a JWT secret");
    assert.equal(await byTestId(page, "connection-status").textContent(), "Not connected");
    assert.ok(await byTestId(page, "chat").isHidden());
  },
};

async function main() {
  const timer = setTimeout(() => {
    console.log(`FAIL ${scenarioName}: timed out after ${SCENARIO_MS} ms`);
    process.exit(2);
  }, SCENARIO_MS);
  const browser = await chromium.launch({ executablePath, headless: true, args: ["--no-sandbox"] });
  const problems = [];
  let failed = false;
  try {
    const scenario = scenarios[scenarioName];
    if (!scenario) throw new Error(`unknown scenario '${scenarioName}'`);
    await scenario(browser, problems);
    // The refused handshake is expected to be reported by the page, not to break it.
    assert.deepEqual(problems, []);
    console.log(`ok ${scenarioName}`);
  } catch (error) {
    failed = true;
    console.log(`FAIL ${scenarioName}: ${error.stack ?? error}`);
    const pages = browser.contexts().flatMap((context) => context.pages());
    for (const [index, page] of pages.entries()) await screenshot(page, `failed-${scenarioName}-${index}.png`).catch(() => {});
  } finally {
    await browser.close();
    clearTimeout(timer);
  }
  process.exit(failed ? 1 : 0);
}

await main();
