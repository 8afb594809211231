import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseArgs } from "../../src/cli/args.js";
import { broadcastCommand, segmentFromFlags } from "../../src/cli/broadcast.js";
import { seedDemoCommand, SEED_USER_ID_BASE } from "../../src/cli/seed-demo.js";
import { withRuntime } from "../../src/cli/runtime.js";
import { createLogger } from "../../src/logger.js";
import { startBotApiServer, type RunningBotApi } from "../../src/playground/bot-api/index.js";
import { TELEGRAM_TOKEN, testConfig } from "../support/config.js";
import { capture } from "../support/cli.js";

describe("CLI segment flags", () => {
  it("reads comma lists and repeated flags, and refuses unknown ids", () => {
    const { flags } = parseArgs([
      "--province",
      "golestan,kermanshah",
      "--skill",
      "cooking",
      "--skill",
      "sewing",
      "--since=2026-11-01",
    ]);
    expect(segmentFromFlags(flags)).toEqual({
      segment: {
        provinces: ["golestan", "kermanshah"],
        skills: ["cooking", "sewing"],
        registeredSince: "2026-11-01T00:00:00.000Z",
      },
    });
    expect(segmentFromFlags(parseArgs(["--province", "atlantis"]).flags)).toEqual({
      error: 'unknown province "atlantis"',
    });
    expect(segmentFromFlags(parseArgs(["--platform", "whatsapp"]).flags)).toEqual({
      error: 'unknown platform "whatsapp"',
    });
    expect(segmentFromFlags(parseArgs(["--since", "yesterday"]).flags)).toMatchObject({
      error: expect.stringContaining("--since"),
    });
  });
});

describe("hamdel seed-demo and broadcast", () => {
  let api: RunningBotApi;
  beforeAll(async () => {
    api = await startBotApiServer(createLogger("silent"));
    api.sim.addBot(TELEGRAM_TOKEN, "telegram");
  });
  afterAll(() => api.close());

  it("seeds volunteers and sends a segment's broadcast, printing progress", async () => {
    const config = testConfig({
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_BROADCAST_RATE: "1000",
    });
    for (let i = 0; i < 12; i++) api.sim.openChat(TELEGRAM_TOKEN, { id: SEED_USER_ID_BASE + i, first_name: "v" });
    const seed = capture();
    expect(await seedDemoCommand(["--volunteers", "12"], seed.io, config)).toBe(0);
    expect(seed.out.at(-1)).toContain("12 synthetic volunteers");
    // Persian names and neighbourhoods, as a trainer reads them in a demo.
    await withRuntime(
      seed.io,
      async ({ store }) => {
        const first = await store.people.findByIdentity({ platform: "telegram", userId: String(SEED_USER_ID_BASE) });
        expect(first).toMatchObject({ firstName: "زهرا", lastName: "احمدی", neighbourhood: "الهیه" });
        return 0;
      },
      config,
    );
    const run = capture();
    expect(await broadcastCommand(["--text", "سلام محله این ماه", "--province", "golestan"], run.io, config)).toBe(0);
    expect(run.out[0]).toMatch(/: 3 recipients/);
    expect(run.out.at(-1)).toMatch(/sent 3, failed 0, unreachable 0/);
    const sent = api.sim.calls.filter((c) => c.method === "sendMessage");
    expect(sent).toHaveLength(3);
    expect(sent[0]!.params.text).toBe("سلام محله این ماه");
  });

  it("schedules with a Jalali date, and explains bad input", async () => {
    const config = testConfig({ TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN, TELEGRAM_API_ROOT: api.apiRoot });
    const later = capture();
    expect(await broadcastCommand(["--text", "x", "--at", "1405-12-01 20:00", "--no-wait"], later.io, config)).toBe(0);
    expect(later.out[0]).toContain("not before 2027-02-20T16:30:00.000Z");
    const bad = capture();
    expect(await broadcastCommand(["--text", "x", "--at", "1405-13-01"], bad.io, config)).toBe(2);
    expect(bad.err[0]).toContain("Jalali");
    const none = capture();
    expect(await broadcastCommand([], none.io, config)).toBe(2);
    expect(none.err[0]).toContain("--text is required");
    const seedBad = capture();
    expect(await seedDemoCommand(["--volunteers", "-3"], seedBad.io, config)).toBe(2);
  });
});

describe("hamdel campaign", () => {
  it("creates the Ramadan and monthly templates, refuses bad input, reports and ends", async () => {
    const { campaignCommand } = await import("../../src/cli/campaign.js");
    const config = testConfig();
    const run = capture();
    expect(
      await campaignCommand(
        ["create", "--template", "ramadan", "--year", "1448", "--adjust", "1", "--hour", "20"],
        run.io,
        config,
      ),
    ).toBe(0);
    expect(run.out[0]).toContain("ramadan-1448: daily at 20:00 (Asia/Tehran) from 2027-02-09 for 30 days");
    expect(
      await campaignCommand(
        ["create", "--template", "monthly", "--day", "1", "--province", "mazandaran"],
        run.io,
        config,
      ),
    ).toBe(0);
    expect(await campaignCommand(["list"], run.io, config)).toBe(0);
    expect(run.out.filter((l) => l.includes("\t"))).toEqual([
      expect.stringMatching(/^ramadan-1448\tramadan/),
      expect.stringMatching(/^salam-mahalle\tmonthly/),
    ]);
    const bad = capture();
    expect(await campaignCommand(["create", "--template", "ramadan", "--year", "1448"], bad.io, config)).toBe(1);
    expect(bad.err[0]).toContain("already exists");
    expect(
      await campaignCommand(["create", "--template", "ramadan", "--year", "1448", "--adjust", "5"], bad.io, config),
    ).toBe(2);
    expect(await campaignCommand(["create", "--template", "weekly"], bad.io, config)).toBe(2);
    expect(await campaignCommand(["report", "nope"], bad.io, config)).toBe(2);
    const report = capture();
    expect(await campaignCommand(["report", "ramadan-1448"], report.io, config)).toBe(0);
    expect(report.out.join("\n")).toMatch(/پیام‌های فرستاده: ۰[\s\S]*نذر خدمت: ۰ نفر، ۰ ساعت/);
    expect(await campaignCommand(["end", "ramadan-1448"], report.io, config)).toBe(0);
  });
});

describe("hamdel veteran", () => {
  it("marks and unmarks by volunteer code, and refuses unknown codes", async () => {
    const { veteranCommand } = await import("../../src/cli/veteran.js");
    const { withRuntime } = await import("../../src/cli/runtime.js");
    const config = testConfig();
    const io = capture();
    await withRuntime(
      io.io,
      async ({ store }) => {
        const { person } = await store.people.ensure({ platform: "telegram", userId: "9", chatId: "9" });
        await store.people.update(person.id, { volunteerCode: "HM-ABC234", registeredAt: new Date() });
        return 0;
      },
      config,
    );
    expect(await veteranCommand(["mark", "hm-abc234"], io.io, config)).toBe(0);
    expect(io.out.at(-1)).toContain("marked as a veteran");
    let marked: Date | null = null;
    await withRuntime(
      io.io,
      async ({ store }) => ((marked = (await store.people.findByVolunteerCode("HM-ABC234"))!.veteranMarkedAt), 0),
      config,
    );
    expect(marked).toBeInstanceOf(Date);
    expect(await veteranCommand(["unmark", "HM-ABC234"], io.io, config)).toBe(0);
    expect(await veteranCommand(["mark", "HM-NOPE22"], io.io, config)).toBe(1);
    expect(await veteranCommand(["promote"], io.io, config)).toBe(2);
  });
});
