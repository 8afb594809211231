import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { actorFor } from "../../src/services/access.js";
import { reportCentreAction } from "../../src/services/centre-actions.js";
import { createHarness, type Harness } from "../support/harness.js";
import { importSampleData } from "../support/sample.js";

describe("a centre's action, reported", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
    await importSampleData(h.app.deps.store);
  });
  afterEach(() => h.close());

  const now = new Date("2027-02-20T09:00:00Z");
  const deps = () => ({ store: h.app.deps.store, logger: h.app.deps.logger, timeZone: "Asia/Tehran" });
  const actor = async (role: "centre_coordinator", scope: string) => {
    const user = await h.staff(role, scope);
    return actorFor(h.app.deps.store, h.config, { platform: "telegram", userId: String(user.id) });
  };
  const iftar = { centreCode: "KSH-POS-01", kind: "iftar" as const, date: "2027-02-19", participants: 40 };

  it("by the centre's coordinator: recorded and audited", async () => {
    const r = await reportCentreAction(deps(), await actor("centre_coordinator", "KSH-POS-01"), iftar, now);
    expect(r).toMatchObject({ ok: true, value: { centreCode: "KSH-POS-01", kind: "iftar", participants: 40 } });
    const stored = await h.app.deps.store.centres.actions({
      centreCodes: ["KSH-POS-01"],
      from: "2027-02-01",
      to: "2027-02-28",
    });
    expect(stored).toHaveLength(1);
    const [log] = await h.app.deps.store.access.auditLog({ limit: 1 });
    expect(log).toMatchObject({ action: "centre.action", scope: "KSH-POS-01", outcome: "ok" });
  });

  it("by another centre's coordinator: refused, audited, nothing recorded", async () => {
    const r = await reportCentreAction(deps(), await actor("centre_coordinator", "KSH-POS-02"), iftar, now);
    expect(r).toEqual({ ok: false, error: "forbidden" });
    const [log] = await h.app.deps.store.access.auditLog({ limit: 1 });
    expect(log).toMatchObject({ action: "centre.action", scope: "KSH-POS-01", outcome: "refused" });
    expect(
      await h.app.deps.store.centres.actions({ centreCodes: ["KSH-POS-01"], from: "2027-01-01", to: "2027-03-01" }),
    ).toEqual([]);
  });

  it("refuses what the chat would never send: a future day, one too old, no one there, too many, an unknown kind", async () => {
    const a = await actor("centre_coordinator", "KSH-POS-01");
    for (const bad of [
      { date: "2027-02-21" },
      { date: "2026-12-01" },
      { date: "20270219" },
      { participants: 0 },
      { participants: 100_001 },
      { participants: 2.5 },
      { kind: "party" as never },
    ])
      expect(await reportCentreAction(deps(), a, { ...iftar, ...bad }, now), JSON.stringify(bad)).toEqual({
        ok: false,
        error: "invalid",
      });
    expect(
      await h.app.deps.store.centres.actions({ centreCodes: ["KSH-POS-01"], from: "2026-01-01", to: "2027-12-01" }),
    ).toEqual([]);
  });
});
