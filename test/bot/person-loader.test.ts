import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BotContext } from "../../src/bot/context.js";
import { PersonLoader } from "../../src/bot/middlewares/load-person.js";
import { createI18n } from "../../src/i18n.js";
import { capabilitiesOf } from "../../src/platforms/capabilities.js";
import type { PeopleRepository, Store } from "../../src/store/port/index.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { PERSON_WRITES } from "../../src/store/people-writes.js";
import { tempDir } from "../support/config.js";
import { createHarness, newUser, type Harness } from "../support/harness.js";
import { register } from "../support/registration.js";
import { TEST_CIPHER } from "../store/contract/index.js";

/** Counts calls of the named methods of a repository (wrapped in place, outermost). */
function countCalls(people: PeopleRepository, names: (keyof PeopleRepository)[]) {
  const counts = { calls: 0 };
  const target = people as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of names) {
    const inner = target[name]!;
    target[name] = (...args) => {
      counts.calls++;
      return inner.apply(people, args);
    };
  }
  return counts;
}

/** The methods that write a person record: the store's own checked list (a new method must be classified there). */
const WRITES = PERSON_WRITES;

describe("the sender's record is loaded once per update", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it("a whole registration: one load per update, plus one after each write of the record", async () => {
    const people = h.app.deps.store.people;
    const loads = countCalls(people, ["findByIdentity"]);
    const writes = countCalls(people, WRITES);
    await register(h, "telegram", newUser());
    // Before, every replayed conversation step loaded it again: 70 loads for these 18 updates.
    expect(loads.calls).toBeGreaterThanOrEqual(h.counts.interactions);
    expect(loads.calls).toBeLessThanOrEqual(h.counts.interactions + writes.calls);
  });
});

describe("PersonLoader", () => {
  let store: Store;
  let loader: PersonLoader;
  let loads: { calls: number };
  const caps = capabilitiesOf("telegram");
  const from = { id: 7001, is_bot: false, first_name: "Sara" };
  let personId: string;
  beforeEach(async () => {
    store = openSqliteStore(tempDir(), TEST_CIPHER);
    loader = new PersonLoader(store);
    loads = countCalls(store.people, ["findByIdentity"]);
    ({
      person: { id: personId },
    } = await store.people.ensure({ platform: "telegram", userId: "7001", chatId: "7001" }));
    loads.calls = 0;
  });
  afterEach(async () => {
    await store.close();
  });
  const context = async () => ({ from, caps, deps: { i18n: await createI18n() } }) as unknown as BotContext;
  const outer = () => loader.outer<BotContext>();
  const inner = () => loader.inner<BotContext>();

  it("inside the update the outer load is reused; a write in between is seen; nothing is kept afterwards", async () => {
    const o = await context();
    const seen: BotContext[] = [];
    await outer()(o, async () => {
      const a = await context();
      await inner()(a, async () => void seen.push(a));
      expect(loads.calls).toBe(1);
      expect(a.person).toBe(o.person);
      // A step writes the record (a language chosen): the next inner context sees it, in its language.
      await store.people.update(personId, { language: "en" });
      const b = await context();
      await inner()(b, async () => void seen.push(b));
      expect(loads.calls).toBe(2);
      expect(b.person!.language).toBe("en");
      expect(b.lang).toBe("en");
      const c = await context();
      await inner()(c, async () => void seen.push(c));
      expect(loads.calls).toBe(2);
      expect(c.person).toBe(b.person);
    });
    expect(o.lang).toBe("fa");
    expect(seen).toHaveLength(3);
    // Handled: the next inner context (another update's conversation) loads afresh.
    const d = await context();
    await inner()(d, async () => undefined);
    expect(loads.calls).toBe(3);
  });

  it("two updates of one sender at once (two chats): the record is kept until both are handled", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = outer()(await context(), () => held);
    await outer()(await context(), async () => undefined);
    const inside = await context();
    await inner()(inside, async () => undefined);
    expect(loads.calls).toBe(2);
    release();
    await first;
    await inner()(await context(), async () => undefined);
    expect(loads.calls).toBe(3);
  });

  it("an unknown sender is null until created; the creation is seen inside the same update", async () => {
    const stranger = { id: 7002, is_bot: false, first_name: "Ali" };
    const o = { ...(await context()), from: stranger } as BotContext;
    await outer()(o, async () => {
      expect(o.person).toBeNull();
      await store.people.ensure({ platform: "telegram", userId: "7002", chatId: "7002" });
      const a = { ...(await context()), from: stranger } as BotContext;
      await inner()(a, async () => undefined);
      expect(a.person?.identities[0]?.userId).toBe("7002");
    });
  });
});
