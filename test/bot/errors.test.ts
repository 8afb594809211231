import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { ApiFault } from "../../src/playground/bot-api/errors.js";
import { createHarness, newUser, TOKENS, type Harness } from "../support/harness.js";

function captureLogs() {
  const lines: string[] = [];
  const logger = createLogger("debug", { write: (line: string) => void lines.push(line) });
  return { logger, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("platform errors and the error boundary", () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  const sendCalls = (platform: "telegram" | "bale") =>
    h.sim.calls.filter((c) => c.token === TOKENS[platform] && c.method === "sendMessage");

  it("waits out a 429 with retry_after and then delivers", async () => {
    h = await createHarness();
    const user = newUser();
    h.sim.failNext(
      TOKENS.telegram,
      "sendMessage",
      new ApiFault(429, "Too Many Requests: retry after 1", { retry_after: 1 }),
    );
    const started = Date.now();
    const replies = await h.say("telegram", user, "/help");
    expect(replies).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(sendCalls("telegram")).toHaveLength(2);
  });

  it("auto-retry also works inside conversations, which have their own API object", async () => {
    h = await createHarness();
    const user = newUser();
    h.sim.failNext(
      TOKENS.telegram,
      "sendMessage",
      new ApiFault(429, "Too Many Requests: retry after 1", { retry_after: 1 }),
    );
    const replies = await h.say("telegram", user, "/language");
    expect(replies).toEqual([expect.stringContaining("زبان گفتگو")]);
    expect(sendCalls("telegram")).toHaveLength(2);
  });

  it("retries a 5xx answer from the platform", async () => {
    h = await createHarness();
    const user = newUser();
    h.sim.failNext(TOKENS.bale, "sendMessage", new ApiFault(502, "Bad Gateway"));
    expect(await h.say("bale", user, "/help")).toHaveLength(1);
    expect(sendCalls("bale")).toHaveLength(2);
  });

  it("gives up on a Bot API call that hangs, and the retry delivers the answer once", async () => {
    h = await createHarness({ env: { BOT_API_TIMEOUT_SECONDS: "0.3" } });
    const user = newUser();
    h.sim.stallNext(TOKENS.telegram, "sendMessage", 10_000);
    const started = Date.now();
    const replies = await h.say("telegram", user, "/help");
    expect(Date.now() - started).toBeLessThan(5000);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain("/start");
    // The hung call and its retry.
    expect(sendCalls("telegram").filter((c) => Number(c.params.chat_id) === user.id)).toHaveLength(2);
  });

  it("survives a user who blocked the bot (403): logged, nothing thrown", async () => {
    const logs = captureLogs();
    h = await createHarness({ logger: logs.logger });
    const user = newUser();
    await h.say("telegram", user, "/start");
    h.sim.setBlocked(TOKENS.telegram, user.id, true);
    await expect(h.say("telegram", user, "/help")).resolves.toEqual([]);
    const failure = logs.records().find((r) => r.msg === "update failed");
    expect(failure).toMatchObject({ err: { code: 403, method: "sendMessage" }, platform: "telegram" });
  });

  it("asks to try again shortly when the store is gone, and logs the fault without message content", async () => {
    const logs = captureLogs();
    h = await createHarness({ logger: logs.logger });
    const user = newUser("نگار");
    await h.app.deps.store.close();
    const replies = await h.say("bale", user, "کد ملی من ۰۰۱۲۳۴۵۶۷۹ است");
    expect(replies).toEqual([expect.stringContaining("کمی بعد دوباره")]);
    expect(logs.records().find((r) => r.msg === "update failed")).toMatchObject({ storeUnavailable: true });
    const all = logs.lines.join("\n");
    expect(all).toContain("update failed");
    expect(all).not.toContain("۰۰۱۲۳۴۵۶۷۹");
    expect(all).not.toContain("نگار");
  });

  it("apologises in Persian for a fault that is not the store's (a bug), and logs it", async () => {
    const logs = captureLogs();
    h = await createHarness({ logger: logs.logger });
    h.app.deps.store.people.findByIdentity = () => Promise.reject(new TypeError("x is not a function"));
    const replies = await h.say("telegram", newUser(), "سلام");
    expect(replies).toEqual([expect.stringContaining("متأسفیم")]);
    expect(logs.records().find((r) => r.msg === "update failed")).toMatchObject({
      storeUnavailable: false,
      err: { name: "TypeError" },
    });
  });

  it("tells a store outage from a bug by the error alone: the boundary never pings the store", async () => {
    const logs = captureLogs();
    h = await createHarness({ logger: logs.logger });
    let pings = 0;
    const ping = h.app.deps.store.ping.bind(h.app.deps.store);
    h.app.deps.store.ping = () => (pings++, ping());
    h.app.deps.store.people.findByIdentity = () => Promise.reject(new TypeError("x is not a function"));
    expect(await h.say("telegram", newUser(), "سلام")).toEqual([expect.stringContaining("متأسفیم")]);
    expect(pings).toBe(0);
  });

  it("sends plain text on Bale by dropping parse_mode, and keeps it on Telegram", async () => {
    h = await createHarness();
    const user = newUser();
    await h.say("telegram", user, "/start");
    await h.say("bale", user, "/start");
    for (const platform of ["telegram", "bale"] as const) {
      await h.app.bots.get(platform)!.api.sendMessage(user.id, "<b>سلام</b>", { parse_mode: "HTML" });
    }
    expect(sendCalls("telegram").at(-1)!.params.parse_mode).toBe("HTML");
    expect(sendCalls("bale").at(-1)!.params).not.toHaveProperty("parse_mode");
  });
});

describe("log redaction", () => {
  it("censors national IDs, phones and names wherever they appear", () => {
    const logs = captureLogs();
    logs.logger.info(
      {
        nationalId: "0012345679",
        person: { phone: "09121234567", firstName: "مریم" },
        update: { message: { contact: { phone_number: "+989121234567" } } },
      },
      "test",
    );
    const line = logs.lines.join("");
    expect(line).not.toMatch(/0012345679|09121234567|9121234567|مریم/);
    expect(line).toContain("[redacted]");
  });
});
