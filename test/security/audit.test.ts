import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AUDIT_EXPORT_LIMIT } from "../../src/bot/features/audit.js";
import { createHarness, newUser, TOKENS, type Harness } from "../support/harness.js";

const ADMIN = { id: 6464, first_name: "Admin" };

/** A Jalali date (`1405-07-09`) of an instant, in Tehran. */
const jalali = (d: Date) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat("en-u-ca-persian-nu-latn", {
      timeZone: "Asia/Tehran",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}`;
};

describe("the audit log cannot be flooded, and all of it can be read", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ env: { ADMIN_IDS: `telegram:${ADMIN.id}` } });
    h.sim.openChat(TOKENS.telegram, ADMIN);
  });
  afterEach(async () => {
    vi.useRealTimers();
    await h.close();
  });

  it("one person's refusals in a row are one record with a count", async () => {
    const intruder = newUser();
    for (let i = 0; i < 200; i++) await h.say("telegram", intruder, "/audit");
    const log = await h.app.deps.store.access.auditLog({ limit: 1000 });
    const theirs = log.filter((r) => r.actor === `telegram:${intruder.id}`);
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toMatchObject({ action: "audit.read", outcome: "refused", count: 200 });
    // The admin's reading shows the count.
    expect((await h.say("telegram", ADMIN, "/audit")).join()).toContain("×۲۰۰");
  });

  it("/audit <from> <to> exports a date range, however much newer activity there is", async () => {
    const { store } = h.app.deps;
    vi.useFakeTimers({ toFake: ["Date"] });
    const past = new Date("2026-10-01T08:00:00Z");
    vi.setSystemTime(past);
    for (let i = 0; i < 3; i++)
      await store.access.audit({
        actor: "telegram:1",
        action: `old.${i}`,
        scope: "*",
        target: null,
        outcome: "ok",
        details: null,
      });
    vi.useRealTimers();
    for (let i = 0; i <= AUDIT_EXPORT_LIMIT; i++)
      await store.access.audit({
        actor: "telegram:2",
        action: `new.${i}`,
        scope: "*",
        target: null,
        outcome: "ok",
        details: null,
      });

    // (An action with no Persian name yet is shown by its code.)
    await h.say("telegram", ADMIN, "/audit");
    const latest = parse(h.last("telegram", ADMIN).file!.bytes.toString("utf8"), {
      bom: true,
      columns: true,
    }) as Record<string, string>[];
    expect(latest).toHaveLength(AUDIT_EXPORT_LIMIT);
    expect(latest.some((r) => r["اقدام"]!.startsWith("old."))).toBe(false);
    expect(h.last("telegram", ADMIN).caption).toContain("بازهٔ تاریخ");

    const day = jalali(past);
    await h.say("telegram", ADMIN, `/audit ${day} ${day}`);
    const ranged = parse(h.last("telegram", ADMIN).file!.bytes.toString("utf8"), {
      bom: true,
      columns: true,
    }) as Record<string, string>[];
    expect(ranged.map((r) => r["اقدام"]).sort()).toEqual(["old.0", "old.1", "old.2"]);
    expect((await h.say("telegram", ADMIN, "/audit 1405-13-40")).join()).toContain("بازهٔ تاریخ را به شمسی بنویسید");
  });
});
