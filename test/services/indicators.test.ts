import { loadImage } from "@napi-rs/canvas";
import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createI18n } from "../../src/i18n.js";
import { centreAccount, personAccount, servicePostings } from "../../src/domain/ledger.js";
import { slotMask } from "../../src/domain/matching.js";
import { campaignSummary } from "../../src/services/campaign-runs.js";
import { ramadanCampaign } from "../../src/services/campaigns.js";
import { campaignWindow, indicatorsReport, ramadanIndicators } from "../../src/services/indicators.js";
import { PiiCipher } from "../../src/security/pii.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import type { Store } from "../../src/store/port/index.js";
import { tempDir } from "../support/config.js";
import { importSampleData } from "../support/sample.js";

describe("Ramadan indicators per positive-life centre", () => {
  let store: Store;
  const campaign = { hijriYear: 1448, adjustDays: 0 };
  beforeEach(async () => {
    // Inside Ramadan 1448 (from 8 February 2027): only Date is faked, so records get campaign-time stamps.
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2027-02-12T10:00:00Z") });
    store = openSqliteStore(tempDir(), new PiiCipher("k".repeat(32)));
    await importSampleData(store);
  });
  afterEach(async () => {
    await store.close();
    vi.useRealTimers();
  });

  let n = 0;
  const volunteer = async (source: string, registeredAt = new Date()) => {
    const { person } = await store.people.ensure(
      { platform: "telegram", userId: `i${++n}`, chatId: `i${n}` },
      { source },
    );
    return store.people.update(person.id, {
      registeredAt,
      province: "kermanshah",
      county: "kermanshah",
      roles: ["neighbourhood_helper"],
      availability: { slots: ["sat.morning"], hoursPerWeek: 2 },
    });
  };

  it("counts registrations through the link, actions, places filled and hours within the 30 days, and ranks", async () => {
    const w = campaignWindow(campaign);
    expect(w.firstDay).toBe("2027-02-08");
    expect(w.lastDay).toBe("2027-03-09");
    const helpers = [await volunteer("KSH-POS-01"), await volunteer("KSH-POS-01"), await volunteer("KSH-POS-01")];
    await volunteer("KSH-POS-02");
    await volunteer("KSH-POS-02", new Date("2027-01-01T10:00:00Z")); // before the campaign
    await store.centres.reportAction({
      centreCode: "KSH-POS-02",
      kind: "iftar",
      date: "2027-02-10",
      participants: 40,
      reportedBy: "t",
    });
    await store.centres.reportAction({
      centreCode: "KSH-POS-02",
      kind: "class",
      date: "2027-02-11",
      participants: 10,
      reportedBy: "t",
    });
    await store.centres.reportAction({
      centreCode: "KSH-POS-02",
      kind: "iftar",
      date: "2027-01-20",
      participants: 99,
      reportedBy: "t",
    });
    const need = await store.needs.create({
      kind: "centre",
      centreCode: "KSH-POS-01",
      requesterId: null,
      createdBy: "t",
      role: "neighbourhood_helper",
      skills: [],
      wanted: 2,
      startDate: "2027-02-12",
      endDate: "2027-03-01",
      slots: ["sat.morning"],
      reach: "county",
      notes: null,
      status: "open",
    });
    const q = {
      province: "kermanshah",
      county: "kermanshah",
      neighbourhood: null,
      location: null,
      reach: "county" as const,
      role: "neighbourhood_helper",
      skills: [],
      slotMask: slotMask(["sat.morning"]),
      exclude: new Set<string>(),
    };
    const [offer] = await store.needs.createOffers(
      need.id,
      await store.needs.candidates(q, 1, new Date()),
      new Date(),
      new Date(Date.now() + 86_400_000),
    );
    await store.needs.answer(offer!.id, offer!.personId, "accept", new Date(), null);
    await store.ledger.post({
      key: "s1",
      kind: "service",
      offerId: offer!.id,
      reverses: null,
      memo: null,
      postings: servicePostings(personAccount(helpers[0]!.id), centreAccount("KSH-POS-01"), 120),
      by: "t",
    });

    const rows = await ramadanIndicators(store, campaign, ["kermanshah"], "Asia/Tehran");
    const positive = (await store.centres.listCentres({ province: "kermanshah" })).filter(
      (c) => c.kind === "positive_life",
    );
    expect(rows).toHaveLength(positive.length);
    expect(rows.map((r) => r.centre.code).slice(0, 2)).toEqual(["KSH-POS-02", "KSH-POS-01"]);
    expect(rows.slice(2).every((r) => r.points === 0)).toBe(true);
    expect(rows[0]).toMatchObject({
      registrations: 1,
      actions: 2,
      participants: 50,
      needsFilled: 0,
      hours: 0,
      points: 16,
      rank: 1,
    });
    expect(rows[1]).toMatchObject({
      registrations: 3,
      actions: 0,
      participants: 0,
      needsFilled: 1,
      hours: 2,
      points: 8,
      rank: 2,
    });
    const golestan = await ramadanIndicators(store, campaign, ["golestan"], "Asia/Tehran");
    expect(golestan.length).toBeGreaterThan(0);
    expect(golestan.every((r) => r.centre.province === "golestan" && r.points === 0)).toBe(true);

    const i18n = await createI18n();
    const report = indicatorsReport(i18n, "fa", "پویش رمضان ۱۴۴۸", rows);
    expect(report.text).toContain("۱. مرکز مثبت زندگی فرهنگیان");
    expect(report.text).toContain("روش امتیاز");
    const image = await loadImage(report.chart);
    expect(image.width).toBe(1000);
    const csv = parse(report.csv.toString("utf8"), { bom: true, columns: true }) as Record<string, string>[];
    expect(csv.slice(0, 2).map((r) => `${r["رتبه"]}:${r["مرکز"]}:${r["امتیاز"]}`)).toEqual([
      "1:مرکز مثبت زندگی فرهنگیان:16",
      "2:مرکز مثبت زندگی الهیه:8",
    ]);

    // The end-of-campaign summary for headquarters carries the ranking.
    const created = await store.campaigns.create(ramadanCampaign(i18n, { hijriYear: 1448 }));
    const summary = await campaignSummary(
      store,
      i18n,
      { ...created, status: "active", createdAt: new Date() },
      "Asia/Tehran",
    );
    expect(summary).toContain("شاخص‌های مراکز مثبت زندگی");
  });
});
