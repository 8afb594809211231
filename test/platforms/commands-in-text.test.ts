import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isolateCommands, ltr } from "../../src/format.js";
import { botCommands, type CommandRule } from "../../src/playground/bot-api/entities.js";
import type { Platform } from "../../src/platforms/capabilities.js";
import { BALE_TOKEN, TELEGRAM_TOKEN, testConfig } from "../support/config.js";
import { createHarness, newUser, TOKENS, type Harness } from "../support/harness.js";

describe("commands inside Persian text", () => {
  it("are isolated where they start a command, and nowhere else", () => {
    expect(isolateCommands("برای دیدن فرمان‌ها /help را بفرستید.")).toBe(
      `برای دیدن فرمان‌ها ${ltr("/help")} را بفرستید.`,
    );
    expect(isolateCommands("/profile — دیدن\n/stop — قطع")).toBe(`${ltr("/profile")} — دیدن\n${ltr("/stop")} — قطع`);
    // A link's path, a date, a fraction, a command already isolated: left as they are.
    for (const text of ["https://example.org/salam", "۱۴۰۵/۰۹/۰۱", "1/2", "and/or", ltr("/start")])
      expect(isolateCommands(text)).toBe(text);
    // The arguments stay outside; «/audit» is isolated, its dates are read as they are.
    expect(isolateCommands("مثلاً: /audit 1405-09-01")).toBe(`مثلاً: ${ltr("/audit")} 1405-09-01`);
  });

  it("each platform rule finds commands as its source says", () => {
    const isolated = `بفرستید ${ltr("/help")} را`;
    expect(botCommands(isolated, "tdlib")).toEqual([{ type: "bot_command", offset: 9, length: 5 }]);
    expect(botCommands(isolated, "whitespace")).toEqual([]);
    for (const rule of ["tdlib", "whitespace"] as const) {
      expect(botCommands("بفرستید /help را", rule)).toHaveLength(1);
      expect(botCommands("https://example.org/salam", rule)).toEqual([]);
      expect(botCommands("/start", rule)).toHaveLength(1);
    }
    // tdlib: a letter before the slash, or a letter right after the command, makes it no command.
    expect(botCommands("a/help", "tdlib")).toEqual([]);
    expect(botCommands("/helpé", "tdlib")).toEqual([]);
  });
});

describe("every command the bot writes stays tappable", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({
      config: testConfig({ TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, BALE_BOT_TOKEN: BALE_TOKEN }),
    });
  });
  afterEach(() => h.close());

  /** The commands a person reads in what the bot sent, and those the platform made tappable. */
  const commandsIn = async (platform: Platform) => {
    const user = newUser();
    for (const text of ["/start", "/cancel", "/help", "سلام"]) await h.say(platform, user, text);
    const messages = h.sim.botMessages(TOKENS[platform], user.id).filter((m) => m.text);
    const written = messages.flatMap((m) =>
      [...m.text!.matchAll(/(?<![\p{L}\p{N}/])\/[a-z_]+/gu)].map((c) => `${m.message_id}:${c.index}`),
    );
    const tappable = messages.flatMap((m) => (m.entities ?? []).map((e) => `${m.message_id}:${e.offset}`));
    return { written, tappable, texts: messages.map((m) => m.text!) };
  };

  it("Telegram: isolated, so shown «/help» in a Persian line, and still found by tdlib's rule", async () => {
    const { written, tappable, texts } = await commandsIn("telegram");
    expect(written.length).toBeGreaterThan(3);
    expect(tappable).toEqual(written);
    // Every command is inside an isolate.
    for (const text of texts) expect(text.replace(/\u2066\/[a-z_]+\u2069/g, "")).not.toMatch(/\/[a-z]/);
  });

  for (const rule of ["whitespace", "tdlib"] as CommandRule[])
    it(`Bale: sent bare, so found whichever rule its clients use (${rule})`, async () => {
      h.sim.bot(TOKENS.bale).quirks.commandRule = rule;
      const { written, tappable, texts } = await commandsIn("bale");
      expect(written.length).toBeGreaterThan(3);
      expect(tappable).toEqual(written);
      for (const text of texts) expect(text).not.toContain("\u2066/");
    });

  it("the check can fail: isolated commands under the whitespace rule are not tappable", async () => {
    h.sim.bot(TOKENS.telegram).quirks.commandRule = "whitespace";
    const { written, tappable } = await commandsIn("telegram");
    expect(tappable.length).toBeLessThan(written.length);
  });
});
