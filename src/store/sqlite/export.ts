import Database from "better-sqlite3";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { PiiCipher } from "../../security/pii.js";
import type { Doc, ExportedCollection } from "../port/migration.js";
import { grantOf } from "./access.js";
import { toCampaign } from "./campaigns.js";
import { centreOf } from "./centres.js";
import { toBroadcast } from "./deliveries.js";
import { openSqliteStore, SQLITE_FILE } from "./index.js";
import { needOf, offerOf } from "./needs.js";
import { certificateOf, sessionOf } from "./sessions.js";

/**
 * Reads the embedded store as MongoDB documents, one collection at a time,
 * through the repositories' own row readers where they have one (so each
 * column is read in one place), in pages ordered by SQLite's rowid — the source side of
 * `hamdel migrate --to mongodb://…`. Each document has the shape of the
 * Mongoose schema of its collection (`src/store/mongo/models.ts`); personal
 * data is copied sealed, as it is stored (the target must use the same
 * PII_KEY). Derived data is not copied: the SQLite candidate index
 * (`match_index`) has no MongoDB counterpart — MongoDB searches people with
 * its own indexes — and its fairness counters travel inside each person.
 */

type Row = Record<string, unknown> & { _rowid: number };

const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string | number));
const json = (v: unknown) => (v === null || v === undefined ? null : JSON.parse(v as string));
const bool = (v: unknown) => v === 1;
/** A stable ObjectId (as hex) for an audit record, from its SQLite id: a re-run finds it again. */
const objectIdOf = (id: number) => id.toString(16).padStart(24, "0");
/** A domain record's `id` as the document's `_id`. */
const withId = <T extends { id: string }>({ id, ...rest }: T) => ({ _id: id, ...rest });
const point = (lat: unknown, lon: unknown) =>
  lat === null || lon === null ? undefined : { type: "Point", coordinates: [lon as number, lat as number] };

/** Rows of `table` after `after` by rowid, with a mapper to documents (which may read related rows). */
function collection(
  db: Database.Database,
  name: string,
  table: string,
  toDocs: (rows: Row[]) => Doc[],
  key = ["_id"],
): ExportedCollection {
  return {
    name,
    key,
    count: () => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
    page(after, limit) {
      const rows = db
        .prepare(`SELECT rowid AS _rowid, * FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT ?`)
        .all(after, limit) as Row[];
      return { docs: toDocs(rows), last: rows.at(-1)?._rowid ?? after };
    },
  };
}

/** Related rows of many parents at once, grouped by the parent key. */
function related(db: Database.Database, sql: (placeholders: string) => string, keys: unknown[], by: string) {
  const groups = new Map<unknown, Record<string, unknown>[]>();
  if (keys.length === 0) return groups;
  const rows = db.prepare(sql(keys.map(() => "?").join(","))).all(...keys) as Record<string, unknown>[];
  for (const r of rows) {
    const list = groups.get(r[by]) ?? [];
    list.push(r);
    groups.set(r[by], list);
  }
  return groups;
}

