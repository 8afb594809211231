import type { mongo } from "mongoose";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Store } from "../../src/store/port/index.js";
import { candidateQuery, newNeed } from "../support/fixtures.js";
import { describeMongo, openIndexedStore } from "../support/mongo-lane.js";

/**
 * The commands the adapter sends, seen through the driver's command
 * monitoring: what a transaction carries, and what a call must not send.
 */
const WRITES = new Set(["insert", "update", "delete", "findAndModify", "bulkWrite"]);

describeMongo("MongoDB command shapes", ({ uri }) => {
  let store: Store;
  let seen: mongo.CommandStartedEvent[] = [];
  beforeEach(async () => {
    store = await openIndexedStore(uri, "hamdel_cmd", { onCommand: (e) => seen.push(e) });
  });
  afterEach(() => store.close());

  /** The commands one call sends (nothing else runs meanwhile). */
  async function commandsOf(call: () => Promise<unknown>) {
    seen = [];
    await call();
    return seen.filter((e) => !["hello", "isMaster", "ping", "endSessions"].includes(e.commandName));
  }

  /** Every command between a transaction's first and its commit carries that session and transaction number. */
  function expectAllInTransaction(commands: mongo.CommandStartedEvent[], label: string) {
    const start = commands.findIndex((c) => c.command.startTransaction === true);
    const end = commands.findIndex((c) => c.commandName === "commitTransaction");
    expect(start, `${label}: no transaction started`).toBeGreaterThanOrEqual(0);
    expect(end, `${label}: no commit`).toBeGreaterThan(start);
    const { lsid, txnNumber } = commands[start]!.command;
    for (const c of commands.slice(start, end + 1)) {
      expect(c.command.lsid, `${label}: ${c.commandName} outside the session`).toEqual(lsid);
      expect(c.command.txnNumber, `${label}: ${c.commandName} outside the transaction`).toEqual(txnNumber);
    }
  }

  it("ensure() of a known identity with an unchanged chat sends no write", async () => {
    const tg = { platform: "telegram" as const, userId: "1", chatId: "1" };
    const first = await commandsOf(() => store.people.ensure(tg));
    expect(first.some((c) => WRITES.has(c.commandName))).toBe(true);
    const again = await commandsOf(() => store.people.ensure(tg));
    expect(again.map((c) => c.commandName)).toEqual(["find"]);
    // A changed chat is written.
    const moved = await commandsOf(() => store.people.ensure({ ...tg, chatId: "2" }));
    expect(moved.some((c) => WRITES.has(c.commandName))).toBe(true);
  });

  it("every command inside a transaction carries its session: a wave, an answer, a decision, a transfer, an import", async () => {
    await store.centres.upsertInstitutions([{ code: "I1", name: "i", province: "kermanshah", phone: null }]);
    const imported = await commandsOf(() =>
      store.centres.upsertCentres([
        {
          code: "C1",
          kind: "positive_life",
          name: "c",
          province: "kermanshah",
          county: "kermanshah",
          neighbourhood: null,
          address: "a",
          phone: null,
          location: null,
          institutionCode: "I1",
        },
      ]),
    );
    expectAllInTransaction(imported, "upsertCentres");
    const people: Awaited<ReturnType<Store["people"]["update"]>>[] = [];
    for (const u of ["10", "11"]) {
      const { person } = await store.people.ensure({ platform: "telegram", userId: u, chatId: u });
      people.push(
        await store.people.update(person.id, {
          registeredAt: new Date(),
          province: "kermanshah",
          county: "kermanshah",
          roles: ["neighbourhood_helper"],
          availability: { slots: ["sat.morning"], hoursPerWeek: 4 },
        }),
      );
    }
    const need = await store.needs.create(newNeed({ centreCode: "C1", wanted: 1 }));
    const now = new Date();
    const found = await store.needs.candidates(candidateQuery(), 10, now);
    let offers: Awaited<ReturnType<Store["needs"]["createOffers"]>> = [];
    const wave = await commandsOf(async () => {
      offers = await store.needs.createOffers(need.id, found, now, new Date(now.getTime() + 3_600_000));
    });
    expect(offers).toHaveLength(2);
    expectAllInTransaction(wave, "createOffers");
    const offer = offers[0]!;
    expectAllInTransaction(
      await commandsOf(() => store.needs.answer(offer.id, offer.personId, "accept", now, "I1")),
      "answer",
    );
    expectAllInTransaction(await commandsOf(() => store.needs.decide(offer.id, false, "telegram:1", "r")), "decide");
    const temp = (await store.people.ensure({ platform: "bale", userId: "12", chatId: "12" })).person;
    expectAllInTransaction(
      await commandsOf(() => store.people.transferIdentity({ platform: "bale", userId: "12" }, people[0]!.id)),
      "transferIdentity",
    );
    expect(await store.people.get(temp.id)).toBeNull();
  });
});
