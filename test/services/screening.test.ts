import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { QUIZ_KEYS, roleScreening } from "../../src/domain/screening.js";
import { needWithOffers } from "../../src/services/matching/index.js";
import {
  decideCheck,
  recordByInstitution,
  screeningOf,
  screeningTick,
  submitDocument,
  takeQuiz,
} from "../../src/services/screening.js";
import type { Harness } from "../support/harness.js";
import { storedVolunteer } from "../support/volunteer.js";
import { motherHelperNeed, SCREENING_START, screeningHarness } from "../support/screening.js";

/**
 * Safeguarding through the services: a «مادریار» is offered an infant home's
 * need only once every check is done and unexpired.
 */
describe("safeguarding gates the sensitive roles", () => {
  let h: Harness;
  let clock: Date;
  beforeEach(async () => {
    clock = SCREENING_START;
    h = await screeningHarness(() => clock);
  });
  afterEach(() => h.close());

  const d = () => h.app.deps.matching;
  const actor = (userId: number) => h.app.deps.actors.of({ platform: "telegram", userId: String(userId) });
  const needFor = (coordinatorId: number) => motherHelperNeed(h, coordinatorId, clock);
  const pdf = { mime: "application/pdf", bytes: Buffer.from("%PDF-1.4 scan") };

  it("a need for «مادریار» reaches her only after the quiz, both documents, the interview and the sign-off; not after the clearance expires", async () => {
    const coordinator = await h.staff("centre_coordinator", "KSH-POS-01");
    const operator = await h.staff("institution_operator", "INST-KSH-01");
    const v = await storedVolunteer(h, { roles: ["mother_helper"], birthYear: 1370 }, "KSH-POS-01");
    expect(await needFor(coordinator.id)).toEqual([]);

    // Where she stands: everything missing; her next step is the orientation quiz.
    const [before] = await screeningOf(d(), v.person);
    expect(before).toMatchObject({ role: "mother_helper", qualified: false, oldEnough: true });
    expect(before!.next?.requirement.key).toBe("orientation:infant_care");

    // A failed quiz waits a day; then a pass.
    const wrong = QUIZ_KEYS.infant_care.map((k) => (k + 1) % 3);
    expect(await takeQuiz(d(), v.person, "infant_care", wrong)).toMatchObject({ ok: true, value: { passed: false } });
    expect(await takeQuiz(d(), v.person, "infant_care", [...QUIZ_KEYS.infant_care])).toEqual({
      ok: false,
      error: "wait",
    });
    clock = new Date(clock.getTime() + 25 * 3_600_000);
    expect(await takeQuiz(d(), v.person, "infant_care", [...QUIZ_KEYS.infant_care])).toMatchObject({
      ok: true,
      value: { passed: true, score: 4 },
    });

    // Documents: a wrong type and an oversized file are refused; the two scans go to her institution.
    expect(await submitDocument(d(), v.person, "clearance", { mime: "image/gif", bytes: Buffer.from("GIF") })).toEqual({
      ok: false,
      error: "type",
    });
    expect(
      await submitDocument(d(), v.person, "clearance", {
        mime: "application/pdf",
        bytes: Buffer.alloc(6 * 1024 * 1024),
      }),
    ).toEqual({ ok: false, error: "size" });
    const clearance = await submitDocument(d(), v.person, "clearance", pdf);
    const health = await submitDocument(d(), v.person, "health_card", {
      mime: "image/jpeg",
      bytes: Buffer.from("JPEG"),
    });
    expect(clearance.ok && health.ok).toBe(true);
    if (!clearance.ok || !health.ok) return;
    expect(clearance.value).toMatchObject({ status: "pending", institutionCode: "INST-KSH-01" });
    // Her operator is told at once, with a button to open it.
    expect(
      JSON.stringify(await h.app.deps.store.deliveries.claim("w", 100, clock, 60_000, { urgentOnly: false })),
    ).toContain(`sc:v:${clearance.value.id}`);

    // Another institution's operator may not decide it, nor may a forged id; a rejection needs a reason.
    const stranger = await h.staff("institution_operator", "INST-GLS-01");
    expect(
      await decideCheck(d(), await actor(stranger.id), clearance.value.id, {
        approve: true,
        reason: null,
        expiresAt: null,
      }),
    ).toEqual({ ok: false, error: "forbidden" });
    expect(
      await decideCheck(d(), await actor(operator.id), "forged", { approve: true, reason: null, expiresAt: null }),
    ).toEqual({ ok: false, error: "not_found" });
    expect(
      await decideCheck(d(), await actor(operator.id), health.value.id, {
        approve: false,
        reason: null,
        expiresAt: null,
      }),
    ).toEqual({ ok: false, error: "invalid" });
    // Approved: the clearance for 60 days, the health card by its default year.
    const sixtyDays = new Date(clock.getTime() + 60 * 86_400_000);
    expect(
      await decideCheck(d(), await actor(operator.id), clearance.value.id, {
        approve: true,
        reason: null,
        expiresAt: sixtyDays,
      }),
    ).toMatchObject({ ok: true, value: { status: "approved", expiresAt: sixtyDays } });
    expect(
      await decideCheck(d(), await actor(operator.id), clearance.value.id, {
        approve: true,
        reason: null,
        expiresAt: null,
      }),
    ).toEqual({ ok: false, error: "state" });
    await decideCheck(d(), await actor(operator.id), health.value.id, { approve: true, reason: null, expiresAt: null });

    // Still not qualified: the interview and the sign-off are the institution's.
    expect(await needFor(coordinator.id)).toEqual([]);
    expect(await recordByInstitution(d(), await actor(stranger.id), v.person, "interview", null)).toEqual({
      ok: false,
      error: "forbidden",
    });
    await recordByInstitution(d(), await actor(operator.id), v.person, "interview", "مصاحبه حضوری");
    await recordByInstitution(d(), await actor(operator.id), v.person, "signoff", null);
    const [after] = await screeningOf(d(), v.person);
    expect(after).toMatchObject({ qualified: true, next: null });
    expect(await needFor(coordinator.id)).toEqual([v.person.id]);
    // The coordinator's list of candidates says she qualifies (and, once something lapses, what she lacks).
    const offered = async () => {
      for (const n of await h.app.deps.store.needs.list({ centreCodes: ["KSH-POS-01"] })) {
        const view = await needWithOffers(d(), await actor(coordinator.id), n.id);
        const mine = view?.offers.find((o) => o.person?.id === v.person.id);
        if (mine) return mine.gaps;
      }
      return undefined;
    };
    expect(await offered()).toEqual([]);

    // Sixty-one days on, the clearance has expired: the next need passes her by.
    clock = new Date(clock.getTime() + 61 * 86_400_000);
    expect(await needFor(coordinator.id)).toEqual([]);
    expect(await offered()).toEqual(["document:clearance"]);
    const [expired] = await screeningOf(d(), v.person);
    expect(expired!.next?.requirement.key).toBe("document:clearance");

    // Every decision is on the record, refusals too.
    const log = await h.app.deps.store.access.auditLog({ limit: 50 });
    expect(log.map((r) => `${r.action}:${r.outcome}`)).toEqual(
      expect.arrayContaining([
        "screening.decide:ok",
        "screening.decide:refused",
        "screening.interview:ok",
        "screening.signoff:ok",
        "screening.interview:refused",
      ]),
    );
  });

  it("an operator never decides their own document; a role with no checks is open; the young wait", async () => {
    const operator = await h.staff("institution_operator", "INST-KSH-01");
    const { person: self } = await h.app.deps.store.people.ensure({
      platform: "telegram",
      userId: String(operator.id),
      chatId: String(operator.id),
    });
    const own = await h.app.deps.store.people.update(self.id, {
      registeredAt: clock,
      province: "kermanshah",
      source: "KSH-POS-01",
      roles: ["mother_helper"],
    });
    const sent = await submitDocument(d(), own, "clearance", pdf);
    expect(sent.ok).toBe(true);
    if (!sent.ok) return;
    expect(
      await decideCheck(d(), await actor(operator.id), sent.value.id, { approve: true, reason: null, expiresAt: null }),
    ).toEqual({ ok: false, error: "own" });
    expect(await submitDocument(d(), { ...own, roles: ["neighbourhood_helper"] }, "clearance", pdf)).toEqual({
      ok: false,
      error: "not_needed",
    });
    // Sixteen this year: every check done would still not be enough for «مادریار».
    expect(roleScreening("mother_helper", [], clock, 16)).toMatchObject({ oldEnough: false, qualified: false });
    expect(roleScreening("neighbourhood_helper", [], clock, 16)).toMatchObject({ qualified: true, states: [] });
  });

  const DAY = 86_400_000;

  it("warns 30 and 7 days before, once each; on expiry tells the volunteer and the centre of a booked session; drops reviewed files after 30 days", async () => {
    const { store } = h.app.deps;
    const d = h.app.deps.matching;
    const coordinator = await h.staff("centre_coordinator", "KSH-POS-01");
    const v = await storedVolunteer(h, { roles: ["mother_helper"], birthYear: 1370 }, "KSH-POS-01");
    const sent = await store.screening.record({
      personId: v.person.id,
      requirement: "document:clearance",
      status: "pending",
      institutionCode: "INST-KSH-01",
      file: { mime: "application/pdf", bytes: Buffer.from("%PDF") },
      createdAt: clock,
    });
    await store.screening.decide(sent.id, {
      approve: true,
      by: "telegram:1",
      reason: null,
      expiresAt: new Date(clock.getTime() + 20 * DAY),
      at: clock,
    });
    // A «مادریار» session booked for day 25, on a need of that role.
    const need = await store.needs.create({
      centreCode: "KSH-POS-01",
      role: "mother_helper",
      skills: [],
      wanted: 1,
      startDate: "2026-12-08",
      endDate: "2027-01-30",
      slots: ["sat.morning"],
      reach: "province",
      notes: null,
      kind: "centre",
      requesterId: null,
      createdBy: "telegram:1",
      status: "open",
    });
    await store.sessions.create([
      {
        offerId: "offer-x",
        needId: need.id,
        personId: v.person.id,
        centreCode: "KSH-POS-01",
        date: "2027-01-02",
        part: "morning",
        startsAt: new Date(clock.getTime() + 25 * DAY),
        endsAt: new Date(clock.getTime() + 25 * DAY + 4 * 3_600_000),
      },
    ]);
    const pushed = async () =>
      (await store.deliveries.claim("w", 100, clock, 60_000, { urgentOnly: false })).map((x) => JSON.stringify(x));

    expect(await screeningTick(d)).toMatchObject({ warned: 1, expired: 0 });
    expect((await pushed()).join()).toContain("تمام می‌شود");
    expect(await screeningTick(d)).toMatchObject({ warned: 0 });
    clock = new Date(clock.getTime() + 14 * DAY); // six days left
    expect(await screeningTick(d)).toMatchObject({ warned: 1 });
    clock = new Date(clock.getTime() + 7 * DAY); // a day past
    expect(await screeningTick(d)).toMatchObject({ warned: 0, expired: 1 });
    const told = (await pushed()).join();
    expect(told).toContain("سر جایش است");
    expect(told).toContain("را بررسی کنید");
    expect(told).toContain(String(coordinator.id));
    expect(await screeningTick(d)).toMatchObject({ expired: 0 });
    // Thirty days after the review, the file goes; the decision stays.
    clock = new Date(clock.getTime() + 10 * DAY);
    expect((await screeningTick(d)).dropped).toBe(1);
    expect(await store.screening.file(sent.id)).toBeNull();
    expect(await store.screening.get(sent.id)).toMatchObject({ status: "approved" });
  });

  it("a document nobody reviews is reminded to its institution's operators, then raised to the province's admins, once each", async () => {
    const { store } = h.app.deps;
    const d = h.app.deps.matching;
    const operator = await h.staff("institution_operator", "INST-KSH-01");
    const provincial = await h.staff("provincial_admin", "kermanshah");
    const v = await storedVolunteer(h, { roles: ["mother_helper"], birthYear: 1370 }, "KSH-POS-01");
    const sent = await submitDocument(d, v.person, "clearance", {
      mime: "application/pdf",
      bytes: Buffer.from("%PDF"),
    });
    expect(sent.ok).toBe(true);
    const pushedTo = async (userId: number) =>
      (await store.deliveries.claim("w", 100, clock, 60_000, { urgentOnly: false }))
        .filter((x) => JSON.stringify(x).includes(String(userId)))
        .map((x) => JSON.stringify(x));
    await pushedTo(operator.id); // the push that announced it
    expect(await screeningTick(d)).toMatchObject({ reminded: 0, raised: 0 });
    clock = new Date(clock.getTime() + 5 * 3_600_000);
    expect(await screeningTick(d)).toMatchObject({ reminded: 1, raised: 0 });
    expect((await pushedTo(operator.id)).join()).toContain("منتظر بررسی شماست");
    expect(await screeningTick(d)).toMatchObject({ reminded: 0, raised: 0 });
    clock = new Date(clock.getTime() + 20 * 3_600_000);
    expect(await screeningTick(d)).toMatchObject({ reminded: 0, raised: 1 });
    expect((await pushedTo(provincial.id)).join()).toContain("هنوز کسی آن را بررسی نکرده است");
    expect(await screeningTick(d)).toMatchObject({ reminded: 0, raised: 0 });
  });
});
