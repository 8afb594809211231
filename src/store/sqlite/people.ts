import { randomUUID } from "node:crypto";
import type { Database } from "better-sqlite3";
import type { PiiCipher } from "../../security/pii.js";
import { nationalIdIndex, openPii, phoneIndex, sealPii } from "../pii-fields.js";
import {
  DuplicateError,
  NotFoundError,
  type ErasedPerson,
  type Identity,
  type IdentityRef,
  type NewIdentity,
  type PageKey,
  type VolunteerFilter,
  type PeopleRepository,
  type Person,
  type PersonPatch,
} from "../port/index.js";
import type { Platform } from "../../platforms/capabilities.js";
import type { Availability, RegistrationDraft } from "../../domain/registration.js";
import { veteranCutoff, type Recipient, type Segment } from "../../domain/segment.js";
import { slotMask } from "../../domain/matching.js";
import type { MatchIndex } from "./match-index.js";
import { erasurePseudonyms } from "../erasure.js";
import { eraseEverywhere } from "./erasure.js";

interface PersonRow {
  id: string;
  language: string | null;
  source: string | null;
  title: string | null;
  first_name: string | null;
  last_name: string | null;
  registered_name: string | null;
  phone_enc: string | null;
  phone_verified: number;
  national_id_enc: string | null;
  birth_year: number | null;
  gender: string | null;
  province: string | null;
  county: string | null;
  neighbourhood: string | null;
  lat: number | null;
  lon: number | null;
  registered_at: string | null;
  availability: string | null;
  notify_campaigns: number;
  notify_matches: number;
  volunteer_code: string | null;
  consent_at: string | null;
  erased_at: string | null;
  veteran_marked_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A person row as {@link LOAD_PERSON} reads it. */
interface LoadedRow extends PersonRow {
  identities_json: string;
  skills_json: string;
  roles_json: string;
}

/**
 * The `people` table's columns, one line each: whether a person's record
 * loads it, the patch field that sets it, and what erasure leaves in it.
 * The load statement, the patch's columns and the erasure's statement are
 * made from this table (the row's type and the record's mapping below name
 * the loaded ones again, with their types).
 */
const PEOPLE_COLUMNS = {
  id: { load: true },
  language: { load: true, patch: "language", erase: "NULL" },
  source: { load: true, patch: "source" },
  title: { load: true, patch: "title", erase: "NULL" },
  first_name: { load: true, patch: "firstName", erase: "NULL" },
  last_name: { load: true, patch: "lastName", erase: "NULL" },
  registered_name: { load: true, patch: "registeredName", erase: "NULL" },
  phone_enc: { load: true, erase: "NULL" },
  phone_hash: { erase: "NULL" },
  phone_verified: { load: true, erase: "0" },
  national_id_enc: { load: true, erase: "NULL" },
  national_id_hash: { erase: "NULL" },
  birth_year: { load: true, patch: "birthYear", erase: "NULL" },
  gender: { load: true, patch: "gender" },
  province: { load: true, patch: "province" },
  county: { load: true, patch: "county" },
  neighbourhood: { load: true, patch: "neighbourhood", erase: "NULL" },
  lat: { load: true, erase: "NULL" },
  lon: { load: true, erase: "NULL" },
  registered_at: { load: true },
  availability: { load: true, erase: "NULL" },
  slot_mask: { erase: "0" },
  notify_campaigns: { load: true, erase: "0" },
  notify_matches: { load: true, erase: "0" },
  volunteer_code: { load: true, patch: "volunteerCode", erase: "NULL" },
  consent_at: { load: true, erase: "NULL" },
  draft_enc: { erase: "NULL" },
  erased_at: { load: true },
  veteran_marked_at: { load: true },
  created_at: { load: true },
  updated_at: { load: true },
} as const satisfies Record<string, { load?: true; patch?: keyof PersonPatch; erase?: "NULL" | "0" }>;
type ColumnSpec = { load?: true; patch?: keyof PersonPatch; erase?: "NULL" | "0" };
const columns = Object.entries(PEOPLE_COLUMNS) as [string, ColumnSpec][];

/** A person's record with its identities, skills and roles, in one statement (followed by a WHERE on `p`). */
const LOAD_PERSON = `SELECT ${columns
  .filter(([, c]) => c.load)
  .map(([name]) => `p.${name}`)
  .join(", ")},
  (SELECT json_group_array(json_array(i.platform, i.user_id, i.chat_id, i.reachable, i.linked_at)
     ORDER BY i.linked_at, i.platform) FROM identities i WHERE i.person_id = p.id) AS identities_json,
  (SELECT json_group_array(s.skill ORDER BY s.skill) FROM person_skills s WHERE s.person_id = p.id) AS skills_json,
  (SELECT json_group_array(r.role ORDER BY r.role) FROM person_roles r WHERE r.person_id = p.id) AS roles_json
FROM people p `;

/** Plain patch fields and the columns that hold them. */
const PATCH_COLUMNS = columns.flatMap(([name, c]) => (c.patch ? [[c.patch, name] as const] : []));

/** What erasure sets (see KEPT_ON_ERASE for what stays). */
const ERASE_SET = columns.flatMap(([name, c]) => (c.erase ? [`${name} = ${c.erase}`] : [])).join(", ");

const isUniqueViolation = (e: unknown): e is Error =>
  e instanceof Error && "code" in e && String(e.code).startsWith("SQLITE_CONSTRAINT");

const duplicateField = (e: Error): DuplicateError["field"] =>
  e.message.includes("volunteer_code") ? "volunteerCode" : e.message.includes("identities") ? "identity" : "nationalId";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const date = (s: string | null) => (s ? new Date(s) : null);

export class SqlitePeopleRepository implements PeopleRepository {
  constructor(
    private readonly db: Database,
    private readonly cipher: PiiCipher,
    private readonly matchIndex: MatchIndex,
  ) {}

