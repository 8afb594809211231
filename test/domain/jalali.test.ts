import { describe, expect, it } from "vitest";
import { parseWhen } from "../../src/domain/jalali-parse.js";

describe("parseWhen: a time as a coordinator types it", () => {
  // 10:00 in Tehran on 18 Azar 1405 (9 Dec 2026).
  const now = new Date("2026-12-09T06:30:00Z");
  const at = (text: string) => {
    const r = parseWhen(text, "Asia/Tehran", now);
    return r.ok ? r.value.toISOString() : r.error;
  };
  it.each([
    ["فردا ساعت ۱۰", "2026-12-10T06:30:00.000Z"],
    ["امروز ۱۸:۳۰", "2026-12-09T15:00:00.000Z"],
    ["پس‌فردا ساعت ۸ شب", "2026-12-11T16:30:00.000Z"],
    ["فردا ۹ صبح", "2026-12-10T05:30:00.000Z"],
    ["ساعت ۲۱", "2026-12-09T17:30:00.000Z"],
    ["۱۴۰۵-۰۹-۱۹ ۱۰:۰۰", "2026-12-10T06:30:00.000Z"],
  ])("«%s» is %s", (text, iso) => expect(at(text)).toBe(iso));
  it.each(["فردا ساعت ۲۵", "دیروز ساعت ۱۰", "۱۰", "هر وقت شد"])("«%s» is refused", (text) =>
    expect(at(text)).toMatch(/^jalali\./),
  );
});
