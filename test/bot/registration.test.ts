import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PLATFORMS, type Platform } from "../../src/platforms/capabilities.js";
import type { SimUser } from "../../src/playground/bot-api/index.js";
import { createHarness, newUser, TOKENS, type Harness } from "../support/harness.js";
import { NID, PHONE, register, walk } from "../support/registration.js";
import { importSampleData } from "../support/sample.js";

const personOf = (h: Harness, platform: Platform, user: SimUser) =>
  h.app.deps.store.people.findByIdentity({ platform, userId: String(user.id) });

describe.each(PLATFORMS)("registration on %s", (platform) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it("the happy path saves a complete profile and gives a volunteer code", async () => {
    const user = newUser("مریم");
    const final = await register(h, platform, user);
    expect(final.join("\n")).toMatch(/ثبت‌نام شما کامل شد[\s\S]*HM-[2-9A-Z]{6}/);
    const person = await personOf(h, platform, user);
    expect(person).toMatchObject({
      firstName: "مریم",
      lastName: "احمدی",
      phone: PHONE,
      nationalId: NID,
      birthYear: 1368,
      gender: "female",
      province: "golestan",
      county: "gorgan",
      neighbourhood: "شهرک بهاران",
      skills: ["infant_care"],
      roles: ["mother_helper"],
      availability: { slots: ["sat.morning"], hoursPerWeek: 4 },
      notify: { campaigns: true, matches: true },
    });
    expect(person!.volunteerCode).toMatch(/^HM-[2-9A-Z]{6}$/);
    expect(person!.registeredAt).toBeInstanceOf(Date);
    expect(person!.consentAt).toBeInstanceOf(Date);
    expect(await h.app.deps.store.people.getDraft(person!.id)).toBeNull();
    // Measured: every interaction of the full registration above (the birth year picked, the grid opened).
    expect(h.counts).toEqual({ interactions: 17, typed: 3 });
    // Each of the 12 button presses is answered once: the conversation's answer is not followed by a second one.
    const answers = h.sim.calls
      .filter((c) => c.method === "answerCallbackQuery")
      .map((c) => c.params.callback_query_id);
    expect(answers).toHaveLength(12);
    expect(new Set(answers).size).toBe(12);
    // The last answer registers: the message shows what was saved, each field with its edit button, and what next.
    const done = h.last(platform, user);
    expect(done.text).toContain("شهرک بهاران");
    expect(done.text).toContain("/pledge");
    const buttons = (done.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard.flat();
    expect(buttons.map((b) => b.callback_data)).toContain("pf:e:skills");
    // A registered person gets the menu on /start.
    const again = await h.say(platform, user, "/start");
    expect(again.join("\n")).toContain("/profile");
  });
});