  async get(id: string): Promise<Person | null> {
    return this.load(id);
  }

  async findByIdentity(ref: IdentityRef): Promise<Person | null> {
    return this.read(
      LOAD_PERSON + "WHERE p.id = (SELECT person_id FROM identities WHERE platform = ? AND user_id = ?)",
      ref.platform,
      ref.userId,
    );
  }

  async ensure(identity: NewIdentity, defaults: Pick<PersonPatch, "language" | "source"> = {}) {
    // The common case, a known identity in the same chat, needs no write (nor the write lock).
    const known = this.db
      .prepare("SELECT person_id, chat_id FROM identities WHERE platform = ? AND user_id = ?")
      .get(identity.platform, identity.userId) as { person_id: string; chat_id: string } | undefined;
    if (known && known.chat_id === identity.chatId) return { person: this.load(known.person_id)!, created: false };
    return this.db
      .transaction(() => {
        const existing = this.db
          .prepare("SELECT person_id FROM identities WHERE platform = ? AND user_id = ?")
          .get(identity.platform, identity.userId) as { person_id: string } | undefined;
        if (existing) {
          this.db
            .prepare("UPDATE identities SET chat_id = ? WHERE platform = ? AND user_id = ?")
            .run(identity.chatId, identity.platform, identity.userId);
          return { person: this.load(existing.person_id)!, created: false };
        }
        const id = randomUUID();
        const now = new Date().toISOString();
        this.db
          .prepare("INSERT INTO people (id, language, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?)")
          .run(id, defaults.language ?? null, defaults.source ?? null, now, now);
        this.insertIdentity(id, identity, now);
        return { person: this.load(id)!, created: true };
      })
      .immediate();
  }

