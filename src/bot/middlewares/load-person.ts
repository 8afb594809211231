import type { Context, MiddlewareFn } from "grammy";
import type { Language } from "../../domain/person.js";
import { DEFAULT_LANGUAGE, type I18n, type TFunction } from "../../i18n.js";
import type { Platform } from "../../platforms/capabilities.js";
import type { Person, Store } from "../../store/port/index.js";

/** What this middleware adds to the context (combined into `BotContext` by `context.ts`). */
export interface PersonFlavor {
  /** The sender's record; `null` for someone not yet known. */
  person: Person | null;
}

/** What it reads from the context: the platform, the translator it switches. */
type Flavor = Context &
  Partial<PersonFlavor> & {
    caps: { platform: Platform };
    deps: { i18n: I18n };
    lang: Language;
    t: TFunction;
  };

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
 * (the store counts its people writes: `Store.peopleWrites`), and then it is
 * loaded again. Nothing is kept once the update is handled.
 */
export class PersonLoader {
  /** Records of the senders whose updates are being handled now, by platform and user. */
  readonly #handling = new Map<string, { person: Person | null; writes: number; updates: number }>();

  constructor(private readonly store: Pick<Store, "people" | "peopleWrites">) {}

  /** The outside middleware: loads the record and keeps it while the update is handled. */
  outer<C extends Flavor>(): MiddlewareFn<C> {
    return async (ctx, next) => {
      const key = keyOf(ctx);
      if (key === undefined) return apply(ctx, null, next);
      const writes = this.store.peopleWrites();
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
      if (entry && entry.writes === this.store.peopleWrites()) return apply(ctx, entry.person, next);
      const writes = this.store.peopleWrites();
      const person = await this.#load(ctx, key);
      if (entry && entry.writes < writes) Object.assign(entry, { person, writes });
      return apply(ctx, person, next);
    };
  }

  #load(ctx: Flavor, key: string): Promise<Person | null> {
    return this.store.people.findByIdentity({ platform: ctx.caps.platform, userId: key.slice(key.indexOf(":") + 1) });
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