describe("registration in few interactions", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  /** As a new user would: «موافقم», the name, the year typed, the suggested role, a pattern of days. */
  const TYPICAL: Parameters<typeof walk>[4] = {
    consent: { tap: "r:consent:yes" },
    name: "زهرا محمدی",
    phone: { contact: "+989121110000" },
    national_id: "4512345671",
    birth_year: "۱۳۷۲",
    gender: { tap: "r:g:female" },
    province: { tap: "r:p:kermanshah" },
    county: { tap: "r:c:kermanshah" },
    neighbourhood: "الهیه",
    skills: { tap: ["r:s:infant_care", "r:s:childcare", "r:sd"] },
    roles: { tap: "r:rd" },
    availability: { tap: ["r:ap:afternoons", "r:h:4"] },
  };

  it.each(PLATFORMS)(
    "the typical path (2 skills, a role, 2+ slots) takes ≤ 16 interactions, ≤ 4 typed, on %s",
    async (platform) => {
      const user = newUser("زهرا");
      const last = await walk(h, platform, user, "summary", TYPICAL);
      expect(last.join("\n")).toContain("ثبت‌نام شما کامل شد");
      expect(h.counts).toEqual({ interactions: 16, typed: 4 });
      expect(await personOf(h, platform, user)).toMatchObject({
        birthYear: 1372,
        skills: ["childcare", "infant_care"],
        roles: ["mother_helper"],
        availability: { hoursPerWeek: 4 },
      });
      expect((await personOf(h, platform, user))!.availability!.slots).toHaveLength(7);
    },
  );

  it("the shortest path takes 15", async () => {
    const user = newUser();
    await walk(h, "telegram", user, "summary", { ...TYPICAL, skills: { tap: ["r:s:storytelling", "r:sd"] } });
    expect(h.counts).toEqual({ interactions: 15, typed: 4 });
    expect((await personOf(h, "telegram", user))!.roles).toEqual(["tutor"]);
  });

  it("a press on a label (a day's name, a heading, a page counter, the hours' title) says what to press instead", async () => {
    const user = newUser();
    await walk(h, "telegram", user, "skills");
    const skills = h.last("telegram", user).message_id;
    expect(await h.answerTo("telegram", user, skills, "r:noop:category")).toMatchObject({
      text: expect.stringContaining("فقط عنوان"),
    });
    expect(await h.answerTo("telegram", user, skills, "r:noop:page")).toMatchObject({
      text: expect.stringContaining("صفحه"),
    });
    const u2 = newUser();
    await walk(h, "telegram", u2, "availability");
    await h.tap("telegram", u2, "r:ag");
    const grid = h.last("telegram", u2).message_id;
    expect(await h.answerTo("telegram", u2, grid, "r:noop:day")).toMatchObject({
      text: expect.stringContaining("نام روز فقط عنوان"),
    });
    expect(await h.answerTo("telegram", u2, grid, "r:noop:hours")).toMatchObject({
      text: expect.stringContaining("ساعت"),
    });
  });

  it("an answered step's buttons go (the consent, the year picker); a question answered by typing loses them too", async () => {
    const user = newUser();
    await h.say("telegram", user, "/start");
    const consent = h.last("telegram", user);
    expect(consent.reply_markup).toBeDefined();
    await h.tap("telegram", user, "r:consent:yes");
    const markupOf = (id: number) =>
      h.sim.botMessages(TOKENS.telegram, user.id).find((m) => m.message_id === id)!.reply_markup as
        { inline_keyboard: unknown[][] } | undefined;
    expect(markupOf(consent.message_id)?.inline_keyboard ?? []).toEqual([]);
    const u2 = newUser();
    await walk(h, "telegram", u2, "birth_year");
    const years = h.last("telegram", u2);
    await h.say("telegram", u2, "۱۳۷۰");
    const after = h.sim.botMessages(TOKENS.telegram, u2.id).find((m) => m.message_id === years.message_id)!;
    expect((after.reply_markup as { inline_keyboard?: unknown[][] } | undefined)?.inline_keyboard ?? []).toEqual([]);
  });

  it("a pattern of days is one tap, and a second tap on it takes it back; the grid is there for the rest", async () => {
    const user = newUser();
    await walk(h, "telegram", user, "availability");
    await h.tap("telegram", user, "r:ap:weekend");
    await h.tap("telegram", user, "r:ap:weekday_mornings");
    await h.tap("telegram", user, "r:ap:weekend");
    let kb = (
      h.last("telegram", user).reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat();
    expect(kb.find((b) => b.callback_data === "r:ap:weekday_mornings")!.text).toContain("✅");
    expect(kb.find((b) => b.callback_data === "r:ap:weekend")!.text).not.toContain("✅");
    await h.tap("telegram", user, "r:ag");
    kb = (
      h.last("telegram", user).reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard.flat();
    expect(kb.some((b) => b.callback_data === "r:a:sat.morning" && b.text.includes("✅"))).toBe(true);
    await h.tap("telegram", user, "r:a:fri.evening");
    await h.tap("telegram", user, "r:h:2");
    expect((await personOf(h, "telegram", user))!.availability!.slots).toEqual([
      "sat.morning",
      "sun.morning",
      "mon.morning",
      "tue.morning",
      "wed.morning",
      "fri.evening",
    ]);
  });

  it("the roles question says some are ticked only when the skills ticked some", async () => {
    const suggested = newUser();
    await walk(h, "telegram", suggested, "roles", { phone: { contact: "+989121110003" }, national_id: "0012345679" });
    expect(h.texts("telegram", suggested).at(-1)).toContain("علامت خورده");
    const none = newUser();
    // Cooking (page 3) suggests no role.
    await walk(h, "telegram", none, "roles", {
      phone: { contact: "+989121110004" },
      national_id: "4512345671",
      skills: { tap: ["r:sp:1", "r:sp:2", "r:s:cooking", "r:sd"] },
    });
    const question = h.last("telegram", none);
    expect(question.text).toContain("کدام نقش‌ها");
    expect(question.text).not.toContain("علامت خورده");
    expect(JSON.stringify(question.reply_markup)).not.toContain("✅");
  });

  it("«عصرها» ticks the «عصر» slots, also from a button sent before it was renamed (r:ap:evenings)", async () => {
    const people = [
      ["r:ap:afternoons", { phone: { contact: "+989121110001" }, national_id: "0012345679" }],
      ["r:ap:evenings", { phone: { contact: "+989121110002" }, national_id: "4512345671" }],
    ] as const;
    for (const [data, answers] of people) {
      const user = newUser();
      await walk(h, "telegram", user, "availability", answers);
      // Pressed on the question as an older message had it (the old name is on no button sent now).
      h.sim.press(TOKENS.telegram, user, h.last("telegram", user).message_id, data);
      await h.deliver("telegram");
      await h.tap("telegram", user, "r:h:4");
      const slots = (await personOf(h, "telegram", user))!.availability!.slots;
      expect(slots, data).toHaveLength(7);
      expect(
        slots.every((s) => s.endsWith(".afternoon")),
        data,
      ).toBe(true);
    }
  });
});

describe("registration: every list in Persian order", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
    await importSampleData(h.app.deps.store);
  });
  afterEach(async () => {
    await h.close();
  });
  const fa = new Intl.Collator("fa").compare;
  const labels = (user: SimUser, prefix: string) =>
    (
      h.last("telegram", user).reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard
      .flat()
      .filter((b) => b.callback_data.startsWith(prefix))
      .map((b) => b.text.replace(/^✅ /, ""));
  const PILOTS = ["کرمانشاه", "خوزستان", "خراسان جنوبی", "گلستان"];

  it("provinces: the four pilot provinces first, then the rest, each group in Persian order; counties too", async () => {
    const user = newUser();
    await walk(h, "telegram", user, "province");
    const provinces = labels(user, "r:p:");
    expect(provinces).toHaveLength(31);
    expect(provinces.slice(0, 4)).toEqual([...PILOTS].sort(fa));
    expect(provinces.slice(4)).toEqual([...provinces.slice(4)].sort(fa));
    expect(provinces.slice(4, 7)).toEqual(["آذربایجان شرقی", "آذربایجان غربی", "اردبیل"]);
    await h.tap("telegram", user, "r:p:tehran");
    const counties = labels(user, "r:c:").filter((c) => !c.includes("شهرستان دیگر"));
    expect(counties).toEqual([...counties].sort(fa));
  });

  it("the referring centre's province comes first; skills and roles are in Persian order", async () => {
    const user = newUser();
    await h.say("telegram", user, "/start GLS-POS-01");
    await walk(h, "telegram", user, "province", { consent: "مریم احمدی", name: null });
    const provinces = labels(user, "r:p:");
    expect(provinces[0]).toBe("گلستان");
    expect(provinces.slice(1)).toEqual([...provinces.slice(1)].sort(fa));
    await h.tap("telegram", user, "r:p:golestan");
    await h.tap("telegram", user, "r:c:gorgan");
    await h.say("telegram", user, "محله");
    const skills = labels(user, "r:s:");
    expect(skills.slice(0, 3)).toEqual([...skills.slice(0, 3)].sort(fa));
    await h.tap("telegram", user, "r:s:childcare");
    await h.tap("telegram", user, "r:sd");
    const roles = labels(user, "r:r:");
    expect(roles).toEqual([...roles].sort(fa));
  });
});