  async update(id: string, patch: PersonPatch): Promise<Person> {
    const sets: string[] = [];
    const values: unknown[] = [];
    const set = (column: string, value: unknown) => {
      sets.push(`${column} = ?`);
      values.push(value);
    };
    for (const [field, column] of PATCH_COLUMNS) {
      const value = patch[field];
      if (value !== undefined) set(column, value);
    }
    const sealed = sealPii(this.cipher, patch);
    const sealedColumns = {
      phoneEnc: "phone_enc",
      phoneHash: "phone_hash",
      nationalIdEnc: "national_id_enc",
      nationalIdHash: "national_id_hash",
    } as const;
    for (const [key, column] of Object.entries(sealedColumns)) {
      const value = sealed[key as keyof typeof sealed];
      if (value !== undefined) set(column, value);
    }
    if (patch.location !== undefined) {
      set("lat", patch.location?.lat ?? null);
      set("lon", patch.location?.lon ?? null);
    }
    if (patch.availability !== undefined) {
      set("availability", patch.availability ? JSON.stringify(patch.availability) : null);
      set("slot_mask", slotMask(patch.availability?.slots ?? []));
    }
    if (patch.notify !== undefined) {
      set("notify_campaigns", patch.notify.campaigns ? 1 : 0);
      set("notify_matches", patch.notify.matches ? 1 : 0);
    }
    if (patch.phoneVerified !== undefined) set("phone_verified", patch.phoneVerified ? 1 : 0);
    if (patch.registeredAt !== undefined) set("registered_at", iso(patch.registeredAt));
    if (patch.consentAt !== undefined) set("consent_at", iso(patch.consentAt));
    if (patch.veteranMarkedAt !== undefined) set("veteran_marked_at", iso(patch.veteranMarkedAt));
    set("updated_at", new Date().toISOString());
    try {
      this.db
        .transaction(() => {
          const result = this.db.prepare(`UPDATE people SET ${sets.join(", ")} WHERE id = ?`).run(...values, id);
          if (result.changes === 0) throw new NotFoundError("person", id);
          if (patch.skills) this.replaceSet("person_skills", "skill", id, patch.skills);
          if (patch.roles) this.replaceSet("person_roles", "role", id, patch.roles);
          this.matchIndex.reindex(id);
        })
        .immediate();
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateError(duplicateField(e));
      throw e;
    }
    return this.load(id)!;
  }

  async setSourceIfEmpty(id: string, source: string): Promise<Person> {
    this.db
      .prepare("UPDATE people SET source = ?, updated_at = ? WHERE id = ? AND source IS NULL")
      .run(source, new Date().toISOString(), id);
    const person = this.load(id);
    if (!person) throw new NotFoundError("person", id);
    return person;
  }

  async findByNationalId(nationalId: string): Promise<Person | null> {
    const row = this.db
      .prepare("SELECT id FROM people WHERE national_id_hash = ?")
      .get(nationalIdIndex(this.cipher, nationalId)) as { id: string } | undefined;
    return row ? this.load(row.id) : null;
  }

  async findByVolunteerCode(code: string): Promise<Person | null> {
    const row = this.db.prepare("SELECT id FROM people WHERE volunteer_code = ?").get(code) as
      { id: string } | undefined;
    return row ? this.load(row.id) : null;
  }

  async findByPhone(phone: string): Promise<Person[]> {
    const rows = this.db
      .prepare("SELECT id FROM people WHERE phone_hash = ? ORDER BY created_at")
      .all(phoneIndex(this.cipher, phone)) as { id: string }[];
    return rows.map((r) => this.load(r.id)!);
  }

  async linkIdentity(personId: string, identity: NewIdentity): Promise<Person> {
    try {
      this.db
        .transaction(() => {
          if (!this.db.prepare("SELECT 1 FROM people WHERE id = ?").get(personId)) {
            throw new NotFoundError("person", personId);
          }
          this.insertIdentity(personId, identity, new Date().toISOString());
          this.matchIndex.reindex(personId);
        })
        .immediate();
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateError("identity");
      throw e;
    }
    return this.load(personId)!;
  }

