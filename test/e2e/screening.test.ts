import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { QUIZ_KEYS } from "../../src/domain/screening.js";
import type { Platform } from "../../src/platforms/capabilities.js";
import { TOKENS, type Harness } from "../support/harness.js";
import { expectPersian } from "../support/persian.js";
import { storedVolunteer } from "../support/volunteer.js";
import { motherHelperNeed, SCREENING_START, screeningHarness } from "../support/screening.js";

/**
 * Safeguarding end to end in the chat, the volunteer on one platform and
 * their institution's operator on the other: «مادریار» is offered an infant
 * home's need only once the lesson's quiz is passed, both documents are
 * approved, and the interview and the sign-off are recorded.
 */
describe.each([
  ["bale", "telegram"],
  ["telegram", "bale"],
] as const)("safeguarding in the chat: the volunteer on %s, the operator on %s", (P: Platform, O: Platform) => {
  let h: Harness;
  let clock: Date;
  beforeEach(async () => {
    clock = SCREENING_START;
    h = await screeningHarness(() => clock);
  });
  afterEach(() => h.close());

  const deliverAll = async () => {
    while ((await h.app.engine.runOnce()) > 0);
  };
  const send = async (user: Parameters<Harness["say"]>[1], file: { bytes: Buffer; mime: string; name: string }) => {
    const before = h.sim.botMessages(TOKENS[P], user.id).length;
    h.sim.sendDocument(TOKENS[P], user, file);
    await h.deliver(P);
    return h.sim
      .botMessages(TOKENS[P], user.id)
      .slice(before)
      .map((m) => m.text ?? "");
  };
  const need = (coordinatorId: number) => motherHelperNeed(h, coordinatorId, clock);

  it("quiz, documents, review, interview and sign-off; only then the need reaches her; refusals on the way", async () => {
    const coordinator = await h.staff("centre_coordinator", "KSH-POS-01");
    const operator = await h.staff("institution_operator", "INST-KSH-01", O);
    const v = await storedVolunteer(h, { roles: ["mother_helper"], birthYear: 1370 }, "KSH-POS-01", P);
    expect(await need(coordinator.id)).toEqual([]);

    // Her profile points to her checks; /checks: each requirement, and a button for the next step (the lesson).
    expect((await h.say(P, v.user, "/profile")).join()).toContain("/checks");
    const checks = (await h.say(P, v.user, "/checks")).join("\n");
    expect(checks).toContain("مادریار");
    expect(checks).toContain("گواهی عدم سوءپیشینه");
    expect(checks).toContain("هنوز کامل نیست");
    expect((await h.tap(P, v.user, "sc:l:infant_care")).join()).toContain("مراقبت از نوزاد در شیرخوارگاه");
    // The quiz: one question a message; a forged answer string is refused, not scored.
    expect((await h.tap(P, v.user, "sc:a:infant_care:")).join()).toContain("پرسش ۱ از ۴");
    expect(await h.answerTo(P, v.user, h.last(P, v.user).message_id, "sc:a:infant_care:9")).toMatchObject({
      text: expect.stringContaining("معتبر نیست"),
    });
    let answered = "";
    for (const right of QUIZ_KEYS.infant_care) {
      answered += String(right);
      await h.tap(P, v.user, `sc:a:infant_care:${answered}`);
    }
    expect(h.texts(P, v.user).join("\n")).toContain("آزمون را با ۴ پاسخ درست از ۴ گذراندید");

    // The clearance: a GIF is refused; a PDF goes to her institution, whose operator is told on the other platform.
    await h.tap(P, v.user, "sc:d:clearance");
    expect((await send(v.user, { bytes: Buffer.from("GIF89a"), mime: "image/gif", name: "x.gif" })).join()).toContain(
      "پذیرفته نیست",
    );
    expect(
      (await send(v.user, { bytes: Buffer.alloc(6 * 1024 * 1024), mime: "application/pdf", name: "big.pdf" })).join(),
    ).toContain("بزرگ‌تر از ۵ مگابایت");
    const pdf = Buffer.from("%PDF-1.4 clearance scan");
    const received = (await send(v.user, { bytes: pdf, mime: "application/pdf", name: "clearance.pdf" })).join("\n");
    expect(received).toContain("رسید و برای بررسی");
    expect(received).toContain("در انتظار بررسی مؤسسه");
    const clearance = (await h.app.deps.store.screening.of(v.person.id)).find(
      (c) => c.requirement === "document:clearance",
    );
    expect(clearance).toMatchObject({ requirement: "document:clearance", status: "pending" });
    await deliverAll();
    expect(h.texts(O, operator).at(-1)).toContain("مدرکی برای بررسی رسید");

    // Refusals: the volunteer forging the approve button; another institution's operator opening it.
    expect(await h.answerTo(P, v.user, h.last(P, v.user).message_id, `sc:y:${clearance!.id}`)).toMatchObject({
      show_alert: true,
    });
    const stranger = await h.staff("institution_operator", "INST-GLS-01", O);
    await h.say(O, stranger, "/start");
    expect(await h.answerTo(O, stranger, h.last(O, stranger).message_id, `sc:v:${clearance!.id}`)).toMatchObject({
      text: expect.stringContaining("در محدودهٔ شما نیست"),
    });

    // The operator opens it (the file itself, with the buttons), and approves it.
    await h.tap(O, operator, `sc:v:${clearance!.id}`);
    const opened = h.last(O, operator);
    expect(opened.file?.bytes.equals(pdf)).toBe(true);
    expect(opened.caption).toContain("گواهی عدم سوءپیشینه");
    expect((await h.tap(O, operator, `sc:y:${clearance!.id}`)).join()).toContain("تأیید شد");
    // The decision's buttons go from the document; the interview and sign-off stay, the reviewer's next step.
    const after = JSON.stringify(
      h.sim.botMessages(TOKENS[O], operator.id).find((m) => m.message_id === opened.message_id)!.reply_markup,
    );
    expect(after).not.toContain(`sc:y:${clearance!.id}`);
    expect(after).toContain(`sc:i:${v.person.id}`);
    await deliverAll();
    expect(h.texts(P, v.user).at(-1)).toContain("گواهی عدم سوءپیشینه» شما تأیید شد");

    // The health card as a photo; rejected as unreadable, then sent again and approved.
    await h.tap(P, v.user, "sc:d:health_card");
    h.sim.sendPhoto(TOKENS[P], v.user, "photo_health", Buffer.from("JPEG health card"));
    await h.deliver(P);
    expect(h.texts(P, v.user).at(-2)).toContain("رسید و برای بررسی");
    const health = (await h.app.deps.store.screening.of(v.person.id)).find(
      (c) => c.requirement === "document:health_card",
    )!;
    await deliverAll();
    await h.tap(O, operator, `sc:v:${health.id}`);
    await h.tap(O, operator, `sc:n:${health.id}`);
    await h.tap(O, operator, `sc:r:${health.id}:unreadable`);
    await deliverAll();
    expect(h.texts(P, v.user).at(-1)).toContain("ناخوانا است");
    expect((await h.say(P, v.user, "/checks")).join()).toContain("کارت بهداشت: رد شد (ناخوانا است)");
    await h.tap(P, v.user, "sc:d:health_card");
    h.sim.sendPhoto(TOKENS[P], v.user, "photo_health2", Buffer.from("JPEG health card, clearer"));
    await h.deliver(P);
    const again = (await h.app.deps.store.screening.of(v.person.id)).find(
      (c) => c.requirement === "document:health_card" && c.status === "pending",
    )!;
    await deliverAll();
    await h.tap(O, operator, `sc:v:${again.id}`);
    await h.tap(O, operator, `sc:y:${again.id}`);
    expect(await need(coordinator.id)).toEqual([]);

    // The interview and the sign-off, from the document's message; then the need reaches her.
    await h.tap(O, operator, `sc:i:${v.person.id}`);
    expect((await h.tap(O, operator, `sc:s:${v.person.id}`)).join()).toContain("تأیید نهایی مؤسسه");
    expect((await h.say(P, v.user, "/checks")).join()).toContain("آماده؛ پیشنهادهای این نقش برایتان می‌آید");
    expect(await need(coordinator.id)).toEqual([v.person.id]);
    // The centre's coordinator sees, beside the offer, that she qualifies.
    const needs = await h.app.deps.store.needs.list({ centreCodes: ["KSH-POS-01"] });
    const hers = (
      await Promise.all(needs.map(async (n) => ((await h.app.deps.store.needs.offers(n.id)).length ? n.id : null)))
    ).find(Boolean)!;
    await h.say("telegram", coordinator, "/needs");
    expect((await h.tap("telegram", coordinator, `nd:v:${hers}`)).join()).toContain("واجد شرایط");
    // Each opening of a document is on the record, and the stranger's refusal too.
    const log = await h.app.deps.store.access.auditLog({ limit: 100 });
    expect(log.filter((r) => r.action === "screening.view").map((r) => r.outcome)).toEqual(
      expect.arrayContaining(["ok", "refused"]),
    );
    expectPersian(h.texts(P, v.user), P);
  });

  it("a volunteer without a sensitive role is asked nothing; a document sent unasked is not taken", async () => {
    const v = await storedVolunteer(h, {}, "KSH-POS-01", P);
    expect((await h.say(P, v.user, "/checks")).join()).toContain("شرط جداگانه‌ای ندارد");
    await send(v.user, { bytes: Buffer.from("%PDF"), mime: "application/pdf", name: "a.pdf" });
    expect(await h.app.deps.store.screening.of(v.person.id)).toEqual([]);
    // /cancel after «فرستادن …» stops the waiting.
    const m = await storedVolunteer(h, { roles: ["mother_helper"], birthYear: 1370 }, "KSH-POS-01", P);
    await h.say(P, m.user, "/checks");
    await h.answerTo(P, m.user, h.last(P, m.user).message_id, "sc:d:clearance");
    expect((await h.say(P, m.user, "/cancel")).join()).toContain("لغو شد");
    await send(m.user, { bytes: Buffer.from("%PDF"), mime: "application/pdf", name: "a.pdf" });
    expect(await h.app.deps.store.screening.of(m.person.id)).toEqual([]);
    // An interview the institution did not pass: recorded, she is told to ask the institution, /checks says so.
    const operator = await h.staff("institution_operator", "INST-KSH-01", O);
    await h.say(O, operator, "/start");
    expect(await h.answerTo(O, operator, h.last(O, operator).message_id, `sc:f:${m.person.id}`)).toBeDefined();
    expect(await h.app.deps.store.screening.of(m.person.id)).toMatchObject([
      { requirement: "interview", status: "rejected", reason: "not_passed" },
    ]);
    await deliverAll();
    expect(h.texts(P, m.user).at(-1)).toContain("فعلاً این نقش را به شما نمی‌سپارد");
    expect((await h.say(P, m.user, "/checks")).join()).toContain("مصاحبه با مؤسسه: پذیرفته نشد");
  });
});
