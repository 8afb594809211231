/**
 * `npm run verify:mongo`: the check to run against a real MongoDB replica set
 * (MONGODB_URI) before the first national deployment. These build machines
 * cannot run a mongod, so it has only run here against the emulator, where it
 * stops at `explain`, which the emulator lacks.
 *
 * 1. The MongoDB suites (store contract, privacy and erasure, migration,
 *    command shapes, injected faults, indexes) against MONGODB_URI, with the
 *    simultaneous-acceptance and concurrent-claim tests among them. Nothing is
 *    skipped on a real server.
 * 2. `explain("executionStats")` of each query the adapter makes, on seeded
 *    data (120,000 people, a 100,000-recipient broadcast), in a scratch
 *    database it drops afterwards: a table of the index used and the
 *    documents examined. A collection scan where an index is expected fails.
 *
 * Flags: --people N, --recipients N (seed sizes), --no-tests (only step 2).
 */
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import mongoose from "mongoose";
import { slotsOfMask, slotMask } from "../../src/domain/matching.js";
import { buildIndexes, requireReplicaSet } from "../../src/store/mongo/indexes.js";
import { NO_LEASE, registerModels, type Models } from "../../src/store/mongo/models.js";

const SUITES = [
  "test/store/contract.mongo.test.ts",
  "test/security/erasure.mongo.test.ts",
  "test/cli/migrate.mongo.test.ts",
  "test/store/commands.mongo.test.ts",
  "test/store/faults.mongo.test.ts",
  "test/store/indexes.mongo.test.ts",
];

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name}: expected a positive whole number`);
  return v;
}

/** Every index name and stage in an explain document, and the documents examined. */
function planOf(explain: unknown): { indexes: string[]; collscan: boolean; examined: number; returned: number } {
  const indexes = new Set<string>();
  let collscan = false;
  let examined = -1;
  let returned = -1;
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== "object") return;
    const o = v as Record<string, unknown>;
    if (typeof o.indexName === "string") indexes.add(o.indexName);
    if (o.stage === "COLLSCAN") collscan = true;
    // The first executionStats block: documents examined and returned.
    if (typeof o.totalDocsExamined === "number" && examined < 0) {
      examined = o.totalDocsExamined;
      returned = typeof o.nReturned === "number" ? o.nReturned : -1;
    }
    Object.values(o).forEach(walk);
  };
  walk(explain);
  return { indexes: [...indexes], collscan, examined, returned };
}

async function seed(conn: mongoose.Connection, models: Models, people: number, recipients: number) {
  const provinces = ["kermanshah", "khuzestan", "south_khorasan", "golestan"];
  const slots = ["sat.morning", "mon.evening", "wed.afternoon"];
  const t0 = Date.parse("2025-01-01T00:00:00Z");
  const ids: string[] = [];
  for (let start = 0; start < people; start += 5000) {
    const docs = [];
    for (let i = start; i < Math.min(people, start + 5000); i++) {
      const id = randomUUID();
      ids.push(id);
      const mine = [slots[i % 3]!, slots[(i + 1) % 3]!];
      docs.push({
        _id: id,
        identities: [
          {
            platform: i % 3 ? "bale" : "telegram",
            userId: `u${i}`,
            chatId: `u${i}`,
            reachable: true,
            linkedAt: new Date(t0),
          },
        ],
        identityKeys: [`${i % 3 ? "bale" : "telegram"}:u${i}`],
        province: provinces[i % 4],
        county: `county${i % 40}`,
        skills: [["cooking", "driving", "teaching"][i % 3]],
        roles: [["neighbourhood_helper", "mother_helper", "tutor"][i % 3]],
        availability: { slots: mine, hoursPerWeek: 4 },
        slotMask: slotMask(mine),
        registeredAt: new Date(t0 + i * 60_000),
        erasedAt: null,
        notify: { campaigns: true, matches: true },
      });
    }
    await conn.collection("people").insertMany(docs as never[], { ordered: false });
  }
  const broadcastId = randomUUID();
  await models.Broadcast.collection.insertOne({
    _id: broadcastId as never,
    text: "t",
    urgent: false,
    notBefore: new Date(0),
    status: "running",
    total: recipients,
    createdAt: new Date(),
  });
  for (let start = 0; start < recipients; start += 5000) {
    const docs = [];
    for (let i = start; i < Math.min(recipients, start + 5000); i++)
      docs.push({
        broadcastId,
        personId: ids[i % ids.length],
        platform: "bale",
        chatId: `c${i}`,
        status: i % 4 === 0 ? "sent" : "pending",
        attempts: 0,
        dueAt: new Date(0),
        leaseOwner: null,
        leaseUntil: NO_LEASE,
      });
    await models.Delivery.collection.insertMany(docs, { ordered: false });
  }
  // 20,000 audit records, 5,000 at a time.
  for (let i = 0; i < 20_000; i += 5000)
    await models.Audit.collection.insertMany(
      Array.from({ length: 5000 }, (_, j) => ({
        actor: `telegram:${j % 50}`,
        action: "need.post",
        scope: "national",
        outcome: "ok",
        at: new Date(t0 + (i + j) * 1000),
        lastAt: new Date(t0 + (i + j) * 1000),
        count: 1,
      })),
    );
  await models.LedgerEntry.collection.insertMany(
    Array.from({ length: 5000 }, (_, i) => ({
      _id: randomUUID() as never,
      key: `service:${i}`,
      kind: "service",
      postings: [
        { account: `person:${ids[i]}`, minutes: -120, side: "giver" },
        { account: "centre:C1", minutes: 120, side: "receiver" },
      ],
      accounts: [`person:${ids[i]}`, "centre:C1"],
      by: "verify",
      at: new Date(t0 + i * 1000),
    })),
  );
  return { broadcastId, ids };
}

async function main(): Promise<number> {
  const uri = process.env.MONGODB_URI;
  if (!uri) {
    console.error("verify:mongo needs MONGODB_URI: a MongoDB replica set (mongodb://m1,m2,m3/?replicaSet=rs0).");
    return 2;
  }
  const people = flag("people", 120_000);
  const recipients = flag("recipients", 100_000);
  let failed = false;

  if (!process.argv.includes("--no-tests")) {
    console.log(`\n== 1. The MongoDB suites against ${uri.replace(/\/\/[^@/]*@/, "//…@")}`);
    const r = spawnSync("npx", ["vitest", "run", ...SUITES], { stdio: "inherit", env: process.env });
    if (r.status !== 0) failed = true;
  }

  console.log(`\n== 2. Query plans on seeded data: ${people} people, a ${recipients}-recipient broadcast`);
  const dbName = `hamdel_verify_${Date.now()}`;
  const conn = await mongoose.createConnection(uri, { dbName, autoIndex: false }).asPromise();
  try {
    await requireReplicaSet(conn);
    const models = registerModels(conn);
    await buildIndexes(models);
    const { broadcastId, ids } = await seed(conn, models, people, recipients);
    const now = new Date();
    const queries: { name: string; expect: string; run: () => Promise<unknown> }[] = [
      {
        name: "claim (deliveries)",
        expect: "claim",
        run: () =>
          models.Delivery.find(
            { status: "pending", broadcastId: { $in: [broadcastId] }, dueAt: { $lte: now }, leaseUntil: { $lt: now } },
            { _id: 1 },
          )
            .sort({ _id: 1 })
            .limit(100)
            .explain("executionStats"),
      },
      {
        name: "broadcast progress",
        expect: "progress",
        run: () =>
          models.Delivery.aggregate([
            { $match: { broadcastId } },
            { $group: { _id: "$status", n: { $sum: 1 } } },
          ]).explain("executionStats"),
      },
      {
        name: "listRegistered (keyset page)",
        expect: "registered_keyset",
        run: () =>
          models.Person.find({
            registeredAt: { $type: "date" },
            erasedAt: null,
            $or: [
              { registeredAt: { $gt: new Date("2025-02-01T00:00:00Z") } },
              { registeredAt: new Date("2025-02-01T00:00:00Z"), _id: { $gt: ids[0] } },
            ],
          })
            .sort({ registeredAt: 1, _id: 1 })
            .limit(500)
            .explain("executionStats"),
      },
      {
        name: "audit log (newest first)",
        expect: "at_-1__id_-1",
        run: () => models.Audit.find({}).sort({ at: -1, _id: -1 }).limit(50).explain("executionStats"),
      },
      {
        name: "ledger: a person's hours given",
        expect: "accounts_1_at_-1",
        run: () =>
          models.LedgerEntry.aggregate([
            { $match: { accounts: `person:${ids[0]}` } },
            { $unwind: "$postings" },
            { $match: { "postings.account": `person:${ids[0]}`, "postings.side": "giver" } },
            { $group: { _id: null, n: { $sum: "$postings.minutes" } } },
          ]).explain("executionStats"),
      },
      {
        name: "veterans by hours (segment)",
        expect: "postings_given",
        run: () =>
          models.LedgerEntry.aggregate([
            { $match: { postings: { $elemMatch: { account: { $regex: "^person:" }, side: "giver" } } } },
            { $unwind: "$postings" },
            { $group: { _id: "$postings.account", minutes: { $sum: "$postings.minutes" } } },
          ]).explain("executionStats"),
      },
      {
        name: "candidates (role, province)",
        expect: "match_roles",
        run: () =>
          models.Person.find({
            registeredAt: { $type: "date" },
            erasedAt: null,
            "notify.matches": true,
            province: "kermanshah",
            county: { $type: "string" },
            identities: { $elemMatch: { reachable: true } },
            "availability.slots": { $in: slotsOfMask(slotMask(["sat.morning"])) },
            roles: "neighbourhood_helper",
          }).explain("executionStats"),
      },
    ];
    const rows: string[][] = [];
    for (const q of queries) {
      try {
        const plan = planOf(await q.run());
        const good = !plan.collscan && plan.indexes.includes(q.expect);
        if (!good) failed = true;
        rows.push([
          q.name,
          plan.indexes.join(",") || (plan.collscan ? "COLLSCAN" : "?"),
          String(plan.examined),
          String(plan.returned),
          good ? "ok" : `EXPECTED ${q.expect}`,
        ]);
      } catch (e) {
        failed = true;
        rows.push([q.name, "-", "-", "-", `explain failed: ${(e as Error).message.slice(0, 80)}`]);
      }
    }
    const head = ["query", "index used", "docs examined", "returned", "result"];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join("  "));
  } finally {
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
  console.log(failed ? "\nverify:mongo FAILED (see above)" : "\nverify:mongo passed");
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`verify:mongo stopped: ${(e as Error).message}`);
    process.exit(1);
  },
);
