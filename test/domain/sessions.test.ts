import { describe, expect, it } from "vitest";
import { checkInPayload, isCheckInPayload, verifyCheckIn } from "../../src/domain/check-in.js";
import { parseDeepLink } from "../../src/domain/deep-link.js";
import {
  inCheckInWindow,
  localInstant,
  occurrences,
  proposedMinutes,
  validSessionMinutes,
  weekdayOf,
} from "../../src/domain/sessions.js";
import { newCertificateCode, normalizeCertificateCode } from "../../src/services/service-day/certificate.js";
import { createHmac } from "node:crypto";

const TZ = "Asia/Tehran";

describe("sessions: dates, windows, minutes", () => {
  it("places a part of day at its local hour (Tehran is UTC+3:30)", () => {
    expect(localInstant("2026-12-08", 8, TZ).toISOString()).toBe("2026-12-08T04:30:00.000Z");
    expect(localInstant("2026-12-08", 8, "UTC").toISOString()).toBe("2026-12-08T08:00:00.000Z");
  });

  it("names weekdays as the taxonomy does (Saturday first)", () => {
    expect(weekdayOf("2026-12-05")).toBe("sat"); // a Saturday
    expect(weekdayOf("2026-12-11")).toBe("fri");
  });

  it("turns weekly slots into the dates between two days, after a moment, in order", () => {
    const after = new Date("2026-12-05T06:00:00Z"); // Saturday 09:30 in Tehran: this morning has begun
    const found = occurrences(["sat.morning", "sat.evening", "mon.afternoon"], "2026-12-05", "2026-12-14", after, TZ);
    expect(found.map((o) => `${o.date}.${o.part}`)).toEqual([
      "2026-12-05.evening",
      "2026-12-07.afternoon",
      "2026-12-12.morning",
      "2026-12-12.evening",
      "2026-12-14.afternoon",
    ]);
    expect(found[0]!.startsAt.toISOString()).toBe("2026-12-05T14:30:00.000Z"); // 18:00
    expect(found[0]!.endsAt.toISOString()).toBe("2026-12-05T17:30:00.000Z"); // 21:00
    expect(occurrences(["sat.morning"], "2026-01-01", "2030-12-31", after, TZ, 5)).toHaveLength(5);
    expect(occurrences(["sat.morning"], "2026-12-06", "2026-12-11", after, TZ)).toEqual([]);
  });

  it("takes a check-in from an hour before the start until the end", () => {
    const s = { startsAt: new Date("2026-12-08T04:30:00Z"), endsAt: new Date("2026-12-08T08:30:00Z") };
    expect(inCheckInWindow(s, new Date("2026-12-08T03:29:00Z"))).toBe(false);
    expect(inCheckInWindow(s, new Date("2026-12-08T03:30:00Z"))).toBe(true);
    expect(inCheckInWindow(s, new Date("2026-12-08T08:29:59Z"))).toBe(true);
    expect(inCheckInWindow(s, new Date("2026-12-08T08:30:00Z"))).toBe(false);
  });

  it("proposes minutes within the session's schedule: from the start, to the end and a grace, to five minutes", () => {
    const s = { startsAt: new Date("2026-12-08T04:30:00Z"), endsAt: new Date("2026-12-08T08:30:00Z") };
    const at = (iso: string) => new Date(`2026-12-08T${iso}:00Z`);
    expect(proposedMinutes(s, at("04:40"), at("07:30"))).toBe(170);
    expect(proposedMinutes(s, at("04:00"), at("06:30"))).toBe(120); // early: from the start
    expect(proposedMinutes(s, at("04:30"), at("04:32"))).toBe(0);
    // The review's case: in 59 minutes early, out 2 h 55 after the end of a 4-hour session. 415 were proposed.
    expect(proposedMinutes(s, at("03:31"), at("11:25"))).toBe(250); // the 4 hours and 10 minutes' grace
    expect(proposedMinutes(s, at("03:31"), at("11:25"), 0)).toBe(240);
    expect(proposedMinutes(s, at("04:30"), new Date("2026-12-09T04:30:00Z"), 120)).toBe(360);
    expect([0, 720, 60].map(validSessionMinutes)).toEqual([true, true, true]);
    expect([-1, 721, 1.5, NaN].map(validSessionMinutes)).toEqual([false, false, false, false]);
  });
});

describe("check-in links", () => {
  const sign = (code: string) => createHmac("sha256", "k").update(code).digest("base64url");

  it("signs a centre's code, and refuses altered or made-up links", () => {
    const payload = checkInPayload("KSH-POS-01", sign);
    expect(payload).toMatch(/^ci_KSH-POS-01_[A-Za-z0-9_-]{16}$/);
    expect(payload.length).toBeLessThanOrEqual(64); // what a deep link may carry
    expect(verifyCheckIn(payload, sign)).toBe("KSH-POS-01");
    expect(verifyCheckIn(payload.replace("POS-01", "POS-02"), sign)).toBeUndefined();
    expect(verifyCheckIn(`${payload.slice(0, -1)}${payload.endsWith("A") ? "B" : "A"}`, sign)).toBeUndefined();
    expect(verifyCheckIn("ci_KSH-POS-01", sign)).toBeUndefined();
    expect(verifyCheckIn("ci_<script>_AAAAAAAAAAAAAAAA", sign)).toBeUndefined();
    expect(isCheckInPayload(payload)).toBe(true);
    // Not a registration source.
    expect(parseDeepLink(payload)).toBeUndefined();
  });
});

describe("certificate codes", () => {
  it("are random, readable, and read back from what people type", () => {
    const code = newCertificateCode();
    // 16 characters of a 32-letter alphabet: 80 random bits.
    expect(code).toMatch(/^HMC(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    expect(normalizeCertificateCode(code.replaceAll("-", " ").toLowerCase())).toBe(code);
    // Every letter of the alphabet turns up (no bias that would leave some out).
    const seen = new Set(Array.from({ length: 200 }, () => newCertificateCode().slice(4).replaceAll("-", "")).join(""));
    expect(seen.size).toBe(32);
    expect(newCertificateCode()).not.toBe(code);
    expect(normalizeCertificateCode(code.toLowerCase())).toBe(code);
    expect(normalizeCertificateCode(" hmc 7k2qd 9xw4m ")).toBe("HMC-7K2QD-9XW4M");
    expect(normalizeCertificateCode("HMC-۱۲۳۴۵-ABCDE")).toBe("HMC-12345-ABCDE");
    expect(normalizeCertificateCode("HMC-12345-ABCDI")).toBeUndefined(); // I is not in the alphabet
    expect(normalizeCertificateCode("HMC-1234")).toBeUndefined();
    expect(normalizeCertificateCode("")).toBeUndefined();
  });
});