export function exportCollections(db: Database.Database): ExportedCollection[] {
  return [
    collection(db, "people", "people", (rows) => {
      const ids = rows.map((r) => r.id);
      const identities = related(
        db,
        (p) => `SELECT * FROM identities WHERE person_id IN (${p}) ORDER BY linked_at, platform`,
        ids,
        "person_id",
      );
      const skills = related(
        db,
        (p) => `SELECT * FROM person_skills WHERE person_id IN (${p}) ORDER BY skill`,
        ids,
        "person_id",
      );
      const roles = related(
        db,
        (p) => `SELECT * FROM person_roles WHERE person_id IN (${p}) ORDER BY role`,
        ids,
        "person_id",
      );
      const stats = related(db, (p) => `SELECT * FROM match_stats WHERE person_id IN (${p})`, ids, "person_id");
      return rows.map((r) => {
        const ids = identities.get(r.id) ?? [];
        const s = stats.get(r.id)?.[0];
        return {
          _id: r.id,
          identities: ids.map((i) => ({
            platform: i.platform,
            userId: i.user_id,
            chatId: i.chat_id,
            reachable: bool(i.reachable),
            linkedAt: date(i.linked_at),
          })),
          identityKeys: ids.map((i) => `${i.platform}:${i.user_id}`),
          language: r.language,
          source: r.source,
          firstName: r.first_name,
          lastName: r.last_name,
          phoneEnc: r.phone_enc,
          phoneHash: r.phone_hash,
          phoneVerified: bool(r.phone_verified),
          nationalIdEnc: r.national_id_enc,
          nationalIdHash: r.national_id_hash,
          birthYear: r.birth_year,
          gender: r.gender,
          province: r.province,
          county: r.county,
          neighbourhood: r.neighbourhood,
          ...(point(r.lat, r.lon) ? { location: point(r.lat, r.lon) } : {}),
          skills: (skills.get(r.id) ?? []).map((x) => x.skill),
          roles: (roles.get(r.id) ?? []).map((x) => x.role),
          availability: json(r.availability),
          notify: { campaigns: bool(r.notify_campaigns), matches: bool(r.notify_matches) },
          volunteerCode: r.volunteer_code,
          consentAt: date(r.consent_at),
          registeredAt: date(r.registered_at),
          erasedAt: date(r.erased_at),
          veteranMarkedAt: date(r.veteran_marked_at),
          registeredName: r.registered_name ?? null,
          title: r.title ?? null,
          draftEnc: r.draft_enc,
          slotMask: r.slot_mask,
          matchStats: {
            lastOfferMs: s?.last_offer_ms ?? null,
            recentOffers: s?.recent_offers ?? 0,
            declineStreak: s?.decline_streak ?? 0,
          },
          createdAt: date(r.created_at),
          updatedAt: date(r.updated_at),
        };
      });
    }),
    collection(db, "broadcasts", "broadcasts", (rows) => rows.map((r) => withId(toBroadcast(r as never)))),
    collection(
      db,
      "deliveries",
      "deliveries",
      (rows) =>
        rows.map((r) => ({
          broadcastId: r.broadcast_id,
          personId: r.person_id,
          platform: r.platform,
          chatId: r.chat_id,
          status: r.status,
          attempts: r.attempts,
          dueAt: date(r.due_ms),
          // A lease held by a pilot worker means nothing to the new deployment.
          leaseOwner: null,
          leaseUntil: new Date(0),
          claimToken: null,
          error: r.error,
          settledAt: date(r.settled_at),
        })),
      ["broadcastId", "personId", "platform"],
    ),
    collection(db, "campaigns", "campaigns", (rows) => {
      const runs = related(
        db,
        (p) => `SELECT * FROM campaign_runs WHERE slug IN (${p}) ORDER BY rowid`,
        rows.map((r) => r.slug),
        "slug",
      );
      return rows.map((r) => {
        const { slug, ...campaign } = toCampaign(r as never);
        const ran = (runs.get(slug) ?? []).map((x) => ({ occurrence: x.occurrence, broadcastId: x.broadcast_id }));
        return { _id: slug, ...campaign, runs: ran };
      });
    }),
    collection(
      db,
      "pledges",
      "pledges",
      (rows) =>
        rows.map((r) => ({ slug: r.slug, personId: r.person_id, hours: r.hours, pledgedAt: date(r.pledged_at) })),
      ["slug", "personId"],
    ),
    collection(
      db,
      "broadcast_responses",
      "broadcast_responses",
      (rows) =>
        rows.map((r) => ({ broadcastId: r.broadcast_id, personId: r.person_id, respondedAt: date(r.responded_at) })),
      ["broadcastId", "personId"],
    ),
    collection(db, "institutions", "institutions", (rows) =>
      rows.map((r) => ({ _id: r.code, name: r.name, province: r.province, phone: r.phone })),
    ),
    collection(db, "centres", "centres", (rows) =>
      rows.map((r) => {
        const { code, location, ...centre } = centreOf(r as never);
        return {
          _id: code,
          ...centre,
          // Rotated check-in codes stay retired on the other side.
          checkInEpoch: Number(r.check_in_epoch ?? 0),
          ...(location ? { location: point(location.lat, location.lon) } : {}),
        };
      }),
    ),
    collection(db, "centre_actions", "centre_actions", (rows) =>
      rows.map((r) => ({
        _id: r.id,
        centreCode: r.centre_code,
        kind: r.kind,
        date: r.date,
        participants: r.participants,
        reportedBy: r.reported_by,
        createdAt: date(r.created_at),
      })),
    ),
    collection(db, "needs", "needs", (rows) => rows.map((r) => withId(needOf(r as never)))),
    collection(db, "offers", "offers", (rows) => rows.map((r) => withId(offerOf(r as never)))),
    collection(db, "ledger", "ledger_entries", (rows) => {
      const postings = related(
        db,
        (p) => `SELECT * FROM ledger_postings WHERE entry_id IN (${p}) ORDER BY rowid`,
        rows.map((r) => r.id),
        "entry_id",
      );
      return rows.map((r) => {
        const ps = (postings.get(r.id) ?? []).map((p) => ({ account: p.account, minutes: p.minutes, side: p.side }));
        return {
          _id: r.id,
          key: r.key,
          kind: r.kind,
          offerId: r.offer_id,
          reverses: r.reverses,
          memo: r.memo,
          postings: ps,
          accounts: ps.map((p) => p.account),
          by: r.by,
          at: date(r.at),
        };
      });
    }),
    collection(db, "grants", "grants", (rows) => rows.map((r): Doc => ({ ...grantOf(r as never) })), [
      "platform",
      "userId",
      "role",
      "scope",
    ]),
    collection(db, "invites", "invites", (rows) =>
      rows.map((r) => ({
        _id: r.id,
        role: r.role,
        scope: r.scope,
        createdBy: r.created_by,
        expiresAt: date(r.expires_ms),
        usedBy: r.used_by,
        usedAt: date(r.used_at),
      })),
    ),
    collection(db, "audit_log", "audit_log", (rows) =>
      rows.map((r) => ({
        _id: objectIdOf(r.id as number),
        actor: r.actor,
        action: r.action,
        scope: r.scope,
        target: r.target,
        outcome: r.outcome,
        details: json(r.details),
        at: date(r.at),
        count: r.count,
        lastAt: date(r.last_at ?? r.at),
      })),
    ),
    collection(db, "hour_reports", "hour_reports", (rows) =>
      rows.map((r) => ({
        _id: r.id,
        offerId: r.offer_id,
        minutes: r.minutes,
        date: r.date,
        status: r.status,
        reportedAt: date(r.reported_at),
        settledAt: date(r.settled_at),
      })),
    ),
    collection(db, "service_sessions", "service_sessions", (rows) => rows.map((r) => withId(sessionOf(r as never)))),
    // Spent one-time links stay spent on the other side (each lapses by its own TTL there).
    collection(db, "one_time_claims", "one_time_claims", (rows) =>
      rows.map((r) => ({ _id: r.key, expiresAt: new Date(String(r.expires_at)) })),
    ),
    collection(db, "certificates", "certificates", (rows) =>
      rows.map((r) => {
        const { code, ...rest } = certificateOf(r as never);
        return { _id: code, ...rest };
      }),
    ),
    // Safeguarding checks; a document's file stays sealed as it is (the same PII_KEY opens it on the other side).
    collection(db, "screening_checks", "screening_checks", (rows) =>
      rows.map((r) => ({
        _id: r.id,
        personId: r.person_id,
        requirement: r.requirement,
        status: r.status,
        score: r.score ?? null,
        institutionCode: r.institution_code ?? null,
        fileMime: r.file_mime ?? null,
        fileBytes: r.file_bytes ?? null,
        fileSealed: r.file_sealed ?? null,
        fileKept: r.file_sealed != null,
        fileDroppedAt: date(r.file_dropped_at),
        expiresAt: date(r.expires_at),
        decidedBy: r.decided_by ?? null,
        reason: r.reason ?? null,
        createdAt: new Date(String(r.created_at)),
        decidedAt: date(r.decided_at),
        warned: JSON.parse(String(r.warned)) as number[],
      })),
    ),
  ];
}

/**
 * Opens the embedded store in `dataDir` for export: brings its schema up to
 * date first (a pilot may run an older version), then reads it through a
 * read-only connection, so a running pilot is never written to by the export.
 */
export function openSqliteExport(
  dataDir: string,
  cipher: PiiCipher,
): { collections: ExportedCollection[]; close(): void } {
  const file = join(dataDir, SQLITE_FILE);
  if (!existsSync(file)) throw new Error(`no embedded store at ${file}`);
  void openSqliteStore(dataDir, cipher).close();
  const db = new Database(file, { readonly: true, fileMustExist: true });
  return { collections: exportCollections(db), close: () => db.close() };
}
