import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkInPayload, checkInSubject } from "../../src/domain/check-in.js";
import { addDaysIso, isoDateIn } from "../../src/domain/jalali.js";
import { personAccount } from "../../src/domain/ledger.js";
import { weekdayOf } from "../../src/domain/sessions.js";
import type { Platform } from "../../src/platforms/capabilities.js";
import type { SimUser } from "../../src/playground/bot-api/simulator.js";
import { editNeed, postNeed, reportHours } from "../../src/services/matching/index.js";
import {
  approveAttendance,
  centreDigest,
  checkByHand,
  correctSession,
  digestText,
  needChanged,
  serviceTick,
} from "../../src/services/service-day/index.js";
import type { ServiceSession } from "../../src/store/port/index.js";
import { createHarness, TOKENS, type Harness } from "../support/harness.js";
import { expectPersian } from "../support/persian.js";
import { importSampleData } from "../support/sample.js";
import { storedVolunteer } from "../support/volunteer.js";

/**
 * The day of service through the real bots (in-process simulator): a
 * cancellation that frees the place for the next wave, the refusals, what
 * the clock decides (quiet hours, unconfirmed, absent, no check-out) and the
 * centre's digest.
 */
describe("the day of service", () => {
  let h: Harness;
  let clock: Date;
  let coordinator: SimUser;
  let operator: SimUser;
  const P: Platform = "bale";
  const tz = "Asia/Tehran";

  beforeEach(async () => {
    h = await createHarness();
    await importSampleData(h.app.deps.store);
    clock = new Date();
    h.app.deps.serviceDay.now = () => clock;
    coordinator = await h.staff("centre_coordinator", "KSH-POS-01", "telegram");
    operator = await h.staff("institution_operator", "INST-KSH-01", "telegram");
  });
  afterEach(() => h.close());

  const d = () => h.app.deps.serviceDay;
  const deliverAll = async () => {
    while ((await h.app.engine.runOnce()) > 0);
  };
  const actor = (user: SimUser, platform: Platform = "telegram") =>
    h.app.deps.actors.of({ platform, userId: String(user.id) });
  const day = () => addDaysIso(isoDateIn(clock, tz), 3);
  const slot = () => `${weekdayOf(day())}.morning` as const;
  const volunteer = (platform: Platform = P) =>
    storedVolunteer(h, { availability: { slots: [slot() as never], hoursPerWeek: 4 } }, "KSH-POS-01", platform);

  /** A centre's check-in code of the test clock's day (or `day`), at generation `epoch`. */
  const todaysLink = (code: string, day = isoDateIn(clock, tz), epoch = 0) =>
    checkInPayload(code, (c) => d().signCheckIn(checkInSubject(c, day, epoch)));

  /** A need for one person on the morning three days ahead, accepted and approved: the volunteer's session. */
  async function approvedSession(
    v: { user: SimUser; person: { id: string } },
    wanted = 1,
    centre = "KSH-POS-01",
    platform: Platform = P,
  ) {
    const { store } = h.app.deps;
    const need = await postNeed(d(), await actor(coordinator), {
      centreCode: centre,
      role: "neighbourhood_helper",
      skills: [],
      wanted,
      startDate: isoDateIn(clock, tz),
      endDate: addDaysIso(isoDateIn(clock, tz), 6),
      slots: [slot() as never],
      reach: "province",
      notes: null,
    });
    if (!need.ok) throw new Error(need.error);
    await deliverAll();
    const offer = (await store.needs.offers(need.value.id)).find((o) => o.personId === v.person.id)!;
    await h.tap(platform, v.user, `of:a:${offer.id}`);
    await deliverAll();
    await h.tap("telegram", operator, `od:y:${offer.id}`);
    await deliverAll();
    const [session] = await store.sessions.list({ personId: v.person.id, offerId: offer.id }, 5);
    return { need: need.value, offer, session: session! };
  }

  it("a cancellation 48 hours before frees the place, the next wave goes out at once, and it fills the place", async () => {
    const { store } = h.app.deps;
    const a = await volunteer();
    const { need, session } = await approvedSession(a);
    expect((await store.needs.get(need.id))!).toMatchObject({ filled: 1, status: "filled" });
    // Someone who registered after the first wave: not asked yet.
    const b = await volunteer();
    expect((await store.needs.offers(need.id)).map((o) => o.personId)).not.toContain(b.person.id);

    clock = new Date(session.startsAt.getTime() - 47 * 3_600_000);
    expect(await serviceTick(d())).toMatchObject({ d2: 1 });
    await deliverAll();
    expect(h.texts(P, a.user).at(-1)).toContain("یادآوری نوبت خدمت");
    // «نمی‌توانم بیایم» asks first, and «نه، می‌آیم» is a way back.
    expect((await h.tap(P, a.user, `ss:n:${session.id}`)).join()).toContain("جای شما در این نیاز آزاد می‌شود");
    expect((await store.sessions.get(session.id))!.status).toBe("scheduled");
    const done = await h.tap(P, a.user, `ss:x:${session.id}`);
    expect(done.join()).toContain("لغو شد (۱ نوبت)");
    expect((await store.sessions.get(session.id))!.status).toBe("cancelled");
    expect((await store.needs.getOffer(session.offerId))!.status).toBe("cancelled");
    expect((await store.needs.get(need.id))!).toMatchObject({ filled: 0, status: "open" });

    // The next wave went out at once: B is asked, accepts, is approved, and gets the same morning.
    await deliverAll();
    const next = (await store.needs.offers(need.id)).find((o) => o.personId === b.person.id)!;
    expect(next).toMatchObject({ status: "pending", wave: 2 });
    expect(h.texts(P, b.user).at(-1)).toContain("درخواست همیاری");
    await h.tap(P, b.user, `of:a:${next.id}`);
    await deliverAll();
    await h.tap("telegram", operator, `od:y:${next.id}`);
    await deliverAll();
    const [taken] = await store.sessions.list({ personId: b.person.id }, 5);
    expect(taken).toMatchObject({ date: session.date, part: "morning", status: "scheduled", needId: need.id });
    expect((await store.needs.get(need.id))!).toMatchObject({ filled: 1, status: "filled" });
    // A cancelled session takes no answer any more: a press on its reminder says why, and the buttons go.
    const markupOf = (id: number) =>
      JSON.stringify(h.sim.botMessages(TOKENS[P], a.user.id).find((m) => m.message_id === id)!.reply_markup ?? {});
    const reminder = h.sim
      .botMessages(TOKENS[P], a.user.id)
      .filter((m) => JSON.stringify(m.reply_markup ?? {}).includes(`ss:y:${session.id}`))
      .at(-1)!;
    expect(await h.answerTo(P, a.user, reminder.message_id, `ss:y:${session.id}`)).toMatchObject({
      text: expect.stringContaining("دیگر کار نمی‌کند"),
      show_alert: true,
    });
    expect(markupOf(reminder.message_id)).not.toContain("ss:");
    expectPersian(h.texts(P, a.user), "bale");
    expectPersian(h.texts(P, b.user), "bale");
  });

  it("refuses a check-in outside the window, at another centre, by a forged link; hours at a centre one does not coordinate; a second approval", async () => {
    const { store } = h.app.deps;
    const a = await volunteer();
    const { session } = await approvedSession(a);
    const link = (code: string) => todaysLink(code);
    const lastWords = () => h.texts(P, a.user).at(-1)!;

    // Two hours before the start: too early.
    clock = new Date(session.startsAt.getTime() - 2 * 3_600_000);
    await h.say(P, a.user, `/start ${link("KSH-POS-01")}`);
    expect(lastWords()).toContain("الان نوبت خدمتی در این مرکز ندارید");
    // During the session, another centre's (genuine) link.
    clock = new Date(session.startsAt.getTime() + 30 * 60_000);
    await h.say(P, a.user, `/start ${link("KSH-DIS-05")}`);
    expect(lastWords()).toContain("نوبت الان شما در مرکز دیگری است");
    // A forged link: a made-up signature, and a real one moved to another centre.
    await h.say(P, a.user, "/start ci_KSH-POS-01_AAAAAAAAAAAAAAAA");
    expect(lastWords()).toContain("این پیوند ثبت حضور معتبر نیست");
    await h.say(P, a.user, `/start ci_KSH-POS-02_${link("KSH-POS-01").slice(-16)}`);
    expect(lastWords()).toContain("معتبر نیست");
    expect((await store.sessions.get(session.id))!.status).toBe("scheduled");
    // After its end: too late.
    clock = new Date(session.endsAt.getTime() + 60_000);
    await h.say(P, a.user, `/start ${link("KSH-POS-01")}`);
    expect(lastWords()).toContain("الان نوبت خدمتی");
    // The forged links are audited (a security event), twice in a row as one record.
    const forged = (await store.access.auditLog({ limit: 50 })).filter((r) => r.action === "session.check_in_forged");
    expect(forged).toMatchObject([{ actor: `bale:${a.user.id}`, outcome: "refused", count: 2 }]);

    // In the window (ten minutes early: counted from the start): checked in, out, hours proposed.
    clock = new Date(session.startsAt.getTime() - 10 * 60_000);
    // The code sent as a message (the poster prints it, for a Bale link that arrives without it): checked in.
    expect((await h.say(P, a.user, ` ${link("KSH-POS-01")} `)).join()).toContain("حضور شما در");
    expect((await h.say(P, a.user, `/start ${link("KSH-POS-01")}`)).join()).toContain("پیش‌تر ثبت شده است");
    clock = new Date(session.startsAt.getTime() + 2 * 3_600_000);
    const offering = () =>
      h.sim.botMessages(TOKENS[P], a.user.id).filter((m) => JSON.stringify(m.reply_markup ?? {}).includes(session.id));
    const outButton = offering()
      .filter((m) => JSON.stringify(m.reply_markup).includes("ss:o:"))
      .at(-1)!;
    expect((await h.tap(P, a.user, `ss:o:${session.id}`)).join()).toContain(" ۲ ساعت برای تأیید");
    // The served session's buttons are retired: the check-out button goes from its message, and any older
    // message's button says why it no longer works and goes too, so that none is left to press.
    expect(offering().map((m) => m.message_id)).not.toContain(outButton.message_id);
    for (const m of offering())
      expect(await h.answerTo(P, a.user, m.message_id, `ss:y:${session.id}`)).toMatchObject({ show_alert: true });
    expect(offering()).toEqual([]);

    // Another centre's coordinator may not approve, correct or check in by hand here; it is audited.
    const other = await h.staff("centre_coordinator", "GLS-POS-01", "telegram");
    expect(await approveAttendance(d(), await actor(other), "KSH-POS-01", "all")).toEqual({
      ok: false,
      error: "forbidden",
    });
    expect(await approveAttendance(d(), await actor(other), "KSH-POS-01", [session.id])).toEqual({
      ok: false,
      error: "forbidden",
    });
    expect(await correctSession(d(), await actor(other), session.id, 600, "x")).toEqual({
      ok: false,
      error: "forbidden",
    });
    expect(await checkByHand(d(), await actor(other), session.id, "out")).toEqual({ ok: false, error: "forbidden" });
    // A volunteer is no coordinator of anything.
    expect((await approveAttendance(d(), await actor(a.user, P), "KSH-POS-01", "all")).ok).toBe(false);
    expect(await store.ledger.balance(personAccount(a.person.id))).toBe(0);
    const refused = (await store.access.auditLog({ limit: 50 })).filter((r) => r.outcome === "refused");
    expect(refused.map((r) => r.action)).toEqual(
      expect.arrayContaining(["attendance.approve", "session.correct", "session.check_out_by_hand"]),
    );

    // Its own coordinator hears of the check-out and approves it from the notice, once; a second approval credits nothing.
    await deliverAll();
    const notice = h.texts("telegram", coordinator).at(-1)!;
    expect(notice).toContain("خدمت را تمام کرد");
    expect(notice).toContain("پیشنهاد: ۲ ساعت");
    // The volunteer forging the coordinator's button on a message of their own: refused.
    expect(await h.answerTo(P, a.user, h.last(P, a.user).message_id, `sa:${session.id}`)).toMatchObject({
      show_alert: true,
    });
    expect((await h.tap("telegram", coordinator, `sa:${session.id}`)).join()).toContain("۲ ساعت تأیید و در بانک زمان");
    expect((await h.tap("telegram", coordinator, `sa:${session.id}`)).join()).toContain("پیش‌تر تأیید شده");
    // After the approval, /schedule says their sessions are behind them (not «when the institution approves»),
    // and the institution's operator is pointed to their approvals, not told of a volunteer's wait.
    const after = (await h.say(P, a.user, "/schedule")).join();
    expect(after).toContain("انجام شده، گذشته یا لغو شده");
    expect(after).not.toContain("وقتی پیشنهادی را بپذیرید");
    expect((await h.say("telegram", operator, "/schedule")).join()).toContain("/approvals");
    expect(await approveAttendance(d(), await actor(coordinator), "KSH-POS-01", [session.id])).toEqual({
      ok: false,
      error: "state",
    });
    expect(await approveAttendance(d(), await actor(coordinator), "KSH-POS-01", "all")).toEqual({
      ok: false,
      error: "state",
    });
    // Nor can an approved session be corrected into more minutes.
    expect(await correctSession(d(), await actor(coordinator), session.id, 600, "more")).toEqual({
      ok: false,
      error: "state",
    });
    expect(await store.ledger.balance(personAccount(a.person.id))).toBe(120);
    expect(await store.ledger.total()).toBe(0);
    // Forged callback data never reaches a session.
    expect(await h.answerTo(P, a.user, h.last(P, a.user).message_id, "ss:o:not-a-session")).toMatchObject({
      text: expect.stringContaining("دیگر کار نمی‌کند"),
      show_alert: true,
    });
  });

  it("a check-in code works on its day only, and a centre retires its codes at once (audited); a photo of yesterday's poster is refused", async () => {
    const { store } = h.app.deps;
    const a = await volunteer();
    const { session } = await approvedSession(a);
    clock = new Date(session.startsAt.getTime() + 15 * 60_000);
    const lastWords = () => h.texts(P, a.user).at(-1)!;
    // The code printed before this change (the centre's code alone, never changing): refused as not ours.
    await h.say(P, a.user, `/start ${checkInPayload("KSH-POS-01", d().signCheckIn)}`);
    expect(lastWords()).toContain("معتبر نیست");
    // Yesterday's poster, photographed: told to ask for today's, not treated as forged.
    await h.say(P, a.user, `/start ${todaysLink("KSH-POS-01", addDaysIso(isoDateIn(clock, tz), -1))}`);
    expect(lastWords()).toContain("مال امروز نیست");
    expect((await store.sessions.get(session.id))!.status).toBe("scheduled");
    // Another centre's coordinator cannot rotate this one's codes; its own can, and it is audited.
    const other = await h.staff("centre_coordinator", "GLS-POS-01", "telegram");
    const { rotateCheckIn } = await import("../../src/services/service-day/index.js");
    expect(await rotateCheckIn(d(), await actor(other), "KSH-POS-01")).toEqual({ ok: false, error: "forbidden" });
    const today = todaysLink("KSH-POS-01");
    expect((await rotateCheckIn(d(), await actor(coordinator), "KSH-POS-01")).ok).toBe(true);
    // Today's code of the retired generation: refused; the new one (what the console and /checkin now show) works.
    await h.say(P, a.user, `/start ${today}`);
    expect(lastWords()).toContain("مال امروز نیست");
    const { checkInLinks } = await import("../../src/services/service-day/index.js");
    const { payload } = await checkInLinks(d(), "KSH-POS-01");
    expect(payload).toBe(todaysLink("KSH-POS-01", isoDateIn(clock, tz), 1));
    expect((await h.say(P, a.user, `/start ${payload}`)).join()).toContain("حضور شما در");
    const log = await store.access.auditLog({ limit: 50 });
    expect(
      log
        .filter((r) => r.action === "checkin.rotate")
        .map((r) => r.outcome)
        .sort(),
    ).toEqual(["ok", "refused"]);
  });

  it("the day's six digits, typed in Persian, check in as the link does; a wrong code is refused, a few a day at most; other digits pass by", async () => {
    const { store } = h.app.deps;
    const a = await volunteer();
    const { session } = await approvedSession(a);
    const { checkInLinks } = await import("../../src/services/service-day/index.js");
    // Outside the check-in window the digits mean nothing here: they go on (the bot does not understand them).
    clock = new Date(session.startsAt.getTime() - 5 * 3_600_000);
    const { digits: code } = await checkInLinks(d(), "KSH-POS-01");
    expect(code).toMatch(/^\d{6}$/);
    expect((await h.say(P, a.user, "123456")).join()).not.toContain("حضور");
    clock = new Date(session.startsAt.getTime() + 15 * 60_000);
    const persian = [...code].map((c) => "۰۱۲۳۴۵۶۷۸۹"[Number(c)]).join("");
    const wrong = code === "000000" ? "111111" : "000000";
    expect((await h.say(P, a.user, wrong)).join()).toContain("نمی‌خواند");
    expect((await store.sessions.get(session.id))!.status).toBe("scheduled");
    expect((await h.say(P, a.user, `${persian.slice(0, 3)} ${persian.slice(3)}`)).join()).toContain("حضور شما در");
    expect((await store.sessions.get(session.id))!.status).toBe("checked_in");
    // Six tries a day, right or wrong: after five wrong codes, the sixth try is the last; then even the right code waits.
    const b = await volunteer();
    const second = await approvedSession(b);
    clock = new Date(second.session.startsAt.getTime() + 15 * 60_000);
    for (let i = 0; i < 6; i++) expect((await h.say(P, b.user, wrong)).join()).toContain("نمی‌خواند");
    const { digits: today } = await checkInLinks(d(), "KSH-POS-01");
    expect((await h.say(P, b.user, today)).join()).toContain("چند بار کد نادرست");
    expect((await store.sessions.get(second.session.id))!.status).toBe("scheduled");
    // On Telegram too: the same six digits, typed in Latin.
    const c = await volunteer("telegram");
    const third = await approvedSession(c, 1, "KSH-POS-01", "telegram");
    clock = new Date(third.session.startsAt.getTime() + 15 * 60_000);
    const { digits: theirs } = await checkInLinks(d(), "KSH-POS-01");
    expect((await h.say("telegram", c.user, theirs)).join()).toContain("حضور شما در");
    expect((await store.sessions.get(third.session.id))!.status).toBe("checked_in");
  });

  it("a location shared at check-in is kept; one far from the centre is flagged for the coordinator, never refused", async () => {
    const { store } = h.app.deps;
    const near = await volunteer();
    const far = await volunteer();
    const sNear = (await approvedSession(near)).session;
    const sFar = (await approvedSession(far, 2)).session;
    clock = new Date(sNear.startsAt.getTime() + 10 * 60_000);
    // Checked in: the optional question comes with a location button and a way out.
    const asked = await h.say(P, near.user, todaysLink("KSH-POS-01"));
    expect(asked.join()).toContain("موقعیت خود را بفرستید");
    expect(JSON.stringify(h.last(P, near.user).reply_markup)).toContain("request_location");
    // 150 m from the centre (34.32684, 47.05303): kept, not flagged.
    expect((await h.location(P, near.user, 34.32819, 47.05303)).join()).toContain("موقعیت شما ثبت شد");
    expect((await store.sessions.get(sNear.id))!.checkInDistanceM).toBeGreaterThan(100);
    expect((await store.sessions.get(sNear.id))!.checkInDistanceM).toBeLessThan(200);
    // From home in Tehran: checked in all the same, flagged for the coordinator.
    await h.say(P, far.user, todaysLink("KSH-POS-01"));
    await h.location(P, far.user, 35.6892, 51.389);
    expect((await store.sessions.get(sFar.id))!).toMatchObject({ status: "checked_in" });
    expect((await store.sessions.get(sFar.id))!.checkInDistanceM).toBeGreaterThan(400_000);
    // «No need» takes the keyboard away.
    expect((await h.say(P, near.user, "نه، لازم نیست")).join()).toContain("حضور شما ثبت شده است");
    // The coordinator's check-out notice says so.
    clock = new Date(sFar.startsAt.getTime() + 2 * 3_600_000);
    await h.tap(P, far.user, `ss:o:${sFar.id}`);
    await deliverAll();
    expect(h.texts("telegram", coordinator).at(-1)).toContain("کیلومتر از مرکز دور بود");
    // A location with no session open is not taken for one.
    const idle = await volunteer();
    expect((await h.location(P, idle.user, 35.6892, 51.389)).join()).not.toContain("موقعیت شما ثبت شد");
  });

  it("/checkin gives a centre's coordinator the printable poster, its links and the code; a citizen is told it is not for them", async () => {
    const a = await volunteer();
    await h.say("telegram", coordinator, "/checkin");
    const sent = h.last("telegram", coordinator);
    expect(sent.file?.name).toBe("checkin-KSH-POS-01.png");
    expect(sent.file!.bytes.subarray(1, 4).toString()).toBe("PNG");
    expect(sent.caption).toMatch(/https:\/\/t\.me\/\S+\?start=ci_KSH-POS-01_/);
    expect(sent.caption).toMatch(/https:\/\/ble\.ir\/\S+\?start=ci_KSH-POS-01_/);
    expect(sent.caption).toMatch(/\u2066ci_KSH-POS-01_[A-Za-z0-9_-]{16}\u2069/);
    expect((await h.say(P, a.user, "/checkin")).join()).toContain("برای هماهنگ‌کنندگان مراکز");
  });

  it("the clock: the 48-hour reminder waits out quiet hours, the 2-hour one does not; unanswered, absent and never checked out", async () => {
    const { store } = h.app.deps;
    const a = await volunteer();
    const b = await volunteer();
    const c = await volunteer();
    const sa = (await approvedSession(a)).session;
    const sb = (await approvedSession(b)).session;
    const sc = (await approvedSession(c)).session;
    // 47 hours before an 08:00 start is 09:00 two days before; with quiet hours all day long, nothing goes.
    d().quietHours = { from: 0, to: 23 };
    clock = new Date(sa.startsAt.getTime() - 47 * 3_600_000);
    expect(await serviceTick(d())).toMatchObject({ d2: 0 });
    d().quietHours = null;
    expect(await serviceTick(d())).toMatchObject({ d2: 3 });
    // 06:30 (quiet hours by default): the 2-hour reminder goes anyway.
    d().quietHours = { from: 22, to: 8 };
    clock = new Date(sa.startsAt.getTime() - 90 * 60_000);
    expect(await serviceTick(d())).toMatchObject({ h2: 3 });
    d().quietHours = null;
    // Sent an hour and a half before, it says so: not "two hours".
    await deliverAll();
    expect(h.texts(P, a.user).at(-1)).toContain("⏰ یک ساعت و ۳۰ دقیقه دیگر نوبت خدمت شماست");
    // B confirms; C checks in by hand at the centre (no phone with them), audited.
    await deliverAll();
    const confirming = h.sim
      .botMessages(TOKENS[P], b.user.id)
      .filter((m) => JSON.stringify(m.reply_markup ?? {}).includes(`ss:y:${sb.id}`))
      .at(-1)!;
    // «می‌آیم» is told apart from a check-in («حضور … ثبت شد» is for the door), and leaves only «نمی‌توانم بیایم».
    const confirmed = (await h.tap(P, b.user, `ss:y:${sb.id}`)).join();
    expect(confirmed).toContain("خبر دادیم که می‌آیید");
    expect(confirmed).not.toContain("ثبت شد");
    const left = h.sim.botMessages(TOKENS[P], b.user.id).find((m) => m.message_id === confirming.message_id)!;
    expect(JSON.stringify(left.reply_markup)).toContain(`ss:n:${sb.id}`);
    expect(JSON.stringify(left.reply_markup)).not.toContain(`ss:y:`);
    clock = new Date(sa.startsAt.getTime() + 60_000);
    expect(await serviceTick(d())).toMatchObject({ unconfirmed: 2 });
    expect((await store.sessions.get(sa.id))!.status).toBe("unconfirmed");
    expect((await store.sessions.get(sb.id))!.status).toBe("confirmed");
    const byHand = await checkByHand(d(), await actor(coordinator), sc.id, "in");
    expect(byHand).toMatchObject({
      ok: true,
      value: { status: "checked_in", checkInBy: `telegram:${coordinator.id}` },
    });
    expect((await store.access.auditLog({ limit: 5 })).map((r) => `${r.action}:${r.outcome}`)).toContain(
      "session.check_in_by_hand:ok",
    );
    // The digest of today shows who answered, who did not, and who is there.
    const digest = digestText(
      h.app.deps.i18n.t("fa"),
      "fa",
      tz,
      (await store.centres.getCentre("KSH-POS-01"))!,
      sa.date,
      await centreDigest(d(), (await store.centres.getCentre("KSH-POS-01"))!, sa.date),
    );
    expect(digest).toContain("بی‌پاسخ به یادآوری دوساعته: ۱");
    expect(digest).toContain("می‌آیند: ۲");
    expect(digest).toContain("🟢 حاضر");
    // After the end and the grace: A and B never came (absent); C never checked out (flagged, no minutes guessed).
    clock = new Date(sa.endsAt.getTime() + 3 * 3_600_000 + 60_000);
    expect(await serviceTick(d())).toMatchObject({ absent: 2, flagged: 1 });
    const flagged = (await store.sessions.get(sc.id))!;
    expect(flagged).toMatchObject({ status: "no_checkout", minutes: null });
    // A flagged session is approved only after a correction with a reason.
    expect(await approveAttendance(d(), await actor(coordinator), "KSH-POS-01", "all")).toEqual({
      ok: false,
      error: "state",
    });
    expect(await correctSession(d(), await actor(coordinator), sc.id, 180, " ")).toEqual({
      ok: false,
      error: "invalid",
    });
    expect(
      await correctSession(d(), await actor(coordinator), sc.id, 180, "بدون گوشی؛ ساعت را خودم دیدم"),
    ).toMatchObject({
      ok: true,
      value: { status: "checked_out", minutes: 180 },
    });
    expect(await approveAttendance(d(), await actor(coordinator), "KSH-POS-01", "all")).toMatchObject({
      ok: true,
      value: { credited: [{ minutes: 180 }] },
    });
    expect(await store.ledger.balance(personAccount(c.person.id))).toBe(180);
  });

  it("credits a day once: by hand (the introduction's button) or by attendance, never both", async () => {
    const { store } = h.app.deps;
    const a = await volunteer();
    const b = await volunteer();
    const sa = (await approvedSession(a)).session;
    const sb = (await approvedSession(b)).session;
    const me = await actor(coordinator);
    // A: attendance first; the hand-made confirmation of the same day is then refused.
    clock = new Date(sa.startsAt.getTime() + 5 * 60_000);
    await checkByHand(d(), me, sa.id, "in");
    expect(await reportHours(d(), me, null, sa.offerId, 120)).toEqual({ ok: false, error: "state" });
    // B: confirmed by hand that morning before anyone checked in; the attendance is then not credited again.
    expect(await reportHours(d(), me, null, sb.offerId, 120)).toMatchObject({ ok: true, value: { created: true } });
    await checkByHand(d(), me, sb.id, "in");
    clock = new Date(sa.startsAt.getTime() + 3 * 3_600_000 + 5 * 60_000);
    await checkByHand(d(), me, sa.id, "out");
    await checkByHand(d(), me, sb.id, "out");
    const approved = await approveAttendance(d(), me, "KSH-POS-01", "all");
    expect(approved).toMatchObject({
      ok: true,
      value: { credited: [{ personId: a.person.id, minutes: 180 }], skipped: 1 },
    });
    expect((await store.sessions.get(sb.id))!).toMatchObject({
      status: "credited",
      creditKey: `service:${sb.offerId}:${sb.date}`,
    });
    expect(await store.ledger.balance(personAccount(a.person.id))).toBe(180);
    expect(await store.ledger.balance(personAccount(b.person.id))).toBe(120);
  });

  it("nobody approves, corrects or credits their own hours; a correction's reason must say something", async () => {
    const { store } = h.app.deps;
    // A volunteer of the centre who is also one of its coordinators.
    const both = await volunteer();
    await store.access.grant({
      platform: P,
      userId: String(both.user.id),
      role: "centre_coordinator",
      scope: "KSH-POS-01",
      grantedBy: "test",
    });
    const self = await actor(both.user, P);
    const { session } = await approvedSession(both);
    const me = await actor(coordinator);
    clock = new Date(session.startsAt.getTime() + 5 * 60_000);
    await checkByHand(d(), me, session.id, "in");
    // The introduction's hours button, on their own service: refused.
    expect(await reportHours(d(), self, both.person, session.offerId, 120)).toEqual({ ok: false, error: "forbidden" });
    clock = new Date(session.startsAt.getTime() + 3 * 3_600_000);
    await checkByHand(d(), me, session.id, "out");
    expect(await approveAttendance(d(), self, "KSH-POS-01", "all")).toEqual({ ok: false, error: "own" });
    expect(await approveAttendance(d(), self, "KSH-POS-01", [session.id])).toEqual({ ok: false, error: "own" });
    expect(await correctSession(d(), self, session.id, 720, "ساعت بیشتری کار کردم")).toEqual({
      ok: false,
      error: "own",
    });
    // From the chat's notice button too.
    await deliverAll();
    expect(await h.answerTo(P, both.user, h.last(P, both.user).message_id, `sa:${session.id}`)).toMatchObject({
      text: expect.stringContaining("ساعت‌های خودتان"),
      show_alert: true,
    });
    expect(await store.ledger.balance(personAccount(both.person.id))).toBe(0);
    const own = (await store.access.auditLog({ actor: self.id, limit: 20 })).filter(
      (r) => (r.details as { reason?: string } | null)?.reason === "own_hours",
    );
    expect(own.map((r) => r.action).sort()).toEqual(["attendance.approve", "hours.confirm", "session.correct"]);
    // Another coordinator corrects it, with a reason that says something.
    for (const empty of [".", "  ", "\u200c\u200c\u200c\u200c\u200c", "؟!", "ab"])
      expect(await correctSession(d(), me, session.id, 150, empty)).toEqual({ ok: false, error: "invalid" });
    expect((await correctSession(d(), me, session.id, 150, "خروج زودتر")).ok).toBe(true);
    expect(await approveAttendance(d(), me, "KSH-POS-01", "all")).toMatchObject({ ok: true });
    expect(await store.ledger.balance(personAccount(both.person.id))).toBe(150);
  });

  it("sessions follow their need: a later end adds sessions, closing it cancels those ahead and tells the volunteer", async () => {
    const { store } = h.app.deps;
    const a = await volunteer();
    const { need, session } = await approvedSession(a);
    const me = await actor(coordinator);
    const later = addDaysIso(need.endDate, 7);
    expect((await editNeed(d(), me, need.id, { wanted: 1, endDate: later, notes: null })).ok).toBe(true);
    expect(await needChanged(d(), need.id)).toEqual({ added: 1, cancelled: 0 });
    const both = await store.sessions.list({ personId: a.person.id }, 10);
    expect(both.map((s) => s.date)).toEqual([session.date, addDaysIso(session.date, 7)]);
    // Closed from the chat's /needs: every session ahead is cancelled, and the volunteer hears which.
    await h.say("telegram", coordinator, "/needs");
    await h.tap("telegram", coordinator, `nd:c:${need.id}`);
    await h.tap("telegram", coordinator, `nd:x:${need.id}`);
    expect((await store.sessions.list({ personId: a.person.id, statuses: ["cancelled"] }, 10)).length).toBe(2);
    await deliverAll();
    const told = h.texts(P, a.user).at(-1)!;
    expect(told).toContain("این نوبت‌های شما لغو شد");
    expectPersian([told], P);
    expect(await serviceTick(d())).toMatchObject({ d2: 0, h2: 0 });
  });

  it("reaches every due reminder and every centre's digest, however many are due, a batch per tick", async () => {
    const { store } = h.app.deps;
    // Three volunteers due a reminder at the same minute, at two centres; ticks that take two at a time.
    await store.access.grant({
      platform: "telegram",
      userId: String(coordinator.id),
      role: "centre_coordinator",
      scope: "KSH-POS-02",
      grantedBy: "test",
    });
    const people = [await volunteer(), await volunteer(), await volunteer()];
    const sessions = [];
    for (const [i, v] of people.entries())
      sessions.push((await approvedSession(v, 1, i === 2 ? "KSH-POS-02" : "KSH-POS-01")).session);
    clock = new Date(sessions[0]!.startsAt.getTime() - 47 * 3_600_000);
    expect(await serviceTick(d(), 2)).toMatchObject({ d2: 2 });
    expect(await serviceTick(d(), 2)).toMatchObject({ d2: 1 });
    expect(await serviceTick(d(), 2)).toMatchObject({ d2: 0 });
    for (const s of sessions) expect((await store.sessions.get(s.id))!.reminded.d2).toBeDefined();
    // The evening before: both centres' digests, though a batch holds fewer sessions than there are.
    clock = new Date(sessions[0]!.startsAt.getTime() - 12 * 3_600_000 + 30 * 60_000);
    expect(await serviceTick(d(), 1)).toMatchObject({ digests: 2 });
  });

  it("sends each centre's digest of tomorrow once, at 20:00, and finishes an approval a crash interrupted", async () => {
    const { store } = h.app.deps;
    const a = await volunteer();
    const { session } = await approvedSession(a, 2);
    // 20:30 in Tehran the evening before the session.
    clock = new Date(session.startsAt.getTime() - 12 * 3_600_000 + 30 * 60_000);
    expect((await serviceTick(d())).digests).toBe(1);
    expect((await serviceTick(d())).digests).toBe(0);
    await deliverAll();
    const digest = h.texts("telegram", coordinator).at(-1)!;
    expect(digest).toContain("📋 برنامهٔ");
    expect(digest).toContain(`${a.person.firstName} ${a.person.lastName}`);
    expect(digest).toContain("جای خالی: ۱");
    expectPersian([digest], "telegram");

    // An approval that claimed its session and died before the ledger entry: the tick finishes it, once.
    clock = new Date(session.startsAt.getTime() + 5 * 60_000);
    await checkByHand(d(), await actor(coordinator), session.id, "in");
    clock = new Date(session.startsAt.getTime() + 65 * 60_000);
    await checkByHand(d(), await actor(coordinator), session.id, "out");
    const key = `attendance:${clock.getTime() - 10 * 60_000}:crashed:x`;
    const claimed = (await store.sessions.move(session.id, ["checked_out"], "crediting", {
      creditKey: key,
      creditedBy: `telegram:${coordinator.id}`,
    })) as ServiceSession;
    expect(claimed.minutes).toBe(60);
    expect((await serviceTick(d())).finished).toBe(1);
    expect((await serviceTick(d())).finished).toBe(0);
    expect((await store.sessions.get(session.id))!.status).toBe("credited");
    expect(await store.ledger.balance(personAccount(a.person.id))).toBe(60);
  });
});
