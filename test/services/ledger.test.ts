import { describe, expect, it } from "vitest";
import { ledgerCommand } from "../../src/cli/ledger.js";
import { centreAccount, personAccount, servicePostings } from "../../src/domain/ledger.js";
import { PiiCipher } from "../../src/security/pii.js";
import { correctEntry } from "../../src/services/ledger.js";
import { crossedMilestone } from "../../src/services/matching/index.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { openStore } from "../../src/store/index.js";
import { tempDir, testConfig } from "../support/config.js";

describe("ledger corrections", () => {
  it("corrects by a new entry that moves the difference; balances still sum to zero", async () => {
    const store = openSqliteStore(tempDir(), new PiiCipher("k".repeat(32)));
    const giver = personAccount("p1");
    const centre = centreAccount("C1");
    const { entry } = await store.ledger.post({
      key: "service:o1:2026-11-20",
      kind: "service",
      offerId: "o1",
      reverses: null,
      memo: null,
      postings: servicePostings(giver, centre, 240),
      by: "telegram:1",
    });
    const r = await correctEntry(store, entry.id, 180, "three hours, not four", "cli:admin");
    expect(r).toMatchObject({ ok: true, value: { created: true, entry: { kind: "correction", reverses: entry.id } } });
    expect(await store.ledger.balance(giver)).toBe(180);
    expect(await store.ledger.balance(centre)).toBe(-180);
    expect(await store.ledger.total()).toBe(0);
    // The original is untouched; a second correction of the same entry is refused.
    expect((await store.ledger.get(entry.id))!.postings).toEqual(servicePostings(giver, centre, 240));
    expect(await correctEntry(store, entry.id, 0, "void", "cli:admin")).toMatchObject({
      ok: true,
      value: { created: false },
    });
    expect(await store.ledger.balance(giver)).toBe(180);
    // Bad input.
    expect(await correctEntry(store, "nope", 60, "x", "cli")).toEqual({ ok: false, error: "no_entry" });
    expect(await correctEntry(store, entry.id, -5, "x", "cli")).toEqual({ ok: false, error: "bad_minutes" });
    expect(await correctEntry(store, entry.id, 60, " ", "cli")).toEqual({ ok: false, error: "no_reason" });
    expect((await store.access.auditLog({ limit: 5 })).map((a) => a.action)).toContain("ledger.correct");
    await store.close();
  });

  it("the CLI shows a volunteer's statement and records a correction", async () => {
    const config = testConfig();
    const out: string[] = [];
    const err: string[] = [];
    const io = { log: (m: string) => out.push(m), error: (m: string) => err.push(m) };
    const store = await openStore(config, new PiiCipher(config.piiKey!));
    const { person } = await store.people.ensure({ platform: "telegram", userId: "1", chatId: "1" });
    await store.people.update(person.id, { volunteerCode: "HM-LEDG01" });
    const { entry } = await store.ledger.post({
      key: "k1",
      kind: "service",
      offerId: null,
      reverses: null,
      memo: null,
      postings: servicePostings(personAccount(person.id), centreAccount("C"), 120),
      by: "t",
    });
    await store.close();
    expect(await ledgerCommand(["correct", entry.id, "--minutes", "60", "--reason", "one hour"], io, config)).toBe(0);
    expect(await ledgerCommand(["show", "hm-ledg01"], io, config)).toBe(0);
    expect(out[0]).toMatch(/^correction .* recorded$/);
    expect(out[1]).toBe("HM-LEDG01: given 1 h, balance 1 h");
    expect(out.slice(2).join("\n")).toMatch(/correction\t-1 h\t.*one hour/);
    expect(await ledgerCommand(["show", "HM-NOPE"], io, config)).toBe(1);
    expect(await ledgerCommand(["fix"], io, config)).toBe(2);
    // A refusal in the operator's words.
    expect(await ledgerCommand(["correct", "nope", "--minutes", "60", "--reason", "x"], io, config)).toBe(1);
    expect(err.at(-1)).toBe("no ledger entry nope");
  });
});

describe("milestone thanks", () => {
  it("names the highest milestone a service crosses, once", () => {
    expect(crossedMilestone(9 * 60, 11 * 60)).toBe(10);
    expect(crossedMilestone(10 * 60, 11 * 60)).toBeUndefined();
    expect(crossedMilestone(0, 30 * 60)).toBe(25);
    expect(crossedMilestone(99 * 60, 100 * 60)).toBe(100);
    expect(crossedMilestone(0, 60)).toBeUndefined();
  });
});
