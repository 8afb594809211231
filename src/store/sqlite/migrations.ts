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
  {
    version: 7,
    name: "centres, institutions, needs, offers, the match index, the ledger, grants and the audit log",
    sql: `
      ALTER TABLE people ADD COLUMN slot_mask INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE institutions (
        code     TEXT PRIMARY KEY,
        name     TEXT NOT NULL,
        province TEXT NOT NULL,
        phone    TEXT
      );
      CREATE TABLE centres (
        code             TEXT PRIMARY KEY,
        kind             TEXT NOT NULL,
        name             TEXT NOT NULL,
        province         TEXT NOT NULL,
        county           TEXT NOT NULL,
        neighbourhood    TEXT,
        address          TEXT NOT NULL,
        phone            TEXT,
        lat              REAL,
        lon              REAL,
        institution_code TEXT REFERENCES institutions(code)
      );
      CREATE INDEX centres_place ON centres(province, county);
      CREATE TABLE centre_actions (
        id           TEXT PRIMARY KEY,
        centre_code  TEXT NOT NULL REFERENCES centres(code),
        kind         TEXT NOT NULL,
        date         TEXT NOT NULL,
        participants INTEGER NOT NULL,
        reported_by  TEXT NOT NULL,
        created_at   TEXT NOT NULL
      );
      CREATE INDEX centre_actions_centre ON centre_actions(centre_code, date);
      CREATE TABLE needs (
        id            TEXT PRIMARY KEY,
        kind          TEXT NOT NULL,
        centre_code   TEXT NOT NULL REFERENCES centres(code),
        requester_id  TEXT,
        created_by    TEXT NOT NULL,
        role          TEXT,
        skills        TEXT NOT NULL,
        wanted        INTEGER NOT NULL,
        filled        INTEGER NOT NULL DEFAULT 0,
        start_date    TEXT NOT NULL,
        end_date      TEXT NOT NULL,
        slots         TEXT NOT NULL,
        reach         TEXT NOT NULL,
        notes         TEXT,
        status        TEXT NOT NULL,
        waves         INTEGER NOT NULL DEFAULT 0,
        reviewed_by   TEXT,
        reject_reason TEXT,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      );
      CREATE INDEX needs_centre ON needs(centre_code, status);
      CREATE INDEX needs_status ON needs(status, end_date);
      CREATE INDEX needs_requester ON needs(requester_id);
      CREATE TABLE offers (
        id               TEXT PRIMARY KEY,
        need_id          TEXT NOT NULL REFERENCES needs(id),
        person_id        TEXT NOT NULL,
        status           TEXT NOT NULL,
        wave             INTEGER NOT NULL,
        score            INTEGER NOT NULL,
        reasons          TEXT NOT NULL,
        institution_code TEXT,
        decided_by       TEXT,
        reject_reason    TEXT,
        created_at       TEXT NOT NULL,
        expires_ms       INTEGER NOT NULL,
        answered_at      TEXT,
        UNIQUE (need_id, person_id)
      );
      CREATE INDEX offers_open ON offers(status, expires_ms);
      CREATE INDEX offers_person ON offers(person_id, status);
      CREATE INDEX offers_institution ON offers(institution_code, status);
      -- Fairness counters, kept per person so a rebuilt index keeps them.
      CREATE TABLE match_stats (
        person_id      TEXT PRIMARY KEY,
        last_offer_ms  INTEGER,
        recent_offers  INTEGER NOT NULL DEFAULT 0,
        decline_streak INTEGER NOT NULL DEFAULT 0
      );
      -- The candidate index: one row per (role or skill tag, person) of every
      -- matchable volunteer, clustered by tag and place so a need's search
      -- reads one contiguous range. Derived from people; rebuilt on change.
      CREATE TABLE match_index (
        tag            TEXT NOT NULL,
        province       TEXT NOT NULL,
        county         TEXT NOT NULL,
        person_id      TEXT NOT NULL,
        hood_key       TEXT,
        lat            REAL,
        lon            REAL,
        slot_mask      INTEGER NOT NULL,
        skills         TEXT NOT NULL,
        last_offer_ms  INTEGER,
        recent_offers  INTEGER NOT NULL DEFAULT 0,
        decline_streak INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (tag, province, county, person_id)
      ) WITHOUT ROWID;
      CREATE INDEX match_index_person ON match_index(person_id);
      CREATE TABLE ledger_entries (
        id        TEXT PRIMARY KEY,
        key       TEXT NOT NULL UNIQUE,
        kind      TEXT NOT NULL,
        offer_id  TEXT,
        reverses  TEXT REFERENCES ledger_entries(id),
        memo      TEXT,
        by        TEXT NOT NULL,
        at        TEXT NOT NULL
      );
      CREATE TABLE ledger_postings (
        entry_id TEXT NOT NULL REFERENCES ledger_entries(id),
        account  TEXT NOT NULL,
        minutes  INTEGER NOT NULL,
        side     TEXT NOT NULL,
        PRIMARY KEY (entry_id, account)
      );
      CREATE INDEX ledger_postings_account ON ledger_postings(account);
      CREATE TABLE grants (
        platform   TEXT NOT NULL,
        user_id    TEXT NOT NULL,
        role       TEXT NOT NULL,
        scope      TEXT NOT NULL,
        granted_by TEXT NOT NULL,
        granted_at TEXT NOT NULL,
        PRIMARY KEY (platform, user_id, role, scope)
      );
      CREATE INDEX grants_role ON grants(role, scope);
      CREATE TABLE invites (
        id         TEXT PRIMARY KEY,
        role       TEXT NOT NULL,
        scope      TEXT NOT NULL,
        created_by TEXT NOT NULL,
        expires_ms INTEGER NOT NULL,
        used_by    TEXT,
        used_at    TEXT
      );
      CREATE TABLE audit_log (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        actor   TEXT NOT NULL,
        action  TEXT NOT NULL,
        scope   TEXT NOT NULL,
        target  TEXT,
        outcome TEXT NOT NULL,
        details TEXT,
        at      TEXT NOT NULL
      );
      CREATE INDEX audit_log_at ON audit_log(at);
      CREATE INDEX audit_log_actor ON audit_log(actor, at);
    `,
  },
  {
    version: 8,
    name: "privacy: verified phones, sealed one-to-one pushes, collapsed refusals, stored hour reports",
    sql: `
      ALTER TABLE people ADD COLUMN phone_verified INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE broadcasts ADD COLUMN personal INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE broadcasts ADD COLUMN about TEXT;
      CREATE INDEX broadcasts_personal ON broadcasts(personal, created_at);
      CREATE INDEX deliveries_person ON deliveries(person_id, status);
      ALTER TABLE audit_log ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE audit_log ADD COLUMN last_at TEXT;
      CREATE INDEX audit_log_refusals ON audit_log(actor, action, outcome, id);
      CREATE INDEX invites_creator ON invites(created_by);
      CREATE TABLE hour_reports (
        id          TEXT PRIMARY KEY,
        offer_id    TEXT NOT NULL,
        minutes     INTEGER NOT NULL,
        date        TEXT NOT NULL,
        status      TEXT NOT NULL,
        reported_at TEXT NOT NULL,
        settled_at  TEXT
      );
      CREATE INDEX hour_reports_offer ON hour_reports(offer_id, status);
    `,
  },
  {
    version: 9,
    name: "the console's volunteers table: a province's people in registration order",
    sql: `CREATE INDEX people_province_registered ON people(province, registered_at, id);`,
  },
  {
    version: 10,
    name: "the day of service: sessions of approved offers, and certificates of service",
    sql: `
      CREATE TABLE service_sessions (
        id                TEXT PRIMARY KEY,
        offer_id          TEXT NOT NULL,
        need_id           TEXT NOT NULL,
        person_id         TEXT NOT NULL,
        centre_code       TEXT NOT NULL,
        date              TEXT NOT NULL,
        part              TEXT NOT NULL,
        starts_ms         INTEGER NOT NULL,
        ends_ms           INTEGER NOT NULL,
        status            TEXT NOT NULL,
        reminded          TEXT NOT NULL DEFAULT '{}',
        confirmed_at      TEXT,
        cancelled_at      TEXT,
        check_in_at       TEXT,
        check_out_at      TEXT,
        check_in_by       TEXT,
        minutes           INTEGER,
        corrected_by      TEXT,
        correction_reason TEXT,
        credit_key        TEXT,
        credited_by       TEXT,
        created_at        TEXT NOT NULL,
        UNIQUE (offer_id, date, part)
      );
      CREATE INDEX service_sessions_start ON service_sessions(status, starts_ms);
      CREATE INDEX service_sessions_person ON service_sessions(person_id, starts_ms);
      CREATE INDEX service_sessions_centre ON service_sessions(centre_code, starts_ms);
      CREATE INDEX service_sessions_credit ON service_sessions(credit_key);
      CREATE TABLE certificates (
        code       TEXT PRIMARY KEY,
        person_id  TEXT NOT NULL,
        name       TEXT NOT NULL,
        minutes    INTEGER NOT NULL,
        issued_at  TEXT NOT NULL
      );
      CREATE INDEX certificates_person ON certificates(person_id, issued_at);
    `,
  },
  {
    version: 11,
    name: "safe under attack: one-time claims in the store, superseded certificates, check-in code generations, names of record",
    sql: `
      CREATE TABLE one_time_claims (
        key        TEXT PRIMARY KEY,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX one_time_claims_expiry ON one_time_claims(expires_at);
      ALTER TABLE certificates ADD COLUMN superseded_by TEXT;
      ALTER TABLE centres ADD COLUMN check_in_epoch INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE people ADD COLUMN registered_name TEXT;
      ALTER TABLE service_sessions ADD COLUMN check_in_distance_m INTEGER;
      UPDATE people SET registered_name = trim(COALESCE(first_name, '') || ' ' || COALESCE(last_name, ''))
        WHERE registered_at IS NOT NULL AND erased_at IS NULL AND first_name IS NOT NULL;
    `,
  },
  {
    version: 12,
    name: "a title kept apart from the first name",
    sql: `ALTER TABLE people ADD COLUMN title TEXT;`,
  },
  {
    version: 13,
    name: "safeguarding checks: quizzes, documents (sealed), interviews and sign-offs",
    sql: `
      CREATE TABLE screening_checks (
        id               TEXT PRIMARY KEY,
        person_id        TEXT NOT NULL,
        requirement      TEXT NOT NULL,
        status           TEXT NOT NULL,
        score            INTEGER,
        institution_code TEXT,
        file_mime        TEXT,
        file_bytes       INTEGER,
        file_sealed      TEXT,
        file_dropped_at  TEXT,
        expires_at       TEXT,
        decided_by       TEXT,
        reason           TEXT,
        created_at       TEXT NOT NULL,
        decided_at       TEXT,
        warned           TEXT NOT NULL DEFAULT '[]'
      );
      CREATE INDEX screening_person ON screening_checks(person_id, created_at);
      CREATE INDEX screening_pending ON screening_checks(status, institution_code, created_at);
      CREATE INDEX screening_expiry ON screening_checks(requirement, status, expires_at);
    `,
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
