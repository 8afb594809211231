import { afterEach, describe, expect, it } from "vitest";
import { createHarness, newUser, TOKENS, type Harness } from "../support/harness.js";
import { register } from "../support/registration.js";

describe("the bot's outgoing-call guards", () => {
  let h: Harness;
  afterEach(() => h.close());

  it("count each message once against the send budget, inside conversations too", async () => {
    h = await createHarness();
    await register(h, "telegram", newUser());
    const sends = await h.app.deps.metrics.registry.getSingleMetric("hamdel_sends_total")!.get();
    const counted = sends.values.reduce((n, v) => n + v.value, 0);
    // Every message call the platform saw, counted once (a registration is a conversation).
    expect(counted).toBe(h.sim.bot(TOKENS.telegram).sentAt.length);
    expect(counted).toBeGreaterThan(10);
  });
});
