import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PLATFORMS } from "../../src/platforms/capabilities.js";
import { createHarness, newUser, TOKENS, type Harness } from "../support/harness.js";
import { walk } from "../support/registration.js";

describe.each(PLATFORMS)("/profile on %s", (platform) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  it("turns every notice off and on again with one button, and shows the profile as it is", async () => {
    const user = newUser();
    await walk(h, platform, user, "summary");
    const person = async () => (await h.app.deps.store.people.findByIdentity({ platform, userId: String(user.id) }))!;
    await h.say(platform, user, "/profile");
    const view = h.last(platform, user);
    expect(JSON.stringify(view.reply_markup)).toContain("pf:n:off");
    await h.tap(platform, user, "pf:n:off");
    expect((await person()).notify).toEqual({ campaigns: false, matches: false });
    const off = h.sim.botMessages(TOKENS[platform], user.id).find((m) => m.message_id === view.message_id)!;
    expect(JSON.stringify(off.reply_markup)).toContain("pf:n:on");
    expect(off.text).toContain("خاموش");
    await h.tap(platform, user, "pf:n:on");
    expect((await person()).notify).toEqual({ campaigns: true, matches: true });
    // A forged switch is refused; nothing changes.
    expect(await h.answerTo(platform, user, view.message_id, "pf:n:maybe")).toMatchObject({
      text: expect.stringContaining("معتبر نیست"),
    });
    expect((await person()).notify).toEqual({ campaigns: true, matches: true });
  });
});
