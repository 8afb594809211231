import { describe, expect, it } from "vitest";
import { jalaliYear } from "../../src/domain/jalali.js";
import { normalizeDigits, normalizeText } from "../../src/domain/normalize.js";
import {
  parseBirthYear,
  parseFullName,
  parseIranMobile,
  parseNationalId,
  parsePlaceName,
} from "../../src/domain/validation.js";

describe("normalizeText", () => {
  it("turns Arabic letter forms into Persian ones", () => {
    expect(normalizeText("علي كريمي")).toBe("علی کریمی");
  });
  it("turns Persian and Arabic-Indic digits into ASCII", () => {
    expect(normalizeDigits("۰۹۱۲ ٣٤٥ ۶۷۸۹")).toBe("0912 345 6789");
  });
  it("tidies ZWNJ, zero-width characters, diacritics, tatweel and spaces", () => {
    expect(normalizeText("  می\u200C\u200Cخواهم   کمـــک   کنم\u200C ")).toBe("می\u200Cخواهم کمک کنم");
    expect(normalizeText("مُحَمَّد\u200B")).toBe("محمد");
    expect(normalizeText("\u200Cسلام")).toBe("سلام");
  });
});

describe("parseFullName", () => {
  it("splits first name from a multi-word last name", () => {
    expect(parseFullName("مریم  احمدی نژاد")).toMatchObject({
      ok: true,
      value: { title: null, firstName: "مریم", lastName: "احمدی نژاد" },
    });
    expect(parseFullName("Sara Karimi")).toEqual({
      ok: true,
      value: { title: null, firstName: "Sara", lastName: "Karimi", splits: [] },
    });
    expect(parseFullName("علي كاظمي")).toMatchObject({ ok: true, value: { firstName: "علی", lastName: "کاظمی" } });
  });
  it("reads a compound first name and a title as people write them, and offers the other cuts", () => {
    const cut = (name: string) => {
      const r = parseFullName(name);
      if (!r.ok) throw new Error(r.error);
      return r.value.splits.map((s) => [s.title, s.firstName, s.lastName]);
    };
    expect(cut("محمد رضا کریمی")).toEqual([
      [null, "محمد رضا", "کریمی"],
      [null, "محمد", "رضا کریمی"],
    ]);
    expect(cut("فاطمه زهرا احمدی نژاد")[0]).toEqual([null, "فاطمه زهرا", "احمدی نژاد"]);
    // A title apart from the first name; read as part of it, last.
    expect(cut("سید علی حسینی")).toEqual([
      ["سید", "علی", "حسینی"],
      [null, "سید علی", "حسینی"],
    ]);
    // Three words with no known compound: the first word is the first name, and the rest is offered too.
    expect(cut("مریم احمدی نژاد")).toEqual([
      [null, "مریم", "احمدی نژاد"],
      [null, "مریم احمدی", "نژاد"],
    ]);
    expect(parseFullName("محمد رضا کریمی")).toMatchObject({ value: { firstName: "محمد رضا", lastName: "کریمی" } });
  });
  it.each([
    ["مریم", "name.need_both"],
    ["مریم 123", "name.invalid_chars"],
    ["😀 😀", "name.invalid_chars"],
    ["ا ب", "name.too_short"],
    ["الف ".repeat(20), "name.too_long"],
  ])("rejects %j with %s", (input, error) => {
    expect(parseFullName(input)).toEqual({ ok: false, error });
  });
});

describe("parseIranMobile", () => {
  it.each([
    "09121234567",
    "۰۹۱۲۱۲۳۴۵۶۷",
    "+989121234567",
    "00989121234567",
    "989121234567",
    "9121234567",
    "0912 123 4567",
    "٠٩١٢-١٢٣-٤٥٦٧",
  ])("normalises %j", (input) => {
    expect(parseIranMobile(input)).toEqual({ ok: true, value: "09121234567" });
  });
  it.each(["02188776655", "0912123456", "091212345678", "+4915112345678", "abc"])("rejects %j", (input) => {
    expect(parseIranMobile(input)).toEqual({ ok: false, error: "phone.invalid" });
  });
});

describe("parseNationalId", () => {
  it.each(["0012345679", "1234567891", "4512345671", "0671234560", "۰۰۱۲۳۴۵۶۷۹", "12345679"])("accepts %j", (input) => {
    expect(parseNationalId(input).ok).toBe(true);
  });
  it("left-pads short codes as on old cards", () => {
    expect(parseNationalId("12345679")).toEqual({ ok: true, value: "0012345679" });
  });
  it.each([
    ["0012345678", "national_id.checksum"],
    ["1111111111", "national_id.checksum"],
    ["12345", "national_id.format"],
    ["00123456790", "national_id.format"],
    ["abcdefghij", "national_id.format"],
  ])("rejects %j with %s", (input, error) => {
    expect(parseNationalId(input)).toEqual({ ok: false, error });
  });
});

describe("birth years", () => {
  it("reads the current Jalali year through Intl", () => {
    expect(jalaliYear(new Date("2026-11-25T12:00:00Z"), "Asia/Tehran")).toBe(1405);
    expect(jalaliYear(new Date("2026-03-20T12:00:00Z"), "Asia/Tehran")).toBe(1404);
    expect(jalaliYear(new Date("2026-03-21T12:00:00Z"), "Asia/Tehran")).toBe(1405);
  });
  it("accepts plausible years, also as two digits", () => {
    expect(parseBirthYear("۱۳۷۰", 1405)).toEqual({ ok: true, value: 1370 });
    expect(parseBirthYear("69", 1405)).toEqual({ ok: true, value: 1369 });
  });
  it("rejects implausible ages and non-years", () => {
    expect(parseBirthYear("1395", 1405)).toEqual({ ok: false, error: "birth_year.range" });
    expect(parseBirthYear("1300", 1405)).toEqual({ ok: false, error: "birth_year.range" });
    expect(parseBirthYear("1990", 1405)).toEqual({ ok: false, error: "birth_year.range" });
    expect(parseBirthYear("سال", 1405)).toEqual({ ok: false, error: "birth_year.format" });
  });
});

describe("parsePlaceName", () => {
  it("accepts a neighbourhood name and refuses junk", () => {
    expect(parsePlaceName(" شهرك  بهاران ")).toEqual({ ok: true, value: "شهرک بهاران" });
    expect(parsePlaceName("x")).toEqual({ ok: false, error: "text.too_short" });
    expect(parsePlaceName("<script>")).toEqual({ ok: false, error: "text.invalid_chars" });
  });
});
