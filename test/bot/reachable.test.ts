import { afterEach, describe, expect, it } from "vitest";
import { createHarness, newUser, type Harness } from "../support/harness.js";
import { register } from "../support/registration.js";

describe("a person counted unreachable", () => {
  let h: Harness;
  afterEach(() => h.close());

  it.each([
    ["telegram", "/start"],
    ["telegram", "/resume"],
    ["telegram", "سلام"],
    ["bale", "/start"],
    ["bale", "/resume"],
  ] as const)("is reachable again once they write to the bot (%s, %s)", async (platform, text) => {
    h = await createHarness();
    const user = newUser();
    await register(h, platform, user);
    const ref = { platform, userId: String(user.id) };
    await h.app.deps.store.people.setReachable(ref, false);
    const before = await h.app.deps.store.people.findByIdentity(ref);
    expect(before!.identities[0]!.reachable).toBe(false);
    await h.say(platform, user, text);
    const after = await h.app.deps.store.people.findByIdentity(ref);
    expect(after!.identities[0]!.reachable).toBe(true);
  });
});
