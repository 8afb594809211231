import type { Context, MiddlewareFn } from "grammy";
import { DEFAULT_LANGUAGE } from "../../i18n.js";
import type { PeopleRepository, Person } from "../../store/port.js";
import type { HamdelFlavor } from "../context.js";

/** Whether each people-repository method changes a person record (drafts are not part of the record). */
const CHANGES_PERSON: Record<keyof PeopleRepository, boolean> = {
  get: false,
  findByIdentity: false,
  ensure: true,
  update: true,
  setSourceIfEmpty: true,
  findByNationalId: false,
  findByVolunteerCode: false,
  findByPhone: false,
  linkIdentity: true,
  setReachable: true,
  transferIdentity: true,
  getDraft: false,
  saveDraft: false,
  erase: true,
  segment: false,
  count: false,
  listRegistered: false,
};

type Flavor = Context & HamdelFlavor & { person?: Person | null };

/**
 * Looks up the sender's person record and switches the translator to the
 * language they chose. Read-only: records are created by features.
 *
 * One update needs the record in the outside middleware and again in every
 * conversation step the conversations plugin replays for it (each builds its
 * own context): four loads of the same record per registration update, each
 * several queries (or MongoDB round trips) and two decryptions. So the record
 * loaded by {@link outer} is kept while that update is handled and given to
 * {@link inner} — unless a person record was written in this process since
 * (the constructor counts the repository's writes), and then it is loaded
 * again. Nothing is kept once the update is handled.
 */
export class PersonLoader {
  #writes = 0;
  /** Records of the senders whose updates are being handled now, by platform and user. */
  readonly #handling = new Map<string, { person: Person | null; writes: number; updates: number }>();

  constructor(private readonly people: PeopleRepository) {
    // Wrapped in place, so that every holder of the repository (services, the delivery engine) is counted.
    const target = people as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const [name, changes] of Object.entries(CHANGES_PERSON)) {
      if (!changes) continue;
      const write = target[name]!.bind(people);
      target[name] = (...args) =>
        write(...args).finally(() => {
          this.#writes++;
        });
    }
  }

  /** The outside middleware: loads the record and keeps it while the update is handled. */
  outer<C extends Flavor>(): MiddlewareFn<C> {
    return async (ctx, next) => {
      const key = keyOf(ctx);
      if (key === undefined) return apply(ctx, null, next);
      const writes = this.#writes;
      const person = await this.#load(ctx, key);
      const entry = this.#handling.get(key);
      if (entry) {
        entry.updates++;
        if (entry.writes < writes) Object.assign(entry, { person, writes });
      } else this.#handling.set(key, { person, writes, updates: 1 });
      try {
        return await apply(ctx, person, next);
      } finally {
        const held = this.#handling.get(key)!;
        if (--held.updates === 0) this.#handling.delete(key);
      }
    };
  }

  /** Inside conversations: the record the outside middleware loaded, unless it was written since. */
  inner<C extends Flavor>(): MiddlewareFn<C> {
    return async (ctx, next) => {
      const key = keyOf(ctx);
      if (key === undefined) return apply(ctx, null, next);
      const entry = this.#handling.get(key);
      if (entry && entry.writes === this.#writes) return apply(ctx, entry.person, next);
      const writes = this.#writes;
      const person = await this.#load(ctx, key);
      if (entry && entry.writes < writes) Object.assign(entry, { person, writes });
      return apply(ctx, person, next);
    };
  }

  #load(ctx: Flavor, key: string): Promise<Person | null> {
    return this.people.findByIdentity({ platform: ctx.caps.platform, userId: key.slice(key.indexOf(":") + 1) });
  }
}

const keyOf = (ctx: Flavor) => {
  const from = ctx.from;
  return from && !from.is_bot ? `${ctx.caps.platform}:${from.id}` : undefined;
};

function apply(ctx: Flavor, person: Person | null, next: () => Promise<void>) {
  ctx.person = person;
  ctx.lang = person?.language ?? DEFAULT_LANGUAGE;
  ctx.t = ctx.deps.i18n.t(ctx.lang);
  return next();
}
