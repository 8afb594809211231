import { describe, expect, it } from "vitest";
import { runDoctor } from "../../src/cli/doctor.js";
import { BotApiSimulator } from "../../src/playground/bot-api/index.js";
import { BALE_TOKEN, TELEGRAM_TOKEN, testConfig } from "../support/config.js";
import { simulatorFetch } from "../support/harness.js";

describe("hamdel doctor", () => {
  it("checks config, store, state and each token with getMe", async () => {
    const sim = new BotApiSimulator();
    sim.addBot(TELEGRAM_TOKEN, "telegram", "hamdel_test_bot");
    const config = testConfig({ TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, BALE_BOT_TOKEN: BALE_TOKEN });
    const checks = await runDoctor(config, simulatorFetch(sim));
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName["config"]!.ok).toBe(true);
    expect(byName["store (sqlite)"]).toMatchObject({ ok: true, detail: "0 people" });
    expect(Object.keys(byName).some((n) => n.startsWith("state"))).toBe(true);
    expect(byName["telegram bot"]).toMatchObject({ ok: true, detail: expect.stringContaining("@hamdel_test_bot") });
    // The simulator does not know the Bale token: getMe answers 401.
    expect(byName["bale bot"]).toMatchObject({ ok: false, detail: expect.stringContaining("Unauthorized") });
    expect(JSON.stringify(checks)).not.toContain(TELEGRAM_TOKEN);
  });

  it("fails when no bot is configured", async () => {
    const checks = await runDoctor(testConfig());
    expect(checks.find((c) => c.name === "bots")).toMatchObject({ ok: false });
  });
});
