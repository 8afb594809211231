import { randomUUID } from "node:crypto";
import type { Database } from "better-sqlite3";
import type { PiiCipher } from "../../security/pii.js";
import { nationalIdIndex, openPii, phoneIndex, sealPii } from "../pii-fields.js";
import {
  DuplicateError,
  NotFoundError,
  type Identity,
  type IdentityRef,
  type NewIdentity,
  type PeopleRepository,
  type Person,
  type PersonPatch,
} from "../port.js";
import type { Platform } from "../../platforms/capabilities.js";

interface PersonRow {
  id: string;
  language: string | null;
  source: string | null;
  first_name: string | null;
  last_name: string | null;
  phone_enc: string | null;
  national_id_enc: string | null;
  birth_year: number | null;
  gender: string | null;
  province: string | null;
  county: string | null;
  neighbourhood: string | null;
  lat: number | null;
  lon: number | null;
  registered_at: string | null;
  created_at: string;
  updated_at: string;
}

interface IdentityRow {
  platform: string;
  user_id: string;
  chat_id: string;
  reachable: number;
  linked_at: string;
}

/** Plain patch fields and the columns that hold them. */
const COLUMNS = {
  language: "language",
  source: "source",
  firstName: "first_name",
  lastName: "last_name",
  birthYear: "birth_year",
  gender: "gender",
  province: "province",
  county: "county",
  neighbourhood: "neighbourhood",
} as const satisfies Partial<Record<keyof PersonPatch, string>>;

const isUniqueViolation = (e: unknown) =>
  e instanceof Error && "code" in e && String(e.code).startsWith("SQLITE_CONSTRAINT");

export class SqlitePeopleRepository implements PeopleRepository {
  constructor(
    private readonly db: Database,
    private readonly cipher: PiiCipher,
  ) {}

  async get(id: string): Promise<Person | null> {
    return this.load(id);
  }

  async findByIdentity(ref: IdentityRef): Promise<Person | null> {
    const row = this.db
      .prepare("SELECT person_id FROM identities WHERE platform = ? AND user_id = ?")
      .get(ref.platform, ref.userId) as { person_id: string } | undefined;
    return row ? this.load(row.person_id) : null;
  }

  async ensure(identity: NewIdentity, defaults: Pick<PersonPatch, "language" | "source"> = {}) {
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
    for (const [field, column] of Object.entries(COLUMNS)) {
      const value = patch[field as keyof typeof COLUMNS];
      if (value !== undefined) {
        sets.push(`${column} = ?`);
        values.push(value);
      }
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
      if (value !== undefined) {
        sets.push(`${column} = ?`);
        values.push(value);
      }
    }
    if (patch.location !== undefined) {
      sets.push("lat = ?", "lon = ?");
      values.push(patch.location?.lat ?? null, patch.location?.lon ?? null);
    }
    if (patch.registeredAt !== undefined) {
      sets.push("registered_at = ?");
      values.push(patch.registeredAt?.toISOString() ?? null);
    }
    sets.push("updated_at = ?");
    values.push(new Date().toISOString());
    try {
      const result = this.db.prepare(`UPDATE people SET ${sets.join(", ")} WHERE id = ?`).run(...values, id);
      if (result.changes === 0) throw new NotFoundError("person", id);
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateError("nationalId");
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
        })
        .immediate();
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateError("identity");
      throw e;
    }
    return this.load(personId)!;
  }

  async setReachable(ref: IdentityRef, reachable: boolean): Promise<void> {
    this.db
      .prepare("UPDATE identities SET reachable = ? WHERE platform = ? AND user_id = ?")
      .run(reachable ? 1 : 0, ref.platform, ref.userId);
  }

  async count(): Promise<number> {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM people").get() as { n: number }).n;
  }

  private insertIdentity(personId: string, identity: NewIdentity, at: string) {
    this.db
      .prepare(
        "INSERT INTO identities (platform, user_id, person_id, chat_id, reachable, linked_at) VALUES (?, ?, ?, ?, 1, ?)",
      )
      .run(identity.platform, identity.userId, personId, identity.chatId, at);
  }

  private load(id: string): Person | null {
    const row = this.db.prepare("SELECT * FROM people WHERE id = ?").get(id) as PersonRow | undefined;
    if (!row) return null;
    const identities = (
      this.db
        .prepare(
          "SELECT platform, user_id, chat_id, reachable, linked_at FROM identities WHERE person_id = ? ORDER BY linked_at, platform",
        )
        .all(id) as IdentityRow[]
    ).map((r): Identity => ({
      platform: r.platform as Platform,
      userId: r.user_id,
      chatId: r.chat_id,
      reachable: r.reachable === 1,
      linkedAt: new Date(r.linked_at),
    }));
    return {
      id: row.id,
      identities,
      language: row.language as Person["language"],
      source: row.source,
      firstName: row.first_name,
      lastName: row.last_name,
      ...openPii(this.cipher, { phoneEnc: row.phone_enc, nationalIdEnc: row.national_id_enc }),
      birthYear: row.birth_year,
      gender: row.gender as Person["gender"],
      province: row.province,
      county: row.county,
      neighbourhood: row.neighbourhood,
      location: row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : null,
      registeredAt: row.registered_at ? new Date(row.registered_at) : null,
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
    };
  }
}
