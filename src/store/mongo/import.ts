import mongoose, { type Connection, type Model } from "mongoose";
import type { Checkpoint, MigrationTarget } from "../../services/migrate.js";
import type { Doc } from "../sqlite/export.js";
import { buildIndexes } from "./indexes.js";
import { registerModels, type Models } from "./models.js";

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

/** The MongoDB side of a migration: upserts by key, counts, and a checkpoint per collection. */
export async function openMongoMigrationTarget(
  uri: string,
  dbName?: string,
): Promise<MigrationTarget & { close(): Promise<void> }> {
  const conn: Connection = mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: 5000, autoIndex: false });
  await conn.asPromise();
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
  const checkpoints = conn.collection<{ _id: string } & Checkpoint>("migration_checkpoints");
  return {
    async upsert(name, key, docs) {
      const m = model(name);
      const cast = castDocuments(m, key, docs);
      await m.bulkWrite(
        cast.map((d) => ({
          replaceOne: { filter: Object.fromEntries(key.map((k) => [k, d[k]])), replacement: d, upsert: true },
        })),
        // The pilot's own createdAt/updatedAt are kept.
        { ordered: false, timestamps: false },
      );
    },
    count: (name) => model(name).countDocuments(),
    async checkpoint(name) {
      const c = await checkpoints.findOne({ _id: name });
      return c ? { after: c.after, copied: c.copied, done: c.done } : null;
    },
    async saveCheckpoint(name, c) {
      await checkpoints.replaceOne({ _id: name }, { ...c }, { upsert: true });
    },
    close: () => conn.close(),
  };
}
