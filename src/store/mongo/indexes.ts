import type { Connection, Model, mongo } from "mongoose";
import type { Models } from "./models.js";

/**
 * Index builds are an operator's step (`hamdel db indexes`), not something
 * every worker does at start: a changed index option would stop every worker,
 * and a new index on a big collection would hold up start-up. Workers only
 * check that the indexes exist (`missingIndexes`) and warn when they do not.
 */

export interface IndexState {
  collection: string;
  name: string;
  key: Record<string, unknown>;
  state: "exists" | "created" | "missing";
}

/** The name MongoDB gives an index without one: `field_1_other_-1`. */
const defaultName = (key: Record<string, unknown>) =>
  Object.entries(key)
    .map(([k, v]) => `${k}_${String(v)}`)
    .join("_");

/** Every index the schemas declare, by collection. */
export function declaredIndexes(
  models: Models,
): { model: Model<unknown>; name: string; key: Record<string, unknown> }[] {
  return Object.values(models).flatMap((m) => {
    const model = m as Model<unknown>;
    return model.schema
      .indexes()
      .map(([key, options]) => ({ model, key, name: (options?.name as string | undefined) ?? defaultName(key) }));
  });
}

async function existingNames(model: Model<unknown>): Promise<Set<string>> {
  try {
    return new Set((await model.collection.listIndexes().toArray()).map((i: mongo.Document) => String(i.name)));
  } catch (e) {
    // A collection that does not exist yet has no indexes.
    if ((e as { codeName?: string; code?: number }).code === 26) return new Set();
    throw e;
  }
}

/** The declared indexes that the database does not have. */
export async function missingIndexes(models: Models): Promise<IndexState[]> {
  const out: IndexState[] = [];
  const cache = new Map<Model<unknown>, Set<string>>();
  for (const { model, name, key } of declaredIndexes(models)) {
    if (!cache.has(model)) cache.set(model, await existingNames(model));
    if (!cache.get(model)!.has(name))
      out.push({ collection: model.collection.collectionName, name, key, state: "missing" });
  }
  return out;
}

/**
 * Builds every declared index that is missing; idempotent (an index that
 * exists is left as it is). An index whose options changed fails with
 * MongoDB's own error, naming it: drop it by hand, then run this again.
 */
export async function buildIndexes(models: Models): Promise<IndexState[]> {
  const missing = new Set((await missingIndexes(models)).map((m) => `${m.collection}.${m.name}`));
  const out: IndexState[] = [];
  for (const m of Object.values(models)) {
    const model = m as Model<unknown>;
    await model.createIndexes();
  }
  for (const { model, name, key } of declaredIndexes(models)) {
    const collection = model.collection.collectionName;
    out.push({ collection, name, key, state: missing.has(`${collection}.${name}`) ? "created" : "exists" });
  }
  return out;
}

/**
 * Transactions need a replica set (or a sharded cluster). A standalone
 * mongod is refused at start, with what to do, instead of failing on the
 * first transaction.
 */
export async function requireReplicaSet(conn: Connection): Promise<void> {
  const hello = (await conn.db!.admin().command({ hello: 1 })) as { setName?: string; msg?: string };
  if (hello.setName || hello.msg === "isdbgrid") return;
  throw new Error(
    "MongoDB is a standalone server: Hamdel needs a replica set for transactions. " +
      "Start mongod with --replSet (a single-node replica set will do) and rs.initiate(), " +
      "then put replicaSet=… in MONGODB_URI (see docs/operations.md).",
  );
}
