import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatJalaliDate } from "../../src/domain/jalali.js";
import { nextRamadanStart } from "../../src/domain/ramadan.js";
import { ramadanCampaign } from "../../src/services/campaigns.js";
import { createHarness, newUser, type Harness } from "../support/harness.js";

describe("/pledge: the vow of service", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  const registered = async () => {
    const user = newUser();
    await h.say("telegram", user, "/start");
    await h.say("telegram", user, "/cancel");
    const person = (await h.app.deps.store.people.findByIdentity({ platform: "telegram", userId: String(user.id) }))!;
    await h.app.deps.store.people.update(person.id, { registeredAt: new Date() });
    return { user, person };
  };

  it("says when no campaign takes vows, then records one and replaces it", async () => {
    const { user, person } = await registered();
    // It says when the next Ramadan begins (in the Jalali calendar), not just "no".
    const next = formatJalaliDate(nextRamadanStart(new Date()), "fa", "Asia/Tehran");
    expect(await h.say("telegram", user, "/pledge")).toEqual([expect.stringContaining(`پویش رمضان بعدی حدود ${next}`)]);
    await h.app.deps.store.campaigns.create(ramadanCampaign(h.app.deps.i18n, { hijriYear: 1448 }));
    const prompt = (await h.say("telegram", user, "/pledge")).join();
    expect(prompt).toContain("چند ساعت");
    // The campaign's title says «نذر خدمت» already: not «نذر خدمت «نذر خدمت رمضان…»».
    expect(prompt).not.toMatch(/نذر خدمت «نذر خدمت/);
    expect((await h.tap("telegram", user, "pl:10:ramadan-1448")).join()).toContain("۱۰ ساعت");
    await h.say("telegram", user, "/pledge");
    await h.tap("telegram", user, "pl:20:ramadan-1448");
    expect(await h.app.deps.store.campaigns.pledgeOf("ramadan-1448", person.id)).toBe(20);
  });

  it("refuses forged hours, unknown campaigns and unregistered people", async () => {
    const { user, person } = await registered();
    await h.app.deps.store.campaigns.create(ramadanCampaign(h.app.deps.i18n, { hijriYear: 1448 }));
    await h.say("telegram", user, "/pledge");
    const id = h.last("telegram", user).message_id;
    for (const data of ["pl:999:ramadan-1448", "pl:10:nope", "pl:10:../../x"]) {
      expect(await h.answerTo("telegram", user, id, data)).toMatchObject({
        text: expect.stringContaining("معتبر نیست"),
      });
    }
    expect(await h.app.deps.store.campaigns.pledgeOf("ramadan-1448", person.id)).toBeNull();
    expect(await h.say("telegram", newUser(), "/pledge")).toEqual([expect.stringContaining("هنوز ثبت‌نام نکرده‌اید")]);
  });
});
