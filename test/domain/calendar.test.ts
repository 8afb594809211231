import { describe, expect, it } from "vitest";
import { parseJalaliDateTime } from "../../src/domain/jalali-parse.js";
import { isQuiet } from "../../src/domain/quiet-hours.js";
import { ramadanDay, ramadanStart } from "../../src/domain/ramadan.js";

describe("Ramadan calendar (Intl islamic-umalqura)", () => {
  it("finds 1 Ramadan 1448 on 8 February 2027, and 1447 on 18 February 2026", () => {
    expect(ramadanStart(1448).toISOString()).toBe("2027-02-08T00:00:00.000Z");
    expect(ramadanStart(1447).toISOString()).toBe("2026-02-18T00:00:00.000Z");
  });
  it("moves the start by Iran's adjustment", () => {
    expect(ramadanStart(1448, 1).toISOString()).toBe("2027-02-09T00:00:00.000Z");
    expect(ramadanStart(1448, -1).toISOString()).toBe("2027-02-07T00:00:00.000Z");
  });
  it("numbers the days 1–30 and nothing outside", () => {
    const start = ramadanStart(1448);
    expect(ramadanDay(new Date("2027-02-08T10:00:00Z"), start)).toBe(1);
    expect(ramadanDay(new Date("2027-02-14T23:00:00Z"), start)).toBe(7);
    expect(ramadanDay(new Date("2027-03-09T10:00:00Z"), start)).toBe(30);
    expect(ramadanDay(new Date("2027-03-10T10:00:00Z"), start)).toBeNull();
    expect(ramadanDay(new Date("2027-02-07T10:00:00Z"), start)).toBeNull();
  });
});

describe("Jalali date and time", () => {
  it("parses Tehran local time into an instant, in any digits", () => {
    expect(parseJalaliDateTime("1405-12-01 20:00", "Asia/Tehran")).toEqual({
      ok: true,
      value: new Date("2027-02-20T16:30:00Z"),
    });
    expect(parseJalaliDateTime("۱۴۰۵/۰۹/۰۴ ۰۸:۰۵", "Asia/Tehran")).toEqual({
      ok: true,
      value: new Date("2026-11-25T04:35:00Z"),
    });
    expect(parseJalaliDateTime("1405-01-01", "UTC")).toEqual({ ok: true, value: new Date("2026-03-21T00:00:00Z") });
  });
  it("refuses what is not a date", () => {
    expect(parseJalaliDateTime("tomorrow", "Asia/Tehran")).toEqual({ ok: false, error: "jalali.format" });
    expect(parseJalaliDateTime("1405-13-01", "Asia/Tehran")).toEqual({ ok: false, error: "jalali.invalid" });
    expect(parseJalaliDateTime("1405-12-31 25:00", "Asia/Tehran")).toEqual({ ok: false, error: "jalali.invalid" });
  });
});

describe("quiet hours", () => {
  it("are 22:00–08:00 in Tehran by default", () => {
    const tehran = (hhmm: string) => new Date(`2026-11-25T${hhmm}:00+03:30`);
    expect(isQuiet(tehran("21:59"), "Asia/Tehran")).toBe(false);
    expect(isQuiet(tehran("22:00"), "Asia/Tehran")).toBe(true);
    expect(isQuiet(tehran("03:00"), "Asia/Tehran")).toBe(true);
    expect(isQuiet(tehran("08:00"), "Asia/Tehran")).toBe(false);
    expect(isQuiet(tehran("12:00"), "Asia/Tehran", { from: 12, to: 14 })).toBe(true);
  });
});

describe("the next Ramadan", () => {
  it("is this Hijri year's 1 Ramadan while it has not come, else next year's", async () => {
    const { nextRamadanStart } = await import("../../src/domain/ramadan.js");
    expect(nextRamadanStart(new Date("2026-12-08T00:00:00Z")).toISOString()).toBe("2027-02-08T00:00:00.000Z");
    expect(nextRamadanStart(new Date("2027-02-20T00:00:00Z")).toISOString()).toBe("2028-01-28T00:00:00.000Z");
  });
});
