import { describe, expect, it } from "vitest";
import { platformCheckCommand } from "../../src/cli/platform-check.js";
import { PLATFORMS, type Platform } from "../../src/platforms/capabilities.js";
import { BotApiSimulator, type SimMessage } from "../../src/playground/bot-api/index.js";
import { BALE_TOKEN, TELEGRAM_TOKEN, testConfig } from "../support/config.js";
import { newUser, simulatorFetch, TOKENS } from "../support/harness.js";

/** Runs platform-check against the simulator, with a simulated operator who presses and shares when asked. */
async function run(
  platform: Platform,
  tune: (sim: BotApiSimulator) => void = () => undefined,
  /** Whether the client hands a deep link's payload to the bot (`/start <payload>`) or drops it (`/start`). */
  payload = true,
) {
  const sim = new BotApiSimulator();
  sim.addBot(TELEGRAM_TOKEN, "telegram");
  sim.addBot(BALE_TOKEN, "bale");
  tune(sim);
  const operator = newUser("Operator");
  sim.openChat(TOKENS[platform], operator);
  sim.on("bot-message", (e: { token: string; userId: number; message: SimMessage }) => {
    if (e.token !== TOKENS[platform] || e.userId !== operator.id) return;
    if (e.message.text?.includes("press the button"))
      setTimeout(() => sim.press(TOKENS[platform], operator, e.message.message_id, "pc:press"), 20);
    if (e.message.text?.includes("share your contact"))
      setTimeout(() => sim.sendContact(TOKENS[platform], operator, "+989121234567"), 20);
    if (e.message.text?.includes("send any photo"))
      setTimeout(() => sim.sendPhoto(TOKENS[platform], operator, "photo_check", Buffer.from("JPEG of anything")), 20);
    // The client opens the link: the payload comes back as `/start <payload>`.
    const link = /https:\/\/\S+\?start=(\S+)/.exec(e.message.text ?? "");
    if (e.message.text?.includes("open this link") && link)
      setTimeout(() => sim.sendText(TOKENS[platform], operator, payload ? `/start ${link[1]}` : "/start"), 20);
  });
  const out: string[] = [];
  const io = { log: (s: string) => void out.push(s), error: (s: string) => void out.push(s) };
  const config = testConfig({ TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, BALE_BOT_TOKEN: BALE_TOKEN });
  const code = await platformCheckCommand(
    [
      "--platform",
      platform,
      "--chat",
      String(operator.id),
      "--wait",
      "5",
      "--webhook-url",
      "https://hamdel.example.org/wh",
    ],
    io,
    config,
    simulatorFetch(sim),
  );
  return { code, out: out.join("\n"), sim };
}

describe("platform-check", () => {
  it.each(PLATFORMS)("agrees with the capability table on the simulator's %s persona", async (platform) => {
    const { code, out } = await run(platform);
    expect(out, out).toContain("everything checked agrees with the capability table");
    expect(code).toBe(0);
    for (const check of [
      "a sent photo, fetched",
      "a bad token",
      "callback_query.message",
      "editMessageText's answer",
      "contact.phone_number",
      "a deep link's payload",
      "setMyCommands",
      "a command after an isolate",
      "setWebhook with secret_token",
      "sendPhoto",
      "sendDocument",
      "deleteMessage",
    ])
      expect(out).toContain(check);
    expect(out).not.toMatch(/DISAGREES|failed|skipped/);
  });

  it("prints the disagreements and exits 1 against a persona that behaves otherwise", async () => {
    const { code, out } = await run("telegram", (sim) => {
      const bot = sim.bot(TELEGRAM_TOKEN);
      bot.quirks.badTokenStatus = 403;
      bot.quirks.commandMenu = false;
      // A client that finds a command only after white space: Telegram's isolated commands would not be tappable.
      bot.quirks.commandRule = "whitespace";
    });
    expect(code).toBe(1);
    expect(
      out
        .split("\n")
        .filter((l) => l.includes("DISAGREES"))
        .map((l) => l.split("  ")[0]!.trim()),
    ).toEqual(["a bad token", "a command after an isolate", "setMyCommands"]);
    expect(out).toContain("3 disagreement(s)");
  });

  it("says so when a client opens a deep link without its payload (Bale's `?start=` is undocumented)", async () => {
    const { code, out } = await run("bale", () => undefined, false);
    expect(code).toBe(1);
    const line = out.split("\n").find((l) => l.includes("a deep link's payload"))!;
    expect(line).toContain("DISAGREES");
    expect(line).toContain("/start");
  });

  it("refuses bad arguments with its usage", async () => {
    const out: string[] = [];
    const io = { log: (s: string) => void out.push(s), error: (s: string) => void out.push(s) };
    expect(await platformCheckCommand(["--platform", "whatsapp", "--chat", "1"], io, testConfig())).toBe(2);
    expect(out.join()).toContain("Usage: hamdel platform-check");
  });
});