  async transferIdentity(ref: IdentityRef, toPersonId: string): Promise<Person> {
    this.db
      .transaction(() => {
        if (!this.db.prepare("SELECT 1 FROM people WHERE id = ?").get(toPersonId)) {
          throw new NotFoundError("person", toPersonId);
        }
        const row = this.db
          .prepare("SELECT person_id FROM identities WHERE platform = ? AND user_id = ?")
          .get(ref.platform, ref.userId) as { person_id: string } | undefined;
        if (!row) throw new NotFoundError("identity", `${ref.platform}:${ref.userId}`);
        if (row.person_id === toPersonId) return;
        this.db
          .prepare("UPDATE identities SET person_id = ?, linked_at = ? WHERE platform = ? AND user_id = ?")
          .run(toPersonId, new Date().toISOString(), ref.platform, ref.userId);
        this.db
          .prepare(
            `DELETE FROM people WHERE id = ? AND registered_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM identities WHERE person_id = people.id)`,
          )
          .run(row.person_id);
        this.matchIndex.reindex(row.person_id);
        this.matchIndex.reindex(toPersonId);
      })
      .immediate();
    return this.load(toPersonId)!;
  }

  async getDraft(id: string): Promise<RegistrationDraft | null> {
    const row = this.db.prepare("SELECT draft_enc FROM people WHERE id = ?").get(id) as
      { draft_enc: string | null } | undefined;
    return row?.draft_enc ? (JSON.parse(this.cipher.decrypt(row.draft_enc)) as RegistrationDraft) : null;
  }

  async saveDraft(id: string, draft: RegistrationDraft | null): Promise<void> {
    const sealed = draft ? this.cipher.encrypt(JSON.stringify(draft)) : null;
    const result = this.db
      .prepare("UPDATE people SET draft_enc = ?, updated_at = ? WHERE id = ?")
      .run(sealed, new Date().toISOString(), id);
    if (result.changes === 0) throw new NotFoundError("person", id);
  }

  async erase(id: string): Promise<ErasedPerson> {
    const erased = this.db
      .transaction(() => {
        const now = new Date().toISOString();
        const result = this.db
          .prepare(`UPDATE people SET ${ERASE_SET}, erased_at = ?, updated_at = ? WHERE id = ?`)
          .run(now, now, id);
        if (result.changes === 0) throw new NotFoundError("person", id);
        const identities = (
          this.db.prepare("SELECT platform, user_id, chat_id FROM identities WHERE person_id = ?").all(id) as {
            platform: Platform;
            user_id: string;
            chat_id: string;
          }[]
        ).map((r) => ({ platform: r.platform, userId: r.user_id, chatId: r.chat_id }));
        const person = erasurePseudonyms(this.cipher, id, identities);
        eraseEverywhere(this.db, id, person, now);
        this.db.prepare("DELETE FROM identities WHERE person_id = ?").run(id);
        this.matchIndex.reindex(id);
        return person;
      })
      .immediate();
    // Nothing of the erased rows left in the write-ahead log: it is copied into the (secure_delete) file and emptied.
    this.db.pragma("wal_checkpoint(TRUNCATE)");
    return erased;
  }

  async setReachable(ref: IdentityRef, reachable: boolean): Promise<void> {
    this.db.transaction(() => {
      const row = this.db
        .prepare("UPDATE identities SET reachable = ? WHERE platform = ? AND user_id = ? RETURNING person_id")
        .get(reachable ? 1 : 0, ref.platform, ref.userId) as { person_id: string } | undefined;
      if (row) this.matchIndex.reindex(row.person_id);
    })();
  }