describe("registration: every validation error gets a clear Persian answer, nothing is lost", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });
  const P: Platform = "telegram";

  // A number of their own (typed), unlike `register`'s shared PHONE.
  const OWN = { phone: "۰۹۱۲ ۷۶۵ ۴۳۲۱", national_id: "4512345671" };
  const toNationalId = (user: SimUser) => walk(h, P, user, "national_id", OWN);

  it("the consent offers one action («موافقم», then the name); a name typed under it is still taken as agreement", async () => {
    const user = newUser();
    const consent = (await h.say(P, user, "/start")).at(-1)!;
    expect(consent).toContain("«✅ موافقم» را بزنید");
    expect(consent).not.toContain("بنویسید");
    expect((await h.tap(P, user, "r:consent:yes")).join()).toContain("نام و نام خانوادگی");
    const draftOf = async (u: SimUser) => h.app.deps.store.people.getDraft((await personOf(h, P, u))!.id);
    expect((await draftOf(user))!.consentAt).toBeTruthy();
    const typed = newUser();
    await h.say(P, typed, "/start");
    expect((await h.say(P, typed, "زهرا محمدی")).join()).toContain("شماره همراه");
    expect(await draftOf(typed)).toMatchObject({ firstName: "زهرا", lastName: "محمدی", consentAt: expect.any(String) });
  });

  it("declining consent stores nothing and says how to come back", async () => {
    const user = newUser();
    await walk(h, P, user, "consent");
    const reply = await h.tap(P, user, "r:consent:no");
    expect(reply.join()).toContain("چیزی ذخیره نمی‌کنیم");
    const person = await personOf(h, P, user);
    expect(person!.consentAt).toBeNull();
    expect(await h.app.deps.store.people.getDraft(person!.id)).toBeNull();
    // Nothing later says their registration is waiting half-done: they chose not to start it.
    const later = (await h.say(P, user, "سلام")).join();
    expect(later).not.toContain("نیمه‌کاره");
    expect(later).toContain("/help");
  });

  it("name: one word, digits, a sticker", async () => {
    const user = newUser();
    await walk(h, P, user, "name");
    expect(await h.say(P, user, "مریم")).toEqual([expect.stringContaining("نام و نام خانوادگی را با هم")]);
    expect(await h.say(P, user, "مریم 1234")).toEqual([expect.stringContaining("فقط می‌تواند حروف")]);
    h.sim.sendSticker(TOKENS[P], user);
    await h.deliver(P);
    // The kind of answer wanted, and the question again below it.
    expect(h.texts(P, user).slice(-2)).toEqual([
      expect.stringContaining("به صورت متن"),
      expect.stringContaining("نام و نام خانوادگی"),
    ]);
    expect((await h.say(P, user, "مريم كاظمي")).join()).toContain("شماره همراه");
  });

  it("phone: someone else's contact, a landline, then a typed mobile", async () => {
    const user = newUser();
    await walk(h, P, user, "phone");
    expect(await h.contact(P, user, "+989351112233", user.id + 1)).toEqual([expect.stringContaining("شماره خودتان")]);
    expect(await h.say(P, user, "02188776655")).toEqual([expect.stringContaining("۰۹")]);
    expect((await h.say(P, user, "+98 912 123 4567")).join()).toContain("کد ملی");
    const person = await personOf(h, P, user);
    expect(await h.app.deps.store.people.getDraft(person!.id)).toMatchObject({ phone: PHONE, phoneVerified: false });
  });

  it("national ID: bad format, bad check digit, and one already registered (without saying whose)", async () => {
    const owner = newUser("Owner");
    await register(h, P, owner);
    const user = newUser();
    await toNationalId(user);
    expect(await h.say(P, user, "12345")).toEqual([expect.stringContaining("۱۰ رقم")]);
    expect(await h.say(P, user, "0012345678")).toEqual([expect.stringContaining("معتبر نیست")]);
    const taken = await h.say(P, user, NID);
    expect(taken).toEqual([expect.stringContaining("پیش‌تر در همدل ثبت شده")]);
    expect(taken.join()).not.toContain("مریم");
    expect((await h.say(P, user, "1234567891")).join()).toContain("سال تولد");
  });

  it("birth year: no decade reads «۱۳۹۰ تا ۱۳۹۰» (a decade cut to one year is that year)", async () => {
    const user = newUser();
    await walk(h, P, user, "birth_year");
    const decades = (
      h.last(P, user).reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard
      .flat()
      .filter((b) => b.callback_data.startsWith("r:dec:"))
      .map((b) => b.text);
    expect(decades.length).toBeGreaterThan(3);
    for (const label of decades) expect(label).not.toMatch(/^(\S+) تا \1$/);
  });

  it("birth year: typed out of range, typed in Persian digits, forged decade", async () => {
    const user = newUser();
    await walk(h, P, user, "birth_year", OWN);
    expect(await h.say(P, user, "1400")).toEqual([expect.stringMatching(/بین .+ و .+ باشد/)]);
    const prompt = h.sim
      .botMessages(TOKENS[P], user.id)
      .filter((m) => m.reply_markup)
      .at(-1)!;
    expect(await h.answerTo(P, user, prompt.message_id, "r:dec:1200")).toMatchObject({
      text: expect.stringContaining("معتبر نیست"),
    });
    expect((await h.say(P, user, "۱۳۷۰")).join()).toContain("جنسیت");
  });

  it("buttons steps: text instead of a button, a forged province, an old message's button", async () => {
    const user = newUser();
    await walk(h, P, user, "birth_year", OWN);
    const decadePrompt = h.last(P, user);
    await h.say(P, user, "1370");
    expect(await h.say(P, user, "زن")).toEqual([
      expect.stringContaining("دکمه‌های پیام زیر"),
      expect.stringContaining("جنسیت"),
    ]);
    await h.tap(P, user, "r:g:female");
    const provincePrompt = h.last(P, user);
    expect(await h.answerTo(P, user, provincePrompt.message_id, "r:p:atlantis")).toMatchObject({
      text: expect.stringContaining("معتبر نیست"),
    });
    expect(await h.answerTo(P, user, decadePrompt.message_id, "r:dec:1360")).toMatchObject({
      text: expect.stringContaining("پیام قدیمی"),
    });
    expect((await h.tap(P, user, "r:p:kermanshah")).join()).toContain("شهرستان");
  });

  it("county typed when not listed; location outside Iran refused; skills and availability need a choice", async () => {
    const user = newUser();
    await walk(h, P, user, "county", { ...OWN, gender: { tap: "r:g:male" }, province: { tap: "r:p:khorasan_south" } });
    await h.tap(P, user, "r:c:*other");
    expect(h.last(P, user).text).toContain("نام شهرستان");
    expect(await h.say(P, user, "<b>")).toEqual([expect.stringContaining("فقط حروف")]);
    await h.say(P, user, "سه‌قلعه"); // a town, not a county: nothing in the list fits, so it is kept as written
    expect(await h.location(P, user, 48.85, 2.35)).toEqual([expect.stringContaining("در ایران نیست")]);
    expect(await h.location(P, user, 32.87, 59.22)).toEqual([expect.stringContaining("موقعیت شما ثبت شد")]);
    await h.say(P, user, "مهرشهر");
    expect(await h.answerTo(P, user, h.last(P, user).message_id, "r:sd")).toMatchObject({
      text: expect.stringContaining("دست‌کم"),
      show_alert: true,
    });
    await h.tap(P, user, "r:sp:1");
    await h.tap(P, user, "r:sp:2");
    await h.tap(P, user, "r:sp:3");
    await h.tap(P, user, "r:s:sign_language");
    await h.tap(P, user, "r:sp:2");
    await h.tap(P, user, "r:sp:1");
    await h.tap(P, user, "r:sp:0");
    await h.tap(P, user, "r:s:elderly_care");
    await h.tap(P, user, "r:s:elderly_care");
    await h.tap(P, user, "r:s:childcare");
    await h.tap(P, user, "r:sd");
    await h.tap(P, user, "r:rd");
    expect(await h.answerTo(P, user, h.last(P, user).message_id, "r:h:8")).toMatchObject({
      text: expect.stringContaining("دست‌کم"),
    });
    await h.tap(P, user, "r:ag");
    await h.tap(P, user, "r:a:fri.evening");
    const done = await h.tap(P, user, "r:h:8");
    expect(done.join()).toContain("ثبت‌نام شما کامل شد");
    expect(await personOf(h, P, user)).toMatchObject({
      county: "سه‌قلعه",
      neighbourhood: "مهرشهر",
      location: { lat: 32.87, lon: 59.22 },
      skills: ["childcare", "sign_language"],
      // The roles these skills suggest, ticked already and kept with «تمام».
      roles: ["disability_helper", "mother_helper"],
      availability: { slots: ["fri.evening"], hoursPerWeek: 8 },
    });
  });
});

