import type { Database, Statement } from "better-sqlite3";
import { bitCount, type CandidateQuery, type CandidateRow } from "../../domain/matching.js";
import { SKILL_CATEGORIES } from "../../domain/taxonomy.js";

/**
 * An in-memory, column-wise copy of `match_index`, one bucket per (tag,
 * province), loaded on first use. A province-wide search then reads tight
 * typed arrays instead of asking SQLite for (and decoding) tens of thousands
 * of rows — the difference between ~15 ms and ~1 ms for a large province.
 *
 * SQLite stays the source of truth. The cache follows it exactly:
 * - this process's changes: every write that touches a person's index rows
 *   marks the person; before the next search their rows are re-read (after
 *   the write committed) and patched into the loaded buckets;
 * - other processes' changes (a CLI import next to the running bot): SQLite's
 *   `data_version` moves, and every bucket is dropped and reloaded lazily.
 */

const SKILLS = SKILL_CATEGORIES.flatMap((c) => c.skills);
const SKILL_BIT = new Map<string, number>(SKILLS.map((s, i) => [s, i]));

/** Grows a typed array, keeping its contents. */
function grow<T extends Int32Array | Float64Array | Uint8Array | Uint16Array>(a: T, size: number): T {
  const next = new (a.constructor as new (n: number) => T)(size);
  next.set(a);
  return next;
}

class Bucket {
  n = 0;
  dead = 0;
  person = new Int32Array(64);
  county = new Int32Array(64);
  hood = new Int32Array(64);
  lat = new Float64Array(64);
  lon = new Float64Array(64);
  slot = new Int32Array(64);
  skillsLo = new Int32Array(64);
  skillsHi = new Int32Array(64);
  last = new Float64Array(64);
  recent = new Uint16Array(64);
  decline = new Uint16Array(64);
  alive = new Uint8Array(64);
  /** Person index → position; built on the first change that reaches this bucket. */
  positions: Map<number, number> | undefined;

  push(r: {
    person: number;
    county: number;
    hood: number;
    lat: number;
    lon: number;
    slot: number;
    skillsLo: number;
    skillsHi: number;
    last: number;
    recent: number;
    decline: number;
  }): void {
    if (this.n === this.person.length) {
      const size = this.n * 2;
      this.person = grow(this.person, size);
      this.county = grow(this.county, size);
      this.hood = grow(this.hood, size);
      this.lat = grow(this.lat, size);
      this.lon = grow(this.lon, size);
      this.slot = grow(this.slot, size);
      this.skillsLo = grow(this.skillsLo, size);
      this.skillsHi = grow(this.skillsHi, size);
      this.last = grow(this.last, size);
      this.recent = grow(this.recent, size);
      this.decline = grow(this.decline, size);
      this.alive = grow(this.alive, size);
    }
    const i = this.n++;
    this.person[i] = r.person;
    this.county[i] = r.county;
    this.hood[i] = r.hood;
    this.lat[i] = r.lat;
    this.lon[i] = r.lon;
    this.slot[i] = r.slot;
    this.skillsLo[i] = r.skillsLo;
    this.skillsHi[i] = r.skillsHi;
    this.last[i] = r.last;
    this.recent[i] = r.recent;
    this.decline[i] = r.decline;
    this.alive[i] = 1;
    this.positions?.set(r.person, i);
  }

  positionsOf(): Map<number, number> {
    if (!this.positions) {
      this.positions = new Map();
      for (let i = 0; i < this.n; i++) if (this.alive[i]) this.positions.set(this.person[i]!, i);
    }
    return this.positions;
  }
}

type Raw = [
  tag: string,
  province: string,
  personId: string,
  county: string,
  hood: string | null,
  lat: number | null,
  lon: number | null,
  slot: number,
  skills: string,
  last: number | null,
  recent: number,
  decline: number,
];

const COLUMNS = `tag, province, person_id, county, hood_key, lat, lon, slot_mask, skills, last_offer_ms, recent_offers,
  decline_streak`;

export class CandidateCache {
  readonly #buckets = new Map<string, Bucket>();
  readonly #persons: string[] = [];
  readonly #personIndex = new Map<string, number>();
  readonly #strings: (string | null)[] = [null];
  readonly #stringIndex = new Map<string, number>();
  /** People whose rows changed, with the buckets they were in before the change. */
  readonly #pending = new Map<string, Set<string>>();
  readonly #byBucket: Statement;
  readonly #byPerson: Statement;
  #dataVersion: number;

  constructor(private readonly db: Database) {
    this.#byBucket = db.prepare(`SELECT ${COLUMNS} FROM match_index WHERE tag = ? AND province = ?`).raw();
    this.#byPerson = db.prepare(`SELECT ${COLUMNS} FROM match_index WHERE person_id = ?`).raw();
    this.#dataVersion = this.#version();
  }

  /**
   * A person's index rows changed: re-read them before the next search.
   * `before` lists the (tag, province) pairs they had before the change, when
   * it may have moved them (a new province, other skills).
   */
  touched(personId: string, before: readonly { tag: string; province: string }[] = []): void {
    let keys = this.#pending.get(personId);
    if (!keys) this.#pending.set(personId, (keys = new Set()));
    for (const k of before) keys.add(`${k.tag}|${k.province}`);
  }

