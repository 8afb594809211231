import { writeFileSync, mkdirSync } from "node:fs";
import { loadImage } from "@napi-rs/canvas";
import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { harnessWithSample } from "../support/sample.js";
import type { PersonPatch } from "../../src/store/port/index.js";
import { newUser, TOKENS, type Harness } from "../support/harness.js";
import fa from "../../locales/fa.json" with { type: "json" };

/**
 * A downloaded CSV's rows, keyed as the code names its columns (and, for the
 * report, its sections): the file itself speaks Persian, and a header or a
 * section missing from the locale fails here.
 */
function csvRows(bytes: Buffer, kind: "report" | "volunteers"): Record<string, string>[] {
  const headers = Object.fromEntries(Object.entries(fa.export[kind]).map(([k, v]) => [v, k]));
  const sections = Object.fromEntries(Object.entries(fa.export.section).map(([k, v]) => [v, k]));
  const rows = parse(bytes.toString("utf8"), { bom: true, columns: true }) as Record<string, string>[];
  return rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([h, v]) => {
        const key = headers[h];
        if (!key) throw new Error(`a header not in the locale: ${h}`);
        return [key, key === "section" ? (sections[v] ?? `?${v}`) : v];
      }),
    ),
  );
}

const ADMIN = { id: 4444, first_name: "Admin" };

/** Decodes a PNG and counts its distinct colours: a blank image has one. */
async function inspect(png: Buffer) {
  const image = await loadImage(png);
  const { createCanvas } = await import("@napi-rs/canvas");
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext("2d");
  ctx.drawImage(image, 0, 0);
  const data = ctx.getImageData(0, 0, image.width, image.height).data;
  const colours = new Set<number>();
  for (let i = 0; i < data.length; i += 4 * 7) colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
  return { width: image.width, height: image.height, colours: colours.size };
}