describe("registration: back, cancel, resume, restart, edit", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });
  const P: Platform = "bale";

  it("Back goes one step back: reply-keyboard text and inline button", async () => {
    const user = newUser();
    await walk(h, P, user, "phone");
    expect((await h.say(P, user, "↩️ بازگشت")).join()).toContain("نام و نام خانوادگی");
    await h.say(P, user, "Sara Karimi");
    await h.say(P, user, PHONE);
    await h.say(P, user, NID);
    await h.say(P, user, "1370");
    expect((await h.tap(P, user, "r:back")).join()).toContain("سال تولد");
  });

  it("/cancel keeps the answers, and /start resumes at the same step", async () => {
    const user = newUser();
    await walk(h, P, user, "national_id");
    expect((await h.say(P, user, "/cancel")).join()).toContain("پاسخ‌هایتان نگه داشته شده");
    // Outside the conversation, the person is told how to go on.
    expect(await h.say(P, user, NID)).toEqual([expect.stringMatching(/نیمه‌کاره[\s\S]*\/start/)]);
    const resumed = await h.say(P, user, "/start");
    expect(resumed.join("\n")).toMatch(/ادامه ثبت‌نام[\s\S]*کد ملی/);
    expect((await h.say(P, user, NID)).join()).toContain("سال تولد");
  });

  it("/help mid-registration answers and the registration goes on", async () => {
    const user = newUser();
    await walk(h, P, user, "name");
    expect((await h.say(P, user, "/help")).join()).toContain("/profile");
    expect((await h.say(P, user, "/language")).join()).toContain("اول کاری را که در جریان است");
    expect((await h.say(P, user, "Sara Karimi")).join()).toContain("شماره همراه");
  });

  it("survives a restart mid-conversation: the next update continues", async () => {
    const user = newUser();
    await walk(h, P, user, "birth_year");
    await h.close();
    h = await createHarness({ config: h.config, sim: h.sim });
    expect((await h.tap(P, user, "r:dec:1360")).join()).toContain("سال تولد");
    expect((await h.tap(P, user, "r:yr:1365")).join()).toContain("جنسیت");
    const draft = await h.app.deps.store.people.getDraft((await personOf(h, P, user))!.id);
    expect(draft).toMatchObject({ firstName: "Sara", phone: PHONE, nationalId: NID, birthYear: 1365 });
  });

  it("survives a restart that lost the conversation state: /start resumes from the saved draft", async () => {
    const user = newUser();
    await walk(h, P, user, "national_id");
    await h.close();
    await h.app.deps.state.close();
    // A new DATA_DIR for state only would lose it; simulate by deleting the conversation key.
    h = await createHarness({ config: h.config, sim: h.sim });
    await h.app.deps.state.storage(`conv:${P}`).delete(String(user.id));
    expect((await h.say(P, user, "/start")).join("\n")).toMatch(/ادامه ثبت‌نام[\s\S]*کد ملی/);
  });

  it("the registered message edits any field; a new province asks the county again; Back leaves it as it was", async () => {
    const user = newUser();
    await walk(h, P, user, "summary");
    await h.tap(P, user, "pf:e:name");
    const saved = (await h.say(P, user, "Sara Rahimi")).join();
    expect(saved).toContain("ذخیره شد");
    // The profile as it is now comes with it.
    expect(saved).toContain("نام: Sara Rahimi");
    await h.tap(P, user, "pf:e:province");
    expect((await h.tap(P, user, "r:p:kermanshah")).join()).toContain("شهرستان");
    expect((await h.tap(P, user, "r:c:paveh")).join()).toContain("ذخیره شد");
    await h.tap(P, user, "pf:e:gender");
    expect((await h.tap(P, user, "r:back")).join()).toContain("تغییری داده نشد");
    expect(await personOf(h, P, user)).toMatchObject({
      lastName: "Rahimi",
      province: "kermanshah",
      county: "paveh",
      gender: "female",
      notify: { campaigns: true, matches: true },
    });
  });
});

