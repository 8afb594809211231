import { describe, expect, it } from "vitest";
import { matchData } from "../../src/domain/callback-data.js";
import { createI18n } from "../../src/i18n.js";
import { approvalNotice, needLines, offerNotice, reasonsText } from "../../src/services/matching/index.js";
import type { Centre, Need, Offer, Person } from "../../src/store/port/index.js";

/** Matching's texts are pure: a translator, a language and the records in, text and buttons out. */
describe("matching notices", async () => {
  const i18n = await createI18n();
  const t = i18n.t("fa");
  const centre: Centre = {
    code: "GLS-GRG-01",
    kind: "infant_home",
    name: "شیرخوارگاه آمنه",
    province: "golestan",
    county: "gorgan",
    neighbourhood: null,
    address: "گرگان",
    phone: null,
    location: null,
    institutionCode: "GLS-INST-1",
  } as Centre;
  const need = {
    id: "11111111-1111-4111-8111-111111111111",
    role: "mother_helper",
    skills: ["infant_care"],
    slots: ["sat.morning"],
    startDate: "2026-12-05",
    endDate: "2026-12-20",
    notes: null,
  } as unknown as Need;
  const offer = {
    id: "22222222-2222-4222-8222-222222222222",
    reasons: [
      { key: "role", points: 30 },
      { key: "skills", points: 10, params: { count: 2 } },
      { key: "other_county", points: -5 },
    ],
    institutionCode: "GLS-INST-1",
    expiresAt: new Date("2026-12-06T08:00:00Z"),
  } as unknown as Offer;

  it("gives a volunteer only the reasons in their favour, a coordinator every reason with its points", () => {
    expect(reasonsText(t, "fa", offer.reasons, false)).toBe("نقش مناسب، ۲ مهارت مرتبط");
    expect(reasonsText(t, "fa", offer.reasons, true)).toBe(
      "نقش مناسب (+۳۰)، ۲ مهارت مرتبط (+۱۰)، شهرستان دیگر (\u200e−۵)",
    );
  });

  it("describes a need by what, when and where", () => {
    const lines = needLines(t, "fa", need, centre, "Asia/Tehran");
    expect(lines).toContain("مادریار");
    expect(lines).toContain("شیرخوارگاه آمنه — گرگان");
    expect(lines).toContain("شنبه صبح");
  });

  it("shows notes only when there are some (no bare «📝 —»)", () => {
    expect(needLines(t, "fa", { ...need, notes: null }, centre, "Asia/Tehran")).not.toContain("📝");
    expect(needLines(t, "fa", { ...need, notes: "لطفاً با کفش راحت بیایید" }, centre, "Asia/Tehran")).toContain(
      "📝 لطفاً با کفش راحت بیایید",
    );
  });

  it("speaks to citizens without the law's jargon («مؤسسه میانی»)", () => {
    const { text } = offerNotice(t, "fa", "Asia/Tehran", offer, need, centre);
    expect(text).not.toContain("میانی");
    expect(t("match.accepted")).not.toContain("میانی");
    expect(t("registration.consent")).not.toContain("میانی");
  });

  it("offers three answers whose buttons parse back to this offer", () => {
    const { text, buttons } = offerNotice(t, "fa", "Asia/Tehran", offer, need, centre);
    expect(text).toContain("نقش مناسب");
    expect(text).not.toContain("شهرستان دیگر");
    const answers = buttons.flat().map((b) => matchData.answer(b.data));
    expect(answers).toEqual([
      { answer: "accept", offerId: offer.id },
      { answer: "decline", offerId: offer.id },
      { answer: "later", offerId: offer.id },
    ]);
  });

  it("asks the institution with approve and reject buttons for this offer", () => {
    const person = { firstName: "مریم", lastName: "احمدی", volunteerCode: "HM-ABC234" } as Person;
    const { text, buttons } = approvalNotice(t, "fa", "Asia/Tehran", {
      offer,
      person,
      need,
      centre,
      institution: null,
    });
    expect(text).toContain("مریم احمدی");
    expect(text).toContain("HM-ABC234");
    expect(buttons.flat().map((b) => matchData.decision(b.data))).toEqual([
      { kind: "y", offerId: offer.id, reason: undefined },
      { kind: "n", offerId: offer.id, reason: undefined },
    ]);
  });
});

describe("the time left, as a reminder says it", () => {
  it("two hours, an hour and some minutes, or minutes, to five minutes", async () => {
    const { timeLeft } = await import("../../src/services/service-day/texts.js");
    const t = (await createI18n()).t("fa");
    expect(timeLeft(t, "fa", 118 * 60_000)).toBe("دو ساعت");
    expect(timeLeft(t, "fa", 80 * 60_000)).toBe("یک ساعت و ۲۰ دقیقه");
    expect(timeLeft(t, "fa", 61 * 60_000)).toBe("یک ساعت");
    expect(timeLeft(t, "fa", 38 * 60_000)).toBe("۴۰ دقیقه");
    expect(timeLeft(t, "fa", 30_000)).toBe("۵ دقیقه");
  });
});
