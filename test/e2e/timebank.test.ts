import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { centreAccount, personAccount } from "../../src/domain/ledger.js";
import type { SimUser } from "../../src/playground/bot-api/simulator.js";
import { matchingTick } from "../../src/services/matching/index.js";
import { importSampleData } from "../support/sample.js";
import type { PersonPatch } from "../../src/store/port/index.js";
import type { Platform } from "../../src/platforms/capabilities.js";
import { createHarness, TOKENS, type Harness } from "../support/harness.js";
import { expectPersian, textsAndLabels } from "../support/persian.js";
import { storedVolunteer } from "../support/volunteer.js";

/**
 * The time bank end to end, through the real bots and the delivery engine:
 * a centre posts a need → volunteers are notified → one accepts → the
 * volunteer's institution approves → both get the introduction → hours are
 * confirmed → the balance shows them. And the refusals around it.
 */
/** Volunteers, citizens and the centre on one platform (P), the institution's operator on the other (O). */
describe.each([
  ["telegram", "bale"],
  ["bale", "telegram"],
] as const)("needs, matching and the time bank, end to end, on %s (the institution on %s)", (P, O) => {
  let h: Harness;
  let coordinator: SimUser;
  let operator: SimUser;
  beforeEach(async () => {
    h = await createHarness();
    const { store } = h.app.deps;
    await importSampleData(store);
    coordinator = await h.staff("centre_coordinator", "KSH-POS-01", P);
    operator = await h.staff("institution_operator", "INST-KSH-01", O);
  });
  afterEach(() => h.close());

  /** A registered volunteer in Kermanshah who came through KSH-POS-01, directly in the store, with an open chat. */
  const volunteer = (patch: PersonPatch = {}) => storedVolunteer(h, patch, "KSH-POS-01", P);

  const deliverAll = async () => {
    while ((await h.app.engine.runOnce()) > 0);
  };

  /** Posts a need through /need: the neighbourhood helper role, `wanted` people, Saturday mornings. */
  async function postNeed(wanted: "1" | "2") {
    await h.say(P, coordinator, "/need");
    await h.tap(P, coordinator, "r:c:0"); // neighbourhood helper
    await h.say(P, coordinator, wanted);
    await h.tap(P, coordinator, "r:c:0"); // from today
    await h.tap(P, coordinator, "r:c:1"); // for a month
    await h.tap(P, coordinator, "r:a:sat.morning");
    await h.tap(P, coordinator, "r:ad");
    await h.tap(P, coordinator, "r:c:1"); // the whole province
    await h.say(P, coordinator, "لطفاً کارت ملی همراه داشته باشید");
    const done = await h.tap(P, coordinator, "r:c:0");
    const [need] = await h.app.deps.store.needs.list({ centreCodes: ["KSH-POS-01"] });
    return { need: need!, reply: done.join("\n") };
  }

  /** Presses a button (any data) on the user's newest message; returns the callback answer. */
  const press = (user: SimUser, data: string, platform: Platform = P) =>
    h.answerTo(platform, user, h.last(platform, user).message_id, data);

  /** Every message anyone got, on both platforms (the /need composer, notices, introductions, hours): Persian. */
  const everyoneReadPersian = () => {
    for (const { token, chats } of h.sim.snapshot()) {
      const platform = token === TOKENS.bale ? "bale" : "telegram";
      const messages = chats.flatMap((c) => c.messages.filter((m) => m.from.is_bot));
      expect(messages.length, platform).toBeGreaterThan(0);
      expectPersian(textsAndLabels(messages), platform);
    }
  };

  const offerOf = async (needId: string, personId: string) =>
    (await h.app.deps.store.needs.offers(needId)).find((o) => o.personId === personId)!;

  it("need → notices → accept → institution approves → introductions → hours → balance", async () => {
    const { store } = h.app.deps;
    const a = await volunteer();
    const b = await volunteer({ availability: { slots: ["sat.morning"], hoursPerWeek: 2 } });
    const elsewhere = await volunteer({ province: "golestan", county: "gorgan" });
    const { need, reply } = await postNeed("1");
    expect(reply).toContain("نیاز ثبت شد");
    expect(need).toMatchObject({
      role: "neighbourhood_helper",
      wanted: 1,
      reach: "province",
      status: "open",
      slots: ["sat.morning"],
    });
    expect((await store.access.auditLog({ limit: 5 })).map((r) => r.action)).toContain("need.post");

    await deliverAll();
    const notice = h.texts(P, a.user).at(-1)!;
    expect(notice).toContain("درخواست همیاری");
    expect(notice).toContain("چرا شما؟");
    expect(notice).not.toContain("083"); // no centre phone before approval
    expect(h.texts(P, b.user).at(-1)).toContain("درخواست همیاری");
    expect(h.texts(P, elsewhere.user)).toEqual([]);

    const offer = await offerOf(need.id, a.person.id);
    expect(await h.tap(P, a.user, `of:a:${offer.id}`)).toContain(
      "ممنون از همدلی شما! پذیرش شما برای تأیید به مؤسسه همکارِ بهزیستی فرستاده شد. پس از تأیید، راه تماس و نشانی را می‌فرستیم.",
    );
    expect((await store.needs.get(need.id))!.status).toBe("filled");
    // The other volunteer's offer is withdrawn: their late acceptance is turned away politely.
    const late = await offerOf(need.id, b.person.id);
    expect((await h.tap(P, b.user, `of:a:${late.id}`)).join()).toContain("دیگر باز نیست");

    await deliverAll();
    const request = h.texts(O, operator).at(-1)!;
    expect(request).toContain("درخواست تأیید معرفی");
    expect(request).toContain("HM-T");
    const coordinatorBefore = h.texts(P, coordinator).join("\n");
    expect(coordinatorBefore).not.toContain(a.person.phone!);

    expect(await h.tap(O, operator, `od:y:${offer.id}`)).toContain("معرفی تأیید شد و برای داوطلب و مرکز فرستاده شد.");
    await deliverAll();
    // The introduction, then (a centre's need) the sessions it made.
    const [intro, schedule] = h.texts(P, a.user).slice(-2) as [string, string];
    expect(intro).toContain("معرفی شما با تأیید مؤسسه خیریه نیکوکاران کرمانشاه انجام شد");
    expect(schedule).toMatch(/^📅 [۰-۹]+ نوبت خدمت برای شما ثبت شد/);
    // Two reminders, said as two: «دو روز و دو ساعت پیش» read as one time.
    expect(schedule).toContain("دو یادآوری می‌فرستیم: یکی دو روز پیش و یکی دو ساعت پیش");
    // Dialled, so in Latin digits, isolated inside the Persian line.
    expect(intro).toMatch(/تلفن مرکز: \u2066083\d{8}\u2069/);
    const centreIntro = h.texts(P, coordinator).at(-1)!;
    expect(centreIntro).toContain(a.person.phone!);
    expect(centreIntro).toContain(a.person.volunteerCode!);

    await h.tap(P, coordinator, `hr:${offer.id}`);
    expect(await h.tap(P, coordinator, `hh:${offer.id}:120`)).toContain("۲ ساعت ثبت شد. سپاس!");
    // Confirming the same service again credits nothing more.
    await h.tap(P, coordinator, `hr:${offer.id}`);
    expect(await h.tap(P, coordinator, `hh:${offer.id}:120`)).toContain(
      "این خدمت پیش‌تر برای امروز ثبت شده بود؛ دوباره ثبت نشد.",
    );
    expect(await store.ledger.balance(personAccount(a.person.id))).toBe(120);
    expect(await store.ledger.balance(centreAccount("KSH-POS-01"))).toBe(-120);
    expect(await store.ledger.total()).toBe(0);

    await deliverAll();
    expect(h.texts(P, a.user).at(-1)).toContain("۲ ساعت خدمت شما در بانک زمان ثبت شد");
    const hours = (await h.say(P, a.user, "/hours")).join();
    expect(hours).toContain("خدمت داده: ۲ ساعت");
    expect(hours).toContain("مانده: ۲ ساعت");
    const actions = (await store.access.auditLog({ limit: 20 })).map((r) => `${r.action}:${r.outcome}`);
    expect(actions).toEqual(expect.arrayContaining(["need.post:ok", "offer.approve:ok", "hours.confirm:ok"]));
    everyoneReadPersian();
  });

  it("refuses what a person may not do, and forged or stale buttons", async () => {
    const { store } = h.app.deps;
    const a = await volunteer();
    const b = await volunteer();
    const { need } = await postNeed("2");
    await deliverAll();
    const offerA = await offerOf(need.id, a.person.id);

    // A citizen is not a coordinator.
    expect((await h.say(P, a.user, "/need")).join()).toContain("هماهنگ‌کننده هیچ مرکزی نیستید");
    expect((await h.say(P, a.user, "/approvals")).join()).toContain("مؤسسه‌های میانی");
    // Someone else's offer, and nonsense data.
    expect(await press(b.user, `of:a:${offerA.id}`)).toMatchObject({
      text: expect.stringContaining("مربوط به شما نیست"),
    });
    expect(await press(b.user, "of:a:not-a-uuid")).toMatchObject({
      text: expect.stringContaining("معتبر نیست"),
    });
    expect((await store.needs.getOffer(offerA.id))!.status).toBe("pending");

    await h.tap(P, a.user, `of:a:${offerA.id}`);
    // A volunteer cannot approve their own introduction; nor can a coordinator.
    expect(await press(a.user, `od:y:${offerA.id}`)).toMatchObject({
      text: expect.stringContaining("اجازه"),
    });
    expect(await press(coordinator, `od:y:${offerA.id}`)).toMatchObject({ show_alert: true });
    expect((await store.needs.getOffer(offerA.id))!.status).toBe("accepted");
    const refused = (await store.access.auditLog({ limit: 20 })).filter((r) => r.outcome === "refused");
    expect(refused.map((r) => `${r.action}:${r.actor}`)).toEqual(
      expect.arrayContaining([`offer.approve:${P}:${a.user.id}`, `offer.approve:${P}:${coordinator.id}`]),
    );
    // Hours before approval, forged minutes, and by a non-coordinator.
    expect(await press(coordinator, `hh:${offerA.id}:999`)).toMatchObject({
      text: expect.stringContaining("معتبر نیست"),
    });
    await press(coordinator, `hh:${offerA.id}:60`);
    expect(h.texts(P, coordinator).at(-1)).toContain("ممکن نیست");

    // The operator rejects with a reason: the place is free again and the volunteer is told why.
    await deliverAll();
    await h.tap(O, operator, `od:n:${offerA.id}`);
    expect((await h.tap(O, operator, `od:r:${offerA.id}:documents`)).join()).toContain("معرفی رد شد");
    expect((await store.needs.get(need.id))!).toMatchObject({ filled: 0, status: "open" });
    await deliverAll();
    expect(h.texts(P, a.user).at(-1)).toContain("مدارک کامل نیست");
    await press(a.user, `hh:${offerA.id}:60`);
    expect(await store.ledger.balance(personAccount(a.person.id))).toBe(0);

    // Another centre's coordinator cannot close this need.
    const other = await h.staff("centre_coordinator", "GLS-POS-01", P);
    await h.say(P, other, "/needs");
    expect(await press(other, `nd:c:${need.id}`)).toMatchObject({
      text: expect.stringContaining("اجازه"),
    });
    expect((await store.needs.get(need.id))!.status).toBe("open");
    // Its own coordinator can, once they confirm; open offers are withdrawn, and the list comes again.
    await h.say(P, coordinator, "/needs");
    await press(coordinator, `nd:c:${need.id}`);
    expect(h.texts(P, coordinator).at(-1)).toContain("بسته شود؟");
    expect((await store.needs.get(need.id))!.status).toBe("open");
    expect(await press(coordinator, `nd:x:${need.id}`)).toMatchObject({
      text: "نیاز بسته شد و پیشنهادهای باز پس گرفته شد.",
    });
    expect(h.texts(P, coordinator).at(-1)).toContain("بسته");
    expect((await store.needs.get(need.id))!.status).toBe("closed");
    expect((await store.needs.getOffer((await offerOf(need.id, b.person.id)).id))!.status).toBe("withdrawn");

    // A closed need can be matched again: «دوباره» asks first (with its new dates), then posts it from today,
    // and those asked before are asked again. Not by another centre, and not twice from an open one.
    const list = h.last(P, coordinator);
    expect(JSON.stringify(list.reply_markup)).toContain(`nd:a:${need.id}`);
    expect(await press(other, `nd:a:${need.id}`)).toMatchObject({ text: expect.stringContaining("اجازه") });
    await press(coordinator, `nd:a:${need.id}`);
    expect(h.texts(P, coordinator).at(-1)).toMatch(/دوباره ثبت شود؟[\s\S]*از .+ تا /);
    expect(await store.needs.list({ centreCodes: [need.centreCode] })).toHaveLength(1);
    await press(coordinator, `nd:y:${need.id}`);
    expect(h.texts(P, coordinator).at(-1)).toContain("نیاز ثبت شد");
    const again = (await store.needs.list({ centreCodes: [need.centreCode] })).find((n) => n.id !== need.id)!;
    expect(again).toMatchObject({ role: need.role, wanted: need.wanted, slots: need.slots, status: "open" });
    expect((await store.needs.offers(again.id)).map((o) => o.personId)).toContain(b.person.id);
    expect(await press(coordinator, `nd:a:${again.id}`)).toMatchObject({
      text: expect.stringContaining("دوباره ثبت می‌شود"),
    });
    expect(await press(coordinator, `nd:y:${again.id}`)).toMatchObject({
      text: expect.stringContaining("دوباره ثبت می‌شود"),
    });
    expect(await store.needs.list({ centreCodes: [need.centreCode] })).toHaveLength(2);
  });

  it("a decline sends the next wave; unanswered offers expire and the next wave goes out", async () => {
    const { store } = h.app.deps;
    // Ten candidates, one place: the first wave asks three.
    const people = [];
    for (let i = 0; i < 10; i++) people.push(await volunteer());
    const { need } = await postNeed("1");
    const first = await store.needs.offers(need.id);
    expect(first).toHaveLength(3);
    const asked = people.find((p) => p.person.id === first[0]!.personId)!;
    await deliverAll();
    expect(await h.tap(P, asked.user, `of:d:${first[0]!.id}`)).toContain(
      "ممنون که پاسخ دادید. درخواست‌های بعدی را هم برایتان می‌فرستیم.",
    );
    expect(await store.needs.offers(need.id)).toHaveLength(4);
    // A day later nobody answered: the open offers expire and three more people are asked.
    const later = { ...h.app.deps.matching, now: () => new Date(Date.now() + 25 * 3_600_000) };
    const tick = await matchingTick(later);
    expect(tick).toMatchObject({ expiredOffers: 3, waves: 1 });
    const offers = await store.needs.offers(need.id);
    expect(offers.filter((o) => o.status === "pending")).toHaveLength(3);
    expect(new Set(offers.map((o) => o.personId)).size).toBe(offers.length); // nobody asked twice
    expect((await store.needs.get(need.id))!.waves).toBe(3);
  });

  it("an acceptance reaches the institution (with its buttons) and the centre; undecided, it is reminded, then raised to the province, once each", async () => {
    const { store } = h.app.deps;
    const admin = await h.staff("provincial_admin", "kermanshah", O);
    const a = await volunteer();
    const { need } = await postNeed("2");
    await deliverAll();
    const offer = await offerOf(need.id, a.person.id);
    await h.tap(P, a.user, `of:a:${offer.id}`);
    await deliverAll();
    // The operator's push carries the decision's buttons; the centre hears that one of two places is taken.
    const push = h.sim.botMessages(O === "bale" ? TOKENS.bale : TOKENS.telegram, operator.id).at(-1)!;
    expect(push.text).toContain("درخواست تأیید معرفی");
    expect(JSON.stringify(push.reply_markup)).toContain(`od:y:${offer.id}`);
    const told = h.texts(P, coordinator).at(-1)!;
    expect(told).toContain("یک داوطلب درخواست");
    expect(told).toContain("۱ از ۲");
    expect(told).not.toContain(a.person.phone!);

    const at = (hours: number) => ({ ...h.app.deps.matching, now: () => new Date(Date.now() + hours * 3_600_000) });
    expect(await matchingTick(at(1))).toMatchObject({ reminded: 0, raised: 0 });
    expect(await matchingTick(at(5))).toMatchObject({ reminded: 1, raised: 0 });
    expect(await matchingTick(at(6))).toMatchObject({ reminded: 0, raised: 0 });
    await deliverAll();
    const reminder = h.sim.botMessages(O === "bale" ? TOKENS.bale : TOKENS.telegram, operator.id).at(-1)!;
    expect(reminder.text).toContain("یادآوری");
    expect(JSON.stringify(reminder.reply_markup)).toContain(`od:n:${offer.id}`);
    expect(h.texts(O, admin)).toEqual([]);
    expect(await matchingTick(at(25))).toMatchObject({ raised: 1 });
    expect(await matchingTick(at(26))).toMatchObject({ reminded: 0, raised: 0 });
    await deliverAll();
    const raised = h.texts(O, admin).join("\n");
    expect(raised).toContain("بی‌پاسخ مانده است");
    expect(raised).toContain("مؤسسه خیریه نیکوکاران کرمانشاه");
    // Once decided, nothing more is chased.
    await h.tap(O, operator, `od:y:${offer.id}`);
    expect(await store.needs.awaitingDecision(["INST-KSH-01"])).toEqual([]);
    expect(await matchingTick(at(50))).toMatchObject({ reminded: 0, raised: 0 });
  });

  it("holds waves in quiet hours and sends them at the first tick after", async () => {
    const { store } = h.app.deps;
    await volunteer();
    const night = new Date("2026-11-25T20:30:00Z"); // midnight in Tehran
    const morning = new Date("2026-11-26T05:00:00Z"); // 08:30 in Tehran
    const quiet = { ...h.app.deps.matching, quietHours: { from: 22, to: 8 }, now: () => night };
    h.app.deps.matching.quietHours = quiet.quietHours;
    h.app.deps.matching.now = quiet.now;
    const { reply, need } = await postNeed("1");
    expect(reply).toContain("ساعت استراحت");
    expect(await store.needs.offers(need.id)).toEqual([]);
    expect(await matchingTick(quiet)).toMatchObject({ waves: 0 });
    expect(await matchingTick({ ...quiet, now: () => morning })).toMatchObject({ waves: 1 });
    expect(await store.needs.offers(need.id)).toHaveLength(1);
  });

  it("a citizen's request: centre review → match → institution approval → volunteer reports, requester confirms", async () => {
    const { store } = h.app.deps;
    const helper = await volunteer();
    const citizen = await volunteer({ skills: ["tutoring"], roles: [] });
    await h.say(P, citizen.user, "/request");
    await h.tap(P, citizen.user, "r:bt:cooking");
    await h.tap(P, citizen.user, "r:bn");
    await h.tap(P, citizen.user, "r:c:0"); // one person
    await h.tap(P, citizen.user, "r:c:0"); // from today
    await h.tap(P, citizen.user, "r:c:0"); // for a week
    await h.tap(P, citizen.user, "r:a:sat.morning");
    await h.tap(P, citizen.user, "r:ad");
    await h.say(P, citizen.user, "همسایه سالمندم برای پختن غذا کمک می‌خواهد");
    expect((await h.tap(P, citizen.user, "r:c:0")).join()).toContain("برای بررسی به مرکز فرستاده شد");
    const [request] = await store.needs.list({ requesterId: citizen.person.id });
    expect(request).toMatchObject({ kind: "request", status: "review", centreCode: "KSH-POS-01", skills: ["cooking"] });
    expect(await store.needs.offers(request!.id)).toEqual([]); // nobody is asked before review

    await deliverAll();
    expect(h.texts(P, coordinator).at(-1)).toContain("درخواست کمک تازه");
    expect(h.texts(P, coordinator).at(-1)).not.toContain(citizen.person.phone!);
    // A coordinator of another centre, and the requester, cannot approve it.
    const other = await h.staff("centre_coordinator", "GLS-POS-01");
    await h.say(P, other, "/help");
    expect(await press(other, `rq:y:${request!.id}`)).toMatchObject({ show_alert: true });
    expect(await press(citizen.user, `rq:y:${request!.id}`)).toMatchObject({ show_alert: true });
    expect((await store.needs.get(request!.id))!.status).toBe("review");
    expect((await h.tap(P, coordinator, `rq:y:${request!.id}`)).join()).toContain("درخواست تأیید شد");
    const [offer] = await store.needs.offers(request!.id);
    expect(offer!.personId).toBe(helper.person.id); // never the requester themself
    await deliverAll();
    await h.tap(P, helper.user, `of:a:${offer!.id}`);
    await deliverAll();
    await h.tap(O, operator, `od:y:${offer!.id}`);
    await deliverAll();
    expect(h.texts(P, helper.user).at(-1)).toContain(citizen.person.phone!);
    expect(h.texts(P, citizen.user).at(-1)).toContain(helper.person.phone!);

    // The volunteer reports two hours; only the requester's confirmation credits them.
    await h.tap(P, helper.user, `hr:${offer!.id}`);
    expect((await h.tap(P, helper.user, `hh:${offer!.id}:120`)).join()).toContain(
      "برای تأیید به درخواست‌کننده فرستاده شد",
    );
    expect(await store.ledger.balance(personAccount(helper.person.id))).toBe(0);
    await deliverAll();
    const confirm = h.last(P, citizen.user);
    const data = (confirm.reply_markup as { inline_keyboard: { callback_data: string }[][] }).inline_keyboard[0]![0]!
      .callback_data;
    expect(data).toMatch(/^hc:/);
    // The volunteer cannot confirm their own report.
    await press(helper.user, data);
    expect(h.texts(P, helper.user).at(-1)).toBe("این کار برای شما ممکن نیست یا این خدمت دیگر باز نیست.");
    expect(await store.ledger.balance(personAccount(helper.person.id))).toBe(0);
    await h.tap(P, citizen.user, data);
    expect(await store.ledger.balance(personAccount(helper.person.id))).toBe(120);
    expect(await store.ledger.balance(personAccount(citizen.person.id))).toBe(-120);
    expect(await store.ledger.total()).toBe(0);
    expect((await h.say(P, citizen.user, "/hours")).join()).toContain("کمک گرفته: ۲ ساعت");
    everyoneReadPersian();
  });
});