describe("after registration: profile, stop/resume, delete, linking", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it("/profile shows masked personal data and edits one field", async () => {
    const user = newUser();
    await register(h, "telegram", user);
    const view = (await h.say("telegram", user, "/profile")).join();
    // The phone as every message shows one (Latin digits, which a phone dials), the national ID in Persian digits,
    // each isolated from the right-to-left text around it (not shown as «4567*******»).
    expect(view).toContain("\u2066*******4567\u2069");
    expect(view).toContain("\u2066******۵۶۷۹\u2069");
    expect(view).not.toContain(NID);
    await h.tap("telegram", user, "pf:e:skills");
    await h.tap("telegram", user, "r:s:childcare");
    expect((await h.tap("telegram", user, "r:sd")).join()).toContain("ذخیره شد");
    expect((await personOf(h, "telegram", user))!.skills).toEqual(["childcare", "infant_care"]);
    await h.tap("telegram", user, "pf:e:neighbourhood");
    expect((await h.say("telegram", user, "↩️ بازگشت")).join()).toContain("تغییری داده نشد");
    expect(
      await h.answerTo(
        "telegram",
        user,
        h.sim.botMessages(TOKENS.telegram, user.id).find((m) => m.text?.includes("پرونده"))!.message_id,
        "pf:e:volunteer_code",
      ),
    ).toMatchObject({
      text: expect.stringContaining("معتبر نیست"),
    });
  });

  it("/profile and /stop refuse people who have not registered", async () => {
    const user = newUser();
    expect(await h.say("telegram", user, "/profile")).toEqual([expect.stringContaining("هنوز ثبت‌نام نکرده‌اید")]);
    expect(await h.say("telegram", user, "/stop")).toEqual([expect.stringContaining("هنوز ثبت‌نام نکرده‌اید")]);
  });

  it("/stop and /resume switch notifications", async () => {
    const user = newUser();
    await register(h, "bale", user);
    expect(await h.say("bale", user, "/stop")).toEqual([expect.stringContaining("خاموش")]);
    expect((await personOf(h, "bale", user))!.notify).toEqual({ campaigns: false, matches: false });
    await h.say("bale", user, "/resume");
    expect((await personOf(h, "bale", user))!.notify).toEqual({ campaigns: true, matches: true });
  });

  it("/delete asks first, then erases personal data but keeps anonymous counts", async () => {
    const user = newUser();
    await register(h, "telegram", user);
    const id = (await personOf(h, "telegram", user))!.id;
    await h.say("telegram", user, "/delete");
    expect((await h.tap("telegram", user, "del:no")).join()).toContain("چیزی پاک نشد");
    await h.say("telegram", user, "/delete");
    expect((await h.tap("telegram", user, "del:yes")).join()).toContain("اطلاعات شما پاک شد");
    const erased = await h.app.deps.store.people.get(id);
    expect(erased).toMatchObject({
      firstName: null,
      phone: null,
      nationalId: null,
      identities: [],
      province: "golestan",
      skills: ["infant_care"],
    });
    expect(await personOf(h, "telegram", user)).toBeNull();
    expect(await h.app.deps.store.people.count()).toBe(1);
    // The same person can register again with the same national ID.
    await register(h, "telegram", user);
    expect((await personOf(h, "telegram", user))!.nationalId).toBe(NID);
  });

  it("links the same person across platforms by a verified phone number", async () => {
    const user = newUser("مریم");
    await register(h, "telegram", user);
    const original = (await personOf(h, "telegram", user))!;
    await walk(h, "bale", user, "phone", { name: "مریم احمدی" });
    expect((await h.contact("bale", user, PHONE)).join()).toContain("پیش‌تر در تلگرام ثبت‌نام شده است");
    expect((await h.tap("bale", user, "r:link:yes")).join()).toContain(original.volunteerCode!);
    const linked = (await personOf(h, "bale", user))!;
    expect(linked.id).toBe(original.id);
    expect(linked.identities.map((i) => i.platform).sort()).toEqual(["bale", "telegram"]);
    expect(await h.app.deps.store.people.count()).toBe(1);
    expect((await h.say("bale", user, "/start")).join()).toContain(original.volunteerCode!);
  });

  it("a typed (unverified) phone is never offered for linking; declining a link registers anew", async () => {
    const user = newUser();
    await register(h, "telegram", user);
    const other = newUser();
    await walk(h, "bale", other, "phone", { name: "Ali Rezaei" });
    // Typed, the registered number is only «in use»: no link, nobody named.
    const typed = (await h.say("bale", other, PHONE)).join();
    expect(typed).toContain("در ثبت‌نام دیگری به کار رفته است");
    expect(typed).not.toContain("مریم");
    await h.say("bale", other, "/cancel");
    const third = newUser();
    await walk(h, "bale", third, "phone", { name: "Ali Rezaei" });
    await h.contact("bale", third, PHONE);
    expect((await h.tap("bale", third, "r:link:no")).join()).toContain("کد ملی");
    expect(await h.app.deps.store.people.count()).toBe(3);
  });
});