  /** Forgets everything (after a rebuild). */
  clear(): void {
    this.#buckets.clear();
    this.#pending.clear();
  }

  /**
   * The index rows a query can use: its tags in its province (its county, if
   * county-level), sharing a slot, each person once, handed to `visit`. The
   * row object is reused between calls: copy what you keep.
   */
  each(q: CandidateQuery, tags: string[], visit: (row: CandidateRow) => void): void {
    this.#sync();
    const buckets = tags.map((tag) => this.#bucket(tag, q.province));
    const county = this.#stringIndex.get(q.county) ?? -1;
    if (q.reach === "county" && county < 0) return;
    const [needLo, needHi] = this.#skillWords(q.skills);
    const seen = tags.length > 1 ? new Set<number>() : undefined;
    const row: CandidateRow = {
      personId: "",
      county: "",
      neighbourhood: null,
      lat: null,
      lon: null,
      slotMask: 0,
      skillsMatched: 0,
      hasRole: q.role !== null,
      lastOfferMs: null,
      recentOffers: 0,
      declineStreak: 0,
    };
    for (const b of buckets) {
      for (let i = 0; i < b.n; i++) {
        if (!b.alive[i] || (b.slot[i]! & q.slotMask) === 0) continue;
        if (q.reach === "county" && b.county[i] !== county) continue;
        const p = b.person[i]!;
        if (seen) {
          if (seen.has(p)) continue;
          seen.add(p);
        }
        row.personId = this.#persons[p]!;
        row.county = this.#strings[b.county[i]!]!;
        row.neighbourhood = this.#strings[b.hood[i]!] ?? null;
        const lat = b.lat[i]!;
        row.lat = Number.isNaN(lat) ? null : lat;
        row.lon = Number.isNaN(lat) ? null : b.lon[i]!;
        row.slotMask = b.slot[i]!;
        row.skillsMatched = bitCount(b.skillsLo[i]! & needLo) + bitCount(b.skillsHi[i]! & needHi);
        const last = b.last[i]!;
        row.lastOfferMs = Number.isNaN(last) ? null : last;
        row.recentOffers = b.recent[i]!;
        row.declineStreak = b.decline[i]!;
        visit(row);
      }
    }
  }

  #version(): number {
    return this.db.pragma("data_version", { simple: true }) as number;
  }

  /** Applies this process's pending changes, or drops everything if another process wrote. */
  #sync(): void {
    const version = this.#version();
    if (version !== this.#dataVersion) {
      this.#dataVersion = version;
      this.clear();
      return;
    }
    if (this.#pending.size === 0) return;
    for (const [personId, before] of this.#pending) {
      const rows = this.#byPerson.all(personId) as Raw[];
      const p = this.#personIndex.get(personId);
      if (p !== undefined)
        for (const key of new Set([...before, ...rows.map((r) => `${r[0]}|${r[1]}`)])) {
          const b = this.#buckets.get(key);
          const pos = b?.positionsOf().get(p);
          if (!b || pos === undefined) continue;
          b.alive[pos] = 0;
          b.dead++;
          b.positions!.delete(p);
          // Mostly tombstones: reload it fresh when next needed.
          if (b.dead > 1000 && b.dead * 4 > b.n) this.#buckets.delete(key);
        }
      for (const r of rows) this.#buckets.get(`${r[0]}|${r[1]}`)?.push(this.#columns(r));
    }
    this.#pending.clear();
  }

  #bucket(tag: string, province: string): Bucket {
    const key = `${tag}|${province}`;
    let b = this.#buckets.get(key);
    if (!b) {
      b = new Bucket();
      for (const r of this.#byBucket.iterate(tag, province) as IterableIterator<Raw>) b.push(this.#columns(r));
      this.#buckets.set(key, b);
    }
    return b;
  }

  #columns(r: Raw) {
    const [lo, hi] = this.#skillWords(r[8].split(","));
    return {
      person: this.#intern(r[2]),
      county: this.#string(r[3]),
      hood: r[4] === null ? 0 : this.#string(r[4]),
      lat: r[5] ?? NaN,
      lon: r[6] ?? NaN,
      slot: r[7],
      skillsLo: lo,
      skillsHi: hi,
      last: r[9] ?? NaN,
      recent: r[10],
      decline: r[11],
    };
  }

  #skillWords(skills: readonly string[]): [number, number] {
    let lo = 0;
    let hi = 0;
    for (const s of skills) {
      const bit = SKILL_BIT.get(s);
      if (bit === undefined) continue;
      if (bit < 32) lo |= 1 << bit;
      else hi |= 1 << (bit - 32);
    }
    return [lo, hi];
  }

  #intern(personId: string): number {
    let i = this.#personIndex.get(personId);
    if (i === undefined) {
      i = this.#persons.push(personId) - 1;
      this.#personIndex.set(personId, i);
    }
    return i;
  }

  #string(s: string): number {
    let i = this.#stringIndex.get(s);
    if (i === undefined) {
      i = this.#strings.push(s) - 1;
      this.#stringIndex.set(s, i);
    }
    return i;
  }
}
