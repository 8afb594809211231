import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createCanvas, loadImage } from "@napi-rs/canvas";
import jsqr from "jsqr";
import { describe, expect, it } from "vitest";
import { renderCertificatePdf } from "../../src/render/certificate.js";
import { renderCheckInPoster } from "../../src/render/qr-poster.js";
import { tempDir } from "../support/config.js";
import { createI18n } from "../../src/i18n.js";
import { certificateContent } from "../../src/services/service-day/certificate.js";
import type { ServiceDayDeps } from "../../src/services/service-day/deps.js";
import type { Certificate, Person } from "../../src/store/port/index.js";

// A CommonJS module whose types declare an ES default: Node hands the function over as `default`.
const jsQR = (jsqr as unknown as { default: typeof jsqr.default }).default;
const hasPoppler = spawnSync("pdftoppm", ["-v"]).status === 0;

/**
 * The certificate as a reader sees it: rendered to PNG by poppler (pdftoppm,
 * Debian's poppler-utils), its text read back by pdftotext; and the check-in
 * poster's QR codes decoded back into their links.
 */
describe("the certificate PDF and the check-in poster", () => {
  const content = {
    heading: ["جمهوری اسلامی ایران", "سازمان بهزیستی کشور"],
    title: "گواهی خدمت داوطلبانه",
    statement:
      "بدین‌وسیله گواهی می‌شود نرگس احمدی با کد داوطلبی \u2066HM-T00001\u2069 در طرح همدل، ۱۲٫۵ ساعت خدمت کرده است.",
    table: {
      header: ["مرکز", "دوره", "ساعت"] as [string, string, string],
      rows: [["مرکز مثبت زندگی الهیه", "آذر ۱۴۰۵", "۱۰"] as [string, string, string]],
      total: ["جمع", "۱۲٫۵"] as [string, string],
    },
    footer: ["کد درستی‌سنجی: \u2066HMC-7K2QD-9XW4M\u2069"],
    signature: { signer: "مسئول مرکز", label: "مهر و امضا" },
    metaTitle: "گواهی خدمت",
  };

  // Without poppler-utils this is reported SKIPPED (never passed); .ci/run installs it.
  it.skipIf(!hasPoppler)("is a one-page PDF whose Persian text poppler reads back and renders", () => {
    const dir = tempDir();
    const file = join(dir, "certificate.pdf");
    writeFileSync(file, renderCertificatePdf(content));
    const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
    expect(info).toMatch(/Pages:\s+1/);
    expect(info).toMatch(/Page size:\s+842 x 595 pts/);
    // The glyphs map back to letters (presentation forms, which NFKC folds to the letters typed).
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).normalize("NFKC");
    for (const word of ["سازمان", "بهزیستی", "داوطلبانه", "HMC-7K2QD-9XW4M", "HM-T00001", "امضا", "مسئول"])
      expect(text).toContain(word);
    execFileSync("pdftoppm", ["-png", "-r", "50", "-singlefile", file, join(dir, "page")]);
    const png = readFileSync(join(dir, "page.png"));
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(png.length).toBeGreaterThan(10_000);
  });

  it("states «سرکار خانم» / «جناب آقای» by gender, one day of service as one date, and a place to sign and stamp", async () => {
    const i18n = await createI18n();
    const d = {
      i18n,
      timeZone: "Asia/Tehran",
      store: { centres: { listCentres: async () => [{ code: "KSH-POS-01", name: "مرکز مثبت زندگی الهیه" }] } },
      verifyUrl: (code: string) => `https://hamdel.example/verify?code=${code}`,
    } as unknown as ServiceDayDeps;
    const day = new Date("2026-11-25T08:00:00Z");
    const contentOf = (gender: Person["gender"], last: Date) =>
      certificateContent(
        d,
        { gender, volunteerCode: "HM-T00001" } as Person,
        { code: "HMC-7K2Q-D9XW-4MAB-CDEF", name: "نرگس احمدی", minutes: 150, issuedAt: last } as Certificate,
        [{ place: "centre:KSH-POS-01", centreCode: "KSH-POS-01", minutes: 150, first: day, last }],
        "fa",
      );
    const female = await contentOf("female", day);
    expect(female.statement).toContain("سرکار خانم نرگس احمدی");
    // One day of service is one date, in the statement and in its row.
    expect(female.statement).toContain("در روز ۴ آذر ۱۴۰۵،");
    expect(female.statement).not.toContain(" تا ");
    expect(female.table.rows[0]![1]).toBe("۴ آذر ۱۴۰۵");
    expect(female.signature.label).toBe("مهر و امضا");
    expect((await contentOf("male", day)).statement).toContain("جناب آقای نرگس احمدی");
    const unsaid = await contentOf(null, new Date("2026-12-05T08:00:00Z"));
    expect(unsaid.statement).toMatch(/گواهی می‌شود نرگس احمدی با کد/);
    expect(unsaid.statement).toContain("از ۴ آذر ۱۴۰۵ تا ۱۴ آذر ۱۴۰۵");
    expect(unsaid.table.rows[0]![1]).toBe("آذر ۱۴۰۵");
  });

  it("draws one QR code per platform that decodes to that platform's check-in link", async () => {
    const codes = [
      { label: "بله", url: "https://ble.ir/hamdel_bot?start=ci_KSH-POS-01_abcdefghijklmnop" },
      { label: "تلگرام", url: "https://t.me/hamdel_bot?start=ci_KSH-POS-01_abcdefghijklmnop" },
    ];
    const png = renderCheckInPoster({ title: "ثبت حضور", instructions: "کد را بخوانید", codes, footer: "همدل" });
    const image = await loadImage(png);
    const canvas = createCanvas(image.width, image.height);
    const ctx = canvas.getContext("2d");
    ctx.drawImage(image, 0, 0);
    const half = Math.floor(image.width / 2);
    // The first code is on the right (right to left), the second on the left.
    const decode = (x: number) => {
      const data = ctx.getImageData(x, 180, half, image.height - 300);
      return jsQR(new Uint8ClampedArray(data.data), data.width, data.height)?.data;
    };
    expect(decode(half)).toBe(codes[0]!.url);
    expect(decode(0)).toBe(codes[1]!.url);
  });
});
