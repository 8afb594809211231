import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PLATFORMS, type Platform } from "../../src/platforms/capabilities.js";
import type { SimUser } from "../../src/playground/bot-api/index.js";
import { createHarness, newUser, type Harness } from "../support/harness.js";

const personOf = (h: Harness, platform: Platform, user: SimUser) =>
  h.app.deps.store.people.findByIdentity({ platform, userId: String(user.id) });

describe.each(PLATFORMS)("Persian names as people write them, on %s", (platform) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  it("«محمد رضا کریمی» is offered as «محمد رضا» + «کریمی» first; the other cut is one tap; «سید» is kept apart", async () => {
    const user = newUser();
    await h.say(platform, user, "/start");
    const asked = (await h.say(platform, user, "محمد رضا کریمی")).join();
    expect(asked).toContain("کدام‌طور ثبت کنیم");
    const cuts = (h.last(platform, user).reply_markup as { inline_keyboard: { text: string }[][] }).inline_keyboard
      .flat()
      .map((b) => b.text);
    expect(cuts[0]).toBe("نام: محمد رضا · نام خانوادگی: کریمی");
    expect(cuts[1]).toBe("نام: محمد · نام خانوادگی: رضا کریمی");
    expect((await h.tap(platform, user, "r:nm:1")).join()).toContain("شماره");
    const draft = async (u: SimUser) => h.app.deps.store.people.getDraft((await personOf(h, platform, u))!.id);
    expect(await draft(user)).toMatchObject({ firstName: "محمد", lastName: "رضا کریمی" });

    const seyed = newUser();
    await h.say(platform, seyed, "/start");
    await h.say(platform, seyed, "سید علی حسینی");
    await h.tap(platform, seyed, "r:nm:0");
    expect(await draft(seyed)).toMatchObject({ title: "سید", firstName: "علی", lastName: "حسینی" });
    // Two words need no question.
    const plain = newUser();
    await h.say(platform, plain, "/start");
    expect((await h.say(platform, plain, "مریم احمدی")).join()).not.toContain("کدام‌طور");
  });
});
