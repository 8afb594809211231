import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PLATFORMS, type Platform } from "../../src/platforms/capabilities.js";
import type { SimUser } from "../../src/playground/bot-api/index.js";
import { createHarness, newUser, TOKENS, type Harness } from "../support/harness.js";
import { walk } from "../support/registration.js";

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

describe.each(PLATFORMS)("an answered question keeps the answer under it, on %s", (platform) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  it("a pressed choice is echoed («✓ ۱۳۶۸»), a done button echoes what was ticked, and the buttons go", async () => {
    const user = newUser();
    await walk(h, platform, user, "birth_year");
    await h.tap(platform, user, "r:dec:1360");
    const question = h.last(platform, user);
    await h.tap(platform, user, "r:yr:1368");
    const answered = h.sim.botMessages(TOKENS[platform], user.id).find((m) => m.message_id === question.message_id)!;
    expect(answered.text).toMatch(/\n\n✓ ۱۳۶۸$/);
    expect(JSON.stringify(answered.reply_markup ?? {})).not.toContain("r:yr");
    await h.tap(platform, user, "r:g:female");
    await h.tap(platform, user, "r:p:golestan");
    await h.tap(platform, user, "r:c:gorgan");
    await h.say(platform, user, "محله");
    const skills = h.last(platform, user);
    await h.tap(platform, user, "r:s:childcare");
    await h.tap(platform, user, "r:s:infant_care");
    await h.tap(platform, user, "r:sd");
    const done = h.sim.botMessages(TOKENS[platform], user.id).find((m) => m.message_id === skills.message_id)!;
    const t = h.app.deps.i18n.t("fa");
    expect(done.text!.split("\n\n").at(-1)).toBe(
      `✓ ${t("taxonomy.skill.childcare")}، ${t("taxonomy.skill.infant_care")}`,
    );
  });
});