  async segment(segment: Segment): Promise<Recipient[]> {
    const { where, args, inList } = whereOf(
      "p.registered_at IS NOT NULL",
      "p.erased_at IS NULL",
      "p.notify_campaigns = 1",
      "i.reachable = 1",
    );
    narrowByProfile(inList, segment);
    inList("EXISTS (SELECT 1 FROM pledges pl WHERE pl.person_id = p.id AND pl.slug IN (?))", segment.pledgedIn);
    inList("COALESCE(p.language, 'fa') IN (?)", segment.languages);
    inList("i.platform IN (?)", segment.platforms);
    if (segment.veterans) {
      where.push(`(p.veteran_marked_at IS NOT NULL OR p.registered_at <= ? OR (? IS NOT NULL AND
        (SELECT COALESCE(SUM(l.minutes), 0) FROM ledger_postings l WHERE l.account = 'person:' || p.id AND l.side = 'giver') >= ?))`);
      const minutes = segment.veterans.minHours === undefined ? null : segment.veterans.minHours * 60;
      args.push(veteranCutoff(segment.veterans.minYears, new Date()).toISOString(), minutes, minutes);
    }
    if (segment.registeredSince) {
      where.push("p.registered_at >= ?");
      args.push(new Date(segment.registeredSince).toISOString());
    }
    const rows = this.db
      .prepare(
        `SELECT p.id AS person_id, i.platform, i.chat_id FROM people p JOIN identities i ON i.person_id = p.id
         WHERE ${where.join(" AND ")} ORDER BY p.id, i.platform`,
      )
      .all(...args) as { person_id: string; platform: Platform; chat_id: string }[];
    return rows.map((r) => ({ personId: r.person_id, platform: r.platform, chatId: r.chat_id }));
  }

  async listRegistered(filter: VolunteerFilter, after: PageKey | null, limit: number): Promise<Person[]> {
    const { where, args, inList } = whereOf("p.registered_at IS NOT NULL", "p.erased_at IS NULL");
    narrowByProfile(inList, filter);
    if (filter.slots?.length) {
      where.push("(p.slot_mask & ?) <> 0");
      args.push(slotMask(filter.slots));
    }
    if (filter.registeredSince) {
      where.push("p.registered_at >= ?");
      args.push(filter.registeredSince.toISOString());
    }
    if (filter.veterans) {
      where.push("(p.veteran_marked_at IS NOT NULL OR p.registered_at <= ?)");
      args.push(veteranCutoff(filter.veterans.minYears, new Date()).toISOString());
    }
    if (filter.text) {
      // instr, not LIKE: the text's % and _ are plain characters.
      where.push(
        "(instr(COALESCE(p.first_name, '') || ' ' || COALESCE(p.last_name, ''), ?) > 0 OR instr(COALESCE(p.neighbourhood, ''), ?) > 0 OR instr(COALESCE(p.volunteer_code, ''), upper(?)) > 0)",
      );
      args.push(filter.text, filter.text, filter.text);
    }
    if (after) {
      const at = after.registeredAt.toISOString();
      where.push("(p.registered_at > ? OR (p.registered_at = ? AND p.id > ?))");
      args.push(at, at, after.id);
    }
    const rows = this.db
      .prepare(`SELECT p.id FROM people p WHERE ${where.join(" AND ")} ORDER BY p.registered_at, p.id LIMIT ?`)
      .all(...args, limit) as { id: string }[];
    return rows.map((r) => this.load(r.id)!);
  }

  async count(): Promise<number> {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM people").get() as { n: number }).n;
  }

  async registrationFunnel(since: Date | null) {
    const rows = this.db
      .prepare(
        `SELECT id, registered_at, province, draft_enc FROM people
         WHERE erased_at IS NULL AND created_at >= ?`,
      )
      .all(since ? since.toISOString() : "") as {
      id: string;
      registered_at: string | null;
      province: string | null;
      draft_enc: string | null;
    }[];
    const registered: (string | null)[] = [];
    const unfinished: { personId: string; draft: RegistrationDraft | null }[] = [];
    for (const r of rows)
      if (r.registered_at) registered.push(r.province);
      else
        unfinished.push({
          personId: r.id,
          draft: r.draft_enc ? (JSON.parse(this.cipher.decrypt(r.draft_enc)) as RegistrationDraft) : null,
        });
    return { registered, unfinished };
  }

