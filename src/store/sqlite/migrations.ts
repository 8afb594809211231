import type { Database } from "better-sqlite3";

/**
 * Versioned schema migrations. Append only: a released migration is never
 * edited, a change is a new entry. Applied in one transaction each and
 * recorded in `schema_migrations` (and `PRAGMA user_version`).
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "people and identities",
    sql: `
      CREATE TABLE people (
        id               TEXT PRIMARY KEY,
        language         TEXT,
        source           TEXT,
        first_name       TEXT,
        last_name        TEXT,
        phone_enc        TEXT,
        phone_hash       TEXT,
        national_id_enc  TEXT,
        national_id_hash TEXT UNIQUE,
        birth_year       INTEGER,
        gender           TEXT,
        province         TEXT,
        county           TEXT,
        neighbourhood    TEXT,
        lat              REAL,
        lon              REAL,
        registered_at    TEXT,
        created_at       TEXT NOT NULL,
        updated_at       TEXT NOT NULL
      );
      CREATE INDEX people_phone_hash ON people(phone_hash);
      CREATE INDEX people_place ON people(province, county);
      CREATE TABLE identities (
        platform   TEXT NOT NULL,
        user_id    TEXT NOT NULL,
        person_id  TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        chat_id    TEXT NOT NULL,
        reachable  INTEGER NOT NULL DEFAULT 1,
        linked_at  TEXT NOT NULL,
        PRIMARY KEY (platform, user_id)
      );
      CREATE INDEX identities_person ON identities(person_id);
    `,
  },
  {
    version: 2,
    name: "volunteer profile: skills, roles, availability, notifications, code, draft, erasure",
    sql: `
      ALTER TABLE people ADD COLUMN availability TEXT;
      ALTER TABLE people ADD COLUMN notify_campaigns INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE people ADD COLUMN notify_matches INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE people ADD COLUMN volunteer_code TEXT;
      ALTER TABLE people ADD COLUMN consent_at TEXT;
      ALTER TABLE people ADD COLUMN erased_at TEXT;
      ALTER TABLE people ADD COLUMN draft_enc TEXT;
      CREATE UNIQUE INDEX people_volunteer_code ON people(volunteer_code);
      CREATE TABLE person_skills (
        person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        skill     TEXT NOT NULL,
        PRIMARY KEY (person_id, skill)
      );
      CREATE INDEX person_skills_skill ON person_skills(skill);
      CREATE TABLE person_roles (
        person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        role      TEXT NOT NULL,
        PRIMARY KEY (person_id, role)
      );
      CREATE INDEX person_roles_role ON person_roles(role);
    `,
  },
  {
    version: 3,
    name: "broadcasts and the delivery outbox",
    sql: `
      CREATE TABLE broadcasts (
        id            TEXT PRIMARY KEY,
        text          TEXT NOT NULL,
        segment       TEXT NOT NULL,
        urgent        INTEGER NOT NULL,
        created_by    TEXT,
        not_before_ms INTEGER NOT NULL,
        status        TEXT NOT NULL,
        total         INTEGER NOT NULL DEFAULT 0,
        created_at    TEXT NOT NULL
      );
      CREATE TABLE deliveries (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        broadcast_id TEXT NOT NULL REFERENCES broadcasts(id),
        person_id    TEXT NOT NULL,
        platform     TEXT NOT NULL,
        chat_id      TEXT NOT NULL,
        status       TEXT NOT NULL DEFAULT 'pending',
        attempts     INTEGER NOT NULL DEFAULT 0,
        due_ms       INTEGER NOT NULL,
        lease_owner  TEXT,
        lease_until  INTEGER,
        error        TEXT,
        settled_at   TEXT,
        UNIQUE (broadcast_id, person_id, platform)
      );
      CREATE INDEX deliveries_due ON deliveries(status, due_ms);
      CREATE INDEX deliveries_broadcast ON deliveries(broadcast_id, status);
      CREATE INDEX people_segment ON people(registered_at, notify_campaigns);
    `,
  },
  {
    version: 4,
    name: "campaigns, their runs and pledges",
    sql: `
      CREATE TABLE campaigns (
        slug        TEXT PRIMARY KEY,
        template    TEXT NOT NULL,
        title       TEXT NOT NULL,
        hijri_year  INTEGER,
        adjust_days INTEGER NOT NULL DEFAULT 0,
        month_day   INTEGER,
        hour        INTEGER NOT NULL,
        segment     TEXT NOT NULL,
        status      TEXT NOT NULL,
        created_by  TEXT,
        created_at  TEXT NOT NULL
      );
      CREATE TABLE campaign_runs (
        slug         TEXT NOT NULL REFERENCES campaigns(slug),
        occurrence   TEXT NOT NULL,
        broadcast_id TEXT NOT NULL,
        PRIMARY KEY (slug, occurrence)
      );
      CREATE TABLE pledges (
        slug       TEXT NOT NULL REFERENCES campaigns(slug),
        person_id  TEXT NOT NULL,
        hours      INTEGER NOT NULL,
        pledged_at TEXT NOT NULL,
        PRIMARY KEY (slug, person_id)
      );
    `,
  },
  {
    version: 5,
    name: "broadcast photo, link and «I'm in» responses",
    sql: `
      ALTER TABLE broadcasts ADD COLUMN extras TEXT;
      CREATE TABLE broadcast_responses (
        broadcast_id TEXT NOT NULL REFERENCES broadcasts(id),
        person_id    TEXT NOT NULL,
        responded_at TEXT NOT NULL,
        PRIMARY KEY (broadcast_id, person_id)
      );
    `,
  },
  {
    version: 6,
    name: "veterans marked by coordinators",
    sql: `ALTER TABLE people ADD COLUMN veteran_marked_at TEXT;`,
  },
];

/** Brings the database up to the newest migration; returns the versions applied. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const done = new Set(
    (db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map((r) => r.version),
  );
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.version);
  }
  return applied;
}
