import mongoose, { type Connection, type Model } from "mongoose";
import { migrationKeyOf, type Checkpoint, type Conflict, type Doc, type MigrationTarget } from "../port/migration.js";
import { buildIndexes, requireReplicaSet } from "./indexes.js";
import { registerModels, type Models } from "./models.js";
import { isDuplicateKey } from "./errors.js";

/** The models by MongoDB collection name. */
export function modelsByCollection(models: Models): Map<string, Model<unknown>> {
  return new Map(
    Object.values(models).map((m) => [(m as Model<unknown>).collection.collectionName, m as Model<unknown>]),
  );
}

/**
 * Checks documents against the production schemas and casts them (dates,
 * enums, defaults) as Mongoose would on save; throws, naming the collection
 * and field, on the first that does not fit. Works without a connection.
 */
export function castDocuments(model: Model<unknown>, key: string[], docs: Doc[]): Doc[] {
  return docs.map((d) => {
    const doc = new model(d);
    const invalid = doc.validateSync();
    if (invalid) throw new Error(`${model.collection.collectionName}: ${invalid.message}`);
    const plain = doc.toObject({ depopulate: true, versionKey: false }) as Doc;
    // A natural key identifies the document: the target keeps (or makes) its own _id.
    if (!key.includes("_id")) delete plain._id;
    return plain;
  });
}

/** Which unique field a duplicate-key error names (never its value: it may be a national ID's keyed hash). */
function clashingField(e: unknown): string {
  const text = `${(e as { message?: string }).message ?? ""} ${JSON.stringify((e as { keyPattern?: unknown }).keyPattern ?? {})}`;
  if (text.includes("nationalIdHash")) return "nationalId";
  if (text.includes("identityKeys")) return "identity";
  if (text.includes("volunteerCode")) return "volunteerCode";
  return "key";
}

/** The MongoDB side of a migration: upserts by key, conflicts per document, a checkpoint per source and collection. */
export async function openMongoMigrationTarget(
  uri: string,
  dbName?: string,
): Promise<MigrationTarget & { close(): Promise<void> }> {
  const conn: Connection = mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: 5000, autoIndex: false });
  await conn.asPromise();
  await requireReplicaSet(conn);
  const models = registerModels(conn);
  // The unique indexes first: they are what makes a repeated upsert land on the same document. A migration is an
  // operator's step, like `hamdel db indexes`, so it builds what is missing.
  await buildIndexes(models);
  const byName = modelsByCollection(models);
  const model = (name: string) => {
    const m = byName.get(name);
    if (!m) throw new Error(`no MongoDB collection "${name}"`);
    return m;
  };
  const filterOf = (key: string[], d: Doc) => Object.fromEntries(key.map((k) => [k, d[k]]));
  const checkpoints = conn.collection<{ _id: string; source?: string; collection?: string } & Checkpoint>(
    "migration_checkpoints",
  );
  return {
    async upsert(name, key, docs) {
      const m = model(name);
      const cast = castDocuments(m, key, docs);
      const op = (d: Doc) => ({ replaceOne: { filter: filterOf(key, d), replacement: d, upsert: true } });
      // The pilot's own createdAt/updatedAt are kept.
      const options = { ordered: false, timestamps: false } as const;
      try {
        const r = await m.bulkWrite(cast.map(op), options);
        return { written: r.upsertedCount + r.modifiedCount, conflicts: [] };
      } catch (e) {
        if (!isDuplicateKey(e) && !((e as { writeErrors?: unknown[] }).writeErrors ?? []).some(isDuplicateKey)) throw e;
      }
      // A unique field already taken in the target (another province's person): one document at a time, so each
      // conflict is reported by itself and every other document is still written.
      let written = 0;
      const conflicts: Conflict[] = [];
      for (const d of cast) {
        try {
          const r = await m.bulkWrite([op(d)], options);
          written += r.upsertedCount + r.modifiedCount;
        } catch (e) {
          const err = ((e as { writeErrors?: unknown[] }).writeErrors?.[0] as { err?: unknown } | undefined)?.err ?? e;
          if (!isDuplicateKey(e) && !isDuplicateKey(err)) throw e;
          conflicts.push({ id: migrationKeyOf(key, d), field: clashingField(err) });
        }
      }
      return { written, conflicts };
    },
    async present(name, key, docs) {
      if (docs.length === 0) return 0;
      const filter =
        key.length === 1
          ? { [key[0]!]: { $in: docs.map((d) => d[key[0]!]) } }
          : { $or: docs.map((d) => filterOf(key, d)) };
      return model(name).countDocuments(filter);
    },
    async checkpoint(source, name) {
      const c = await checkpoints.findOne({ _id: `${source}|${name}` });
      return c
        ? {
            after: c.after,
            copied: c.copied,
            present: c.present ?? 0,
            written: c.written ?? 0,
            conflicts: c.conflicts ?? [],
            done: c.done,
          }
        : null;
    },
    async saveCheckpoint(source, name, c) {
      await checkpoints.replaceOne({ _id: `${source}|${name}` }, { ...c, source, collection: name }, { upsert: true });
    },
    close: () => conn.close(),
  };
}