  private insertIdentity(personId: string, identity: NewIdentity, at: string) {
    this.db
      .prepare(
        "INSERT INTO identities (platform, user_id, person_id, chat_id, reachable, linked_at) VALUES (?, ?, ?, ?, 1, ?)",
      )
      .run(identity.platform, identity.userId, personId, identity.chatId, at);
  }

  private replaceSet(table: "person_skills" | "person_roles", column: "skill" | "role", id: string, items: string[]) {
    this.db.prepare(`DELETE FROM ${table} WHERE person_id = ?`).run(id);
    const insert = this.db.prepare(`INSERT OR IGNORE INTO ${table} (person_id, ${column}) VALUES (?, ?)`);
    for (const item of items) insert.run(id, item);
  }

  /**
   * One statement per record (it is read on every update): the person's
   * columns with their identities, skills and roles as JSON arrays.
   */
  private load(id: string): Person | null {
    return this.read(LOAD_PERSON + "WHERE p.id = ?", id);
  }

  private read(sql: string, ...args: unknown[]): Person | null {
    const row = this.db.prepare(sql).get(...args) as LoadedRow | undefined;
    if (!row) return null;
    const identities = (JSON.parse(row.identities_json) as [string, string, string, number, string][]).map(
      ([platform, userId, chatId, reachable, linkedAt]): Identity => ({
        platform: platform as Platform,
        userId,
        chatId,
        reachable: reachable === 1,
        linkedAt: new Date(linkedAt),
      }),
    );
    return {
      id: row.id,
      identities,
      language: row.language as Person["language"],
      source: row.source,
      title: row.title ?? null,
      firstName: row.first_name,
      lastName: row.last_name,
      registeredName: row.registered_name ?? null,
      ...openPii(this.cipher, { phoneEnc: row.phone_enc, nationalIdEnc: row.national_id_enc }),
      phoneVerified: row.phone_verified === 1,
      birthYear: row.birth_year,
      gender: row.gender as Person["gender"],
      province: row.province,
      county: row.county,
      neighbourhood: row.neighbourhood,
      location: row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : null,
      skills: JSON.parse(row.skills_json) as string[],
      roles: JSON.parse(row.roles_json) as string[],
      availability: row.availability ? (JSON.parse(row.availability) as Availability) : null,
      notify: { campaigns: row.notify_campaigns === 1, matches: row.notify_matches === 1 },
      volunteerCode: row.volunteer_code,
      consentAt: date(row.consent_at),
      registeredAt: date(row.registered_at),
      erasedAt: date(row.erased_at),
      veteranMarkedAt: date(row.veteran_marked_at),
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
    };
  }
}

type InList = (sql: string, values: readonly unknown[] | undefined) => void;

/**
 * A WHERE clause (on `people p`) built a condition at a time: `inList` adds
 * one whose `(?)` stands for a list of values, and adds nothing for none.
 */
function whereOf(...fixed: string[]): { where: string[]; args: unknown[]; inList: InList } {
  const where = [...fixed];
  const args: unknown[] = [];
  const inList: InList = (sql, values) => {
    if (!values?.length) return;
    where.push(sql.replace("(?)", `(${values.map(() => "?").join(", ")})`));
    args.push(...values);
  };
  return { where, args, inList };
}

/** The place, skills, roles and source a segment and the volunteers table both narrow by. */
function narrowByProfile(
  inList: InList,
  f: {
    provinces?: readonly string[];
    counties?: readonly string[];
    skills?: readonly string[];
    roles?: readonly string[];
    sources?: readonly string[];
  },
): void {
  inList("p.province IN (?)", f.provinces);
  inList("p.county IN (?)", f.counties);
  inList("EXISTS (SELECT 1 FROM person_skills s WHERE s.person_id = p.id AND s.skill IN (?))", f.skills);
  inList("EXISTS (SELECT 1 FROM person_roles r WHERE r.person_id = p.id AND r.role IN (?))", f.roles);
  inList("p.source IN (?)", f.sources);
}
