import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createI18n, type I18n } from "../../src/i18n.js";
import { createLogger } from "../../src/logger.js";
import { dueOccurrence, runCampaigns } from "../../src/services/campaign-runs.js";
import { monthlyCampaign, pledgePersonalizer, ramadanCampaign } from "../../src/services/campaigns.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import type { Store } from "../../src/store/port/index.js";
import { TEST_CIPHER } from "../store/contract/index.js";
import { tempDir } from "../support/config.js";

const TZ = "Asia/Tehran";
const logger = createLogger("silent");
/** An instant at a Tehran wall-clock time. */
const tehran = (iso: string) => new Date(`${iso}+03:30`);

describe("campaign schedule", () => {
  let i18n: I18n;
  let store: Store;
  beforeEach(async () => {
    i18n = await createI18n();
    store = openSqliteStore(tempDir(), TEST_CIPHER);
  });
  afterEach(() => store.close());

  it("Ramadan 1448: day N of 30 at the chosen hour, from 8 February 2027", () => {
    const c = {
      ...ramadanCampaign(i18n, { hijriYear: 1448, hour: 19 }),
      status: "active" as const,
      createdAt: new Date(),
    };
    expect(dueOccurrence(c, tehran("2027-02-08T18:59:00"), TZ, i18n)).toBeNull();
    const first = dueOccurrence(c, tehran("2027-02-08T19:00:00"), TZ, i18n);
    expect(first).toMatchObject({ key: "ramadan:1", text: expect.stringContaining("روز ۱ از ۳۰") });
    expect(dueOccurrence(c, tehran("2027-02-14T21:00:00"), TZ, i18n)).toMatchObject({
      key: "ramadan:7",
      text: expect.stringContaining("روز ۷ از ۳۰"),
    });
    expect(dueOccurrence(c, tehran("2027-02-07T20:00:00"), TZ, i18n)).toBeNull();
    expect(dueOccurrence(c, tehran("2027-03-10T20:00:00"), TZ, i18n)).toEqual({ ended: true });
  });

  it("Iran's start a day later moves every day", () => {
    const c = {
      ...ramadanCampaign(i18n, { hijriYear: 1448, adjustDays: 1 }),
      status: "active" as const,
      createdAt: new Date(),
    };
    expect(dueOccurrence(c, tehran("2027-02-08T20:00:00"), TZ, i18n)).toBeNull();
    expect(dueOccurrence(c, tehran("2027-02-09T20:00:00"), TZ, i18n)).toMatchObject({ key: "ramadan:1" });
  });

  it("Salam Mahalle: on the chosen Jalali day of each month", () => {
    const c = { ...monthlyCampaign(i18n, { monthDay: 4, hour: 18 }), status: "active" as const, createdAt: new Date() };
    expect(dueOccurrence(c, tehran("2026-11-25T18:30:00"), TZ, i18n)).toMatchObject({
      key: "1405-09",
      text: expect.stringContaining("سلام محله"),
    });
    expect(dueOccurrence(c, tehran("2026-11-26T18:30:00"), TZ, i18n)).toBeNull();
  });

  it("queues each occurrence once across runs and workers, and ends after day 30", async () => {
    await store.campaigns.create(ramadanCampaign(i18n, { hijriYear: 1448 }));
    const { person } = await store.people.ensure({ platform: "telegram", userId: "1", chatId: "1" });
    await store.people.update(person.id, { registeredAt: new Date() });
    const at = tehran("2027-02-14T19:05:00");
    const [a, b] = await Promise.all([
      runCampaigns(store, i18n, logger, at, TZ),
      runCampaigns(store, i18n, logger, at, TZ),
    ]);
    expect([...a, ...b]).toHaveLength(1);
    expect(await runCampaigns(store, i18n, logger, tehran("2027-02-14T22:00:00"), TZ)).toEqual([]);
    expect((await store.campaigns.runs("ramadan-1448")).map((r) => r.occurrence)).toEqual(["ramadan:7"]);
    const broadcast = (await store.deliveries.getBroadcast([...a, ...b][0]!))!;
    expect(broadcast).toMatchObject({ status: "running", total: 1, urgent: false });
    const told: string[] = [];
    await runCampaigns(store, i18n, logger, tehran("2027-03-11T20:00:00"), TZ, async (s) => void told.push(s));
    expect(await store.campaigns.listActive()).toEqual([]);
    expect(told).toEqual([expect.stringMatching(/پایان پویش[\s\S]*پیام‌های فرستاده: ۱/)]);
  });

  it("each reminder shows the recipient's own vow of service", async () => {
    await store.campaigns.create(ramadanCampaign(i18n, { hijriYear: 1448 }));
    const ids: string[] = [];
    for (const userId of ["1", "2"]) {
      const { person } = await store.people.ensure({ platform: "telegram", userId, chatId: userId });
      await store.people.update(person.id, { registeredAt: new Date() });
      ids.push(person.id);
    }
    await store.campaigns.pledge("ramadan-1448", ids[0]!, 20);
    await runCampaigns(store, i18n, logger, tehran("2027-02-08T19:00:00"), TZ);
    const deliveries = await store.deliveries.claim("w", 10, new Date("2027-03-01T00:00:00Z"), 1000, {
      urgentOnly: false,
    });
    const personalize = pledgePersonalizer(store, i18n);
    const texts = Object.fromEntries(
      await Promise.all(deliveries.map(async (d) => [d.personId, await personalize(d)])),
    );
    expect(texts[ids[0]!]).toContain("نذر خدمت شما در این پویش: ۲۰ ساعت");
    expect(texts[ids[1]!]).toContain("/pledge");
    expect(Object.values(texts).join()).not.toContain("{pledge:");
  });
});

describe("the Ramadan campaign's name", () => {
  it("is the Iranian year of its first day («رمضان ۱۴۰۵» for 1448 AH, which begins in Bahman 1405)", async () => {
    const i18n = await createI18n();
    expect(ramadanCampaign(i18n, { hijriYear: 1448 })).toMatchObject({
      title: "نذر خدمت رمضان ۱۴۰۵",
      slug: "ramadan-1448",
    });
    expect(ramadanCampaign(i18n, { hijriYear: 1449 }).title).toBe("نذر خدمت رمضان ۱۴۰۶");
  });
});
