import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseArgs } from "../../src/cli/args.js";
import { segmentFromFlags } from "../../src/cli/broadcast.js";
import { PLATFORMS, type Platform } from "../../src/platforms/capabilities.js";
import type { SimUser } from "../../src/playground/bot-api/index.js";
import { createHarness, newUser, type Harness } from "../support/harness.js";
import { walk } from "../support/registration.js";

const personOf = (h: Harness, platform: Platform, user: SimUser) =>
  h.app.deps.store.people.findByIdentity({ platform, userId: String(user.id) });
/** The county buttons of the last message (the «other» button aside). */
const countyButtons = (h: Harness, platform: Platform, user: SimUser) =>
  (
    h.last(platform, user).reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
  ).inline_keyboard
    .flat()
    .filter((b) => /^r:c:[a-z]/.test(b.callback_data));
const finish = async (h: Harness, platform: Platform, user: SimUser) => {
  await h.say(platform, user, "محله");
  await h.tap(platform, user, "r:s:childcare");
  await h.tap(platform, user, "r:sd");
  await h.tap(platform, user, "r:rd");
  await h.tap(platform, user, "r:ag");
  await h.tap(platform, user, "r:a:sat.morning");
  return (await h.tap(platform, user, "r:h:2")).join();
};

describe.each(PLATFORMS)("places in the registration on %s: every county, typed or shared", (platform) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  it("Golestan offers all 14 counties; Fars's 37 come in pages", async () => {
    const user = newUser();
    await walk(h, platform, user, "county");
    expect(countyButtons(h, platform, user)).toHaveLength(14);
    const other = newUser();
    await walk(h, platform, other, "county", { province: { tap: "r:p:fars" } });
    const seen = new Set(countyButtons(h, platform, other).map((b) => b.callback_data));
    expect(seen.size).toBe(15);
    expect(h.last(platform, other).text).toContain("۱ از ۳");
    for (const page of [1, 2]) {
      await h.tap(platform, other, `r:cp:${page}`);
      for (const b of countyButtons(h, platform, other)) seen.add(b.callback_data);
    }
    expect(seen.size).toBe(37);
    // A page that does not exist is no answer.
    expect(await h.answerTo(platform, other, h.last(platform, other).message_id, "r:cp:9")).toMatchObject({
      text: expect.any(String),
    });
  });

  it("a typed «رامیان» is Ramian, and the CLI's --province golestan --county ramian reaches them and nobody else", async () => {
    const ramian = newUser();
    await walk(h, platform, ramian, "county");
    expect((await h.say(platform, ramian, "رامیان")).join()).toContain("محله");
    expect(await finish(h, platform, ramian)).toContain("ثبت‌نام شما کامل شد");
    const gorgan = newUser();
    await walk(h, platform, gorgan, "summary", { phone: "09121110099", national_id: "0011223340" });
    expect(await personOf(h, platform, ramian)).toMatchObject({ province: "golestan", county: "ramian" });
    const flags = segmentFromFlags(parseArgs(["--province", "golestan", "--county", "ramian"]).flags);
    if (!("segment" in flags)) throw new Error(flags.error);
    const reached = await h.app.deps.store.people.segment(flags.segment);
    expect(reached.map((r) => r.personId)).toEqual([(await personOf(h, platform, ramian))!.id]);
  });

  it("Arabic letters and an everyday short name are the county: «ثلاث باباجاني» in Kermanshah, «گنبد» in Golestan", async () => {
    const kermanshah = newUser();
    await walk(h, platform, kermanshah, "county", { province: { tap: "r:p:kermanshah" } });
    await h.say(platform, kermanshah, "ثلاث باباجاني");
    const gonbad = newUser();
    await walk(h, platform, gonbad, "county");
    await h.say(platform, gonbad, "گنبد");
    expect((await h.app.deps.store.people.getDraft((await personOf(h, platform, kermanshah))!.id))?.county).toBe(
      "salas_babajani",
    );
    expect((await h.app.deps.store.people.getDraft((await personOf(h, platform, gonbad))!.id))?.county).toBe("gonbad");
  });

  it("a near miss is offered with one tap to confirm, or kept as written when refused", async () => {
    const yes = newUser();
    await walk(h, platform, yes, "county");
    expect((await h.say(platform, yes, "رامیون")).join()).toContain("«رامیان»");
    expect((await h.tap(platform, yes, "r:c:ramian")).join()).toContain("محله");
    expect((await h.app.deps.store.people.getDraft((await personOf(h, platform, yes))!.id))?.county).toBe("ramian");
    const no = newUser();
    await walk(h, platform, no, "county");
    await h.say(platform, no, "رامیون");
    expect((await h.tap(platform, no, "r:cx")).join()).toContain("محله");
    expect((await h.app.deps.store.people.getDraft((await personOf(h, platform, no))!.id))?.county).toBe("رامیون");
  });

  it("a location shared in Gonbad-e Kavus proposes Golestan / Gonbad-e Kavus; yes skips the county question", async () => {
    const user = newUser();
    await walk(h, platform, user, "province");
    const asked = (await h.tap(platform, user, "r:ph")).join();
    expect(asked).toContain("ارسال موقعیت");
    expect(asked).toContain("OpenStreetMap");
    // Outside Iran, then in the open Caspian: refused, the question stays.
    expect((await h.location(platform, user, 48.85, 2.35)).join()).toContain("در ایران نیست");
    expect((await h.location(platform, user, 38.5, 51)).join()).toContain("پیدا نکردیم");
    const proposed = (await h.location(platform, user, 37.25, 55.17)).join();
    expect(proposed).toContain("استان گلستان، شهرستان گنبد کاووس");
    // «No» goes back to the list; a second location and «yes» take it.
    expect((await h.tap(platform, user, "r:pl:no")).join()).toContain("استان");
    await h.location(platform, user, 37.25, 55.17);
    expect((await h.tap(platform, user, "r:pl:yes")).join()).toContain("محله");
    expect(await finish(h, platform, user)).toContain("ثبت‌نام شما کامل شد");
    expect(await personOf(h, platform, user)).toMatchObject({
      province: "golestan",
      county: "gonbad",
      location: { lat: 37.25, lon: 55.17 },
    });
  });
});