describe("/report: text, charts and a spreadsheet, within scope", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harnessWithSample(ADMIN);
  });
  afterEach(() => h.close());

  let n = 0;
  const volunteer = async (patch: PersonPatch) => {
    const { person } = await h.app.deps.store.people.ensure({
      platform: "telegram",
      userId: `r${++n}`,
      chatId: `r${n}`,
    });
    await h.app.deps.store.people.update(person.id, {
      registeredAt: new Date(),
      roles: ["mother_helper"],
      skills: ["childcare"],
      ...patch,
    });
  };

  it("a national admin gets the country: three PNG charts with Persian labels and a CSV with a BOM", async () => {
    await volunteer({ province: "kermanshah", county: "kermanshah", source: "KSH-POS-01" });
    await volunteer({ province: "kermanshah", county: "harsin" });
    await volunteer({ province: "golestan", county: "gorgan", roles: ["tutor"] });
    const replies = await h.say("telegram", ADMIN, "/report");
    expect(replies.join("\n")).toContain("داوطلبان ثبت‌نام‌شده: ۳");
    const messages = h.sim.botMessages(TOKENS.telegram, ADMIN.id);
    const photos = messages.filter((m) => m.photo);
    expect(photos).toHaveLength(3);
    mkdirSync("test-results", { recursive: true });
    for (const [i, p] of photos.entries()) {
      const info = await inspect(p.file!.bytes);
      expect(info.width).toBe(1000);
      expect(info.height).toBeGreaterThan(150);
      expect(info.colours).toBeGreaterThan(3); // text and bars were drawn
      writeFileSync(`test-results/report-chart-${i + 1}.png`, p.file!.bytes);
    }
    const doc = messages.find((m) => m.document)!;
    // Named for what it holds and its Jalali day (ASCII in the chat: see platform-check); Persian headers and sections.
    expect(doc.document!.file_name).toMatch(/^hamdel-report-14\d\d-\d\d-\d\d\.csv$/);
    expect([...doc.file!.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = csvRows(doc.file!.bytes, "report");
    expect(rows.filter((r) => r.section === "province").map((r) => `${r.label}:${r.count}`)).toEqual([
      "کرمانشاه:2",
      "گلستان:1",
    ]);
    expect(rows.find((r) => r.section === "source" && r.key === "KSH-POS-01")!.label).toBe("مرکز مثبت زندگی الهیه");
    // A national report names counties in Persian too, as the volunteer export does.
    const counties = rows.filter((r) => r.section === "county");
    expect(counties.length).toBeGreaterThan(0);
    for (const c of counties) expect(c.label).toMatch(/^[\u0600-\u06FF\u200c ]+$/);
    expect(rows.find((r) => r.section === "role" && r.key === "mother_helper")).toMatchObject({
      label: "مادریار",
      count: "2",
    });
  });

  it("a provincial admin sees only the province; others are refused and the refusal is logged", async () => {
    await volunteer({ province: "kermanshah", county: "kermanshah" });
    await volunteer({ province: "golestan", county: "gorgan" });
    const provincial = await h.staff("provincial_admin", "golestan");
    expect((await h.say("telegram", provincial, "/report")).join()).toContain("داوطلبان ثبت‌نام‌شده: ۱");
    const doc = h.sim.botMessages(TOKENS.telegram, provincial.id).find((m) => m.document)!;
    const rows = csvRows(doc.file!.bytes, "report");
    expect(rows.filter((r) => r.section === "province").map((r) => r.key)).toEqual(["golestan"]);
    expect(rows.filter((r) => r.section === "county").map((r) => r.label)).toEqual(["گرگان"]);
    const coordinator = await h.staff("centre_coordinator", "GLS-POS-01");
    expect((await h.say("telegram", coordinator, "/report")).join()).toContain("مدیران ستاد ملی و استانی");
    expect((await h.say("telegram", newUser(), "/report")).join()).toContain("مدیران ستاد ملی و استانی");
    const refused = (await h.app.deps.store.access.auditLog({ limit: 10 })).filter(
      (r) => r.action === "report.read" && r.outcome === "refused",
    );
    expect(refused).toHaveLength(2);
  });

  it("/action: a centre coordinator reports a local action; /ramadan: headquarters get the indicators", async () => {
    const coordinator = await h.staff("centre_coordinator", "KSH-POS-01");
    await h.say("telegram", coordinator, "/action");
    await h.tap("telegram", coordinator, "r:c:0"); // an iftar gathering
    await h.say("telegram", coordinator, "۱۴۱۰/۰۱/۰۱"); // a future date is refused
    expect(h.texts("telegram", coordinator).join()).toContain("نمی‌تواند در آینده باشد");
    await h.tap("telegram", coordinator, "r:c:0"); // today
    await h.say("telegram", coordinator, "صد");
    expect(h.texts("telegram", coordinator).at(-1)).toContain("با یک عدد");
    expect((await h.say("telegram", coordinator, "۳۵")).join()).toContain(
      "ثبت شد: افطاری در «مرکز مثبت زندگی الهیه» با ۳۵ شرکت‌کننده",
    );
    const [action] = await h.app.deps.store.centres.actions({
      centreCodes: ["KSH-POS-01"],
      from: "2000-01-01",
      to: "2100-01-01",
    });
    expect(action).toMatchObject({ kind: "iftar", participants: 35, reportedBy: `telegram:${coordinator.id}` });
    expect((await h.say("telegram", newUser(), "/action")).join()).toContain("هماهنگ‌کننده هیچ مرکزی نیستید");

    expect((await h.say("telegram", ADMIN, "/ramadan")).join()).toContain("پویش رمضانی فعالی نیست");
    const { ramadanCampaign } = await import("../../src/services/campaigns.js");
    await h.app.deps.store.campaigns.create(ramadanCampaign(h.app.deps.i18n, { hijriYear: 1448 }));
    expect((await h.say("telegram", ADMIN, "/ramadan")).join()).toContain("شاخص‌های مراکز مثبت زندگی");
    const messages = h.sim.botMessages(TOKENS.telegram, ADMIN.id);
    expect(messages.some((m) => m.photo)).toBe(true);
    expect(messages.find((m) => m.document)!.document!.file_name).toMatch(/^hamdel-centres-14\d\d-\d\d-\d\d\.csv$/);
    expect((await h.say("telegram", coordinator, "/ramadan")).join()).toContain("مدیران ستاد ملی و استانی");
  });

  it("/export: personal data only to headquarters, only within scope, never the national ID, and audited", async () => {
    await volunteer({
      province: "kermanshah",
      county: "kermanshah",
      firstName: "نرگس",
      lastName: "احمدی",
      phone: "09181234567",
      nationalId: "0012345679",
    });
    await volunteer({
      province: "golestan",
      county: "gorgan",
      firstName: "علی",
      lastName: "رضایی",
      phone: "09111234567",
    });
    const provincial = await h.staff("provincial_admin", "golestan");
    await h.say("telegram", provincial, "/export");
    const doc = h.sim.botMessages(TOKENS.telegram, provincial.id).find((m) => m.document)!;
    const text = doc.file!.bytes.toString("utf8");
    expect(text).not.toContain("0012345679");
    const rows = csvRows(Buffer.from(text, "utf8"), "volunteers");
    expect(rows.map((r) => `${r.first_name} ${r.last_name}:${r.mobile}:${r.county}`)).toEqual([
      "علی رضایی:09111234567:گرگان",
    ]);
    await h.say("telegram", ADMIN, "/export");
    const all = h.sim.botMessages(TOKENS.telegram, ADMIN.id).find((m) => m.document)!;
    expect(parse(all.file!.bytes.toString("utf8"), { bom: true, columns: true })).toHaveLength(2);
    const coordinator = await h.staff("centre_coordinator", "GLS-POS-01");
    expect((await h.say("telegram", coordinator, "/export")).join()).toContain("مدیران ستاد ملی و استانی");
    const log = (await h.app.deps.store.access.auditLog({ limit: 10 })).filter((r) => r.action === "export.volunteers");
    expect(log.map((r) => `${r.outcome}:${r.scope}`).sort()).toEqual(["ok:*", "ok:golestan", "refused:*"]);
  });
});
