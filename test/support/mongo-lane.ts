import { randomUUID } from "node:crypto";
import mongoose, { type Model } from "mongoose";
import { beforeEach, describe, inject } from "vitest";
import { openMongoStore, type MongoStoreOptions } from "../../src/store/mongo/index.js";
import { buildIndexes } from "../../src/store/mongo/indexes.js";
import { registerModels } from "../../src/store/mongo/models.js";
import type { Store } from "../../src/store/port/index.js";
import { TEST_CIPHER } from "../store/contract/index.js";
import { emulatorGapFor } from "../store/emulator-gaps.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Set by the emulator lane's global setup (vitest.emulator.config.ts) only. */
    mongoEmulatorUri?: string;
    mongoEmulatorVersion?: string;
  }
}

/** Where the MongoDB suites run: a real MongoDB (MONGODB_URI), the emulator lane, or nowhere. */
export interface MongoLane {
  uri: string;
  /** How the output names it: an emulator is never called MongoDB. */
  label: string;
  emulator: boolean;
}

export function mongoLane(): MongoLane | null {
  const emulatorUri = inject("mongoEmulatorUri");
  if (emulatorUri)
    return {
      uri: emulatorUri,
      label: `MongoDB-compatible EMULATOR (jongodb ${inject("mongoEmulatorVersion")}; not MongoDB)`,
      emulator: true,
    };
  const uri = process.env.MONGODB_URI;
  return uri ? { uri, label: "MongoDB", emulator: false } : null;
}

/**
 * A suite that runs against MongoDB where MONGODB_URI is set, against the
 * emulator in its own lane (`npm run test:emulator`), and is reported as
 * skipped otherwise. On the emulator, the tests listed in emulator-gaps.ts
 * are skipped with the operator the emulator lacks; nothing else is.
 */
export function describeMongo(name: string, body: (lane: MongoLane) => void) {
  const lane = mongoLane();
  describe.skipIf(!lane)(`${name}: ${lane?.label ?? "MongoDB (skipped: MONGODB_URI not set)"}`, () => {
    if (lane?.emulator)
      beforeEach((ctx) => {
        const gap = emulatorGapFor(ctx.task.fullTestName ?? ctx.task.name);
        if (gap) ctx.skip(`the emulator lacks ${gap.operator}`);
      });
    if (lane) body(lane);
  });
}

/** A fresh database's name: one per store a test opens. */
export const freshDbName = (prefix: string) => `${prefix}_${randomUUID().slice(0, 8)}`;

/** Builds the declared indexes in a database, as `hamdel db indexes` does before the workers start. */
export async function buildIndexesIn(uri: string, dbName: string): Promise<void> {
  const conn = await mongoose.createConnection(uri, { dbName, autoIndex: false }).asPromise();
  try {
    await buildIndexes(registerModels(conn));
  } finally {
    await conn.close();
  }
}

/** A MongoDB store on a fresh database whose indexes were built first (the deployment's order). */
export async function openIndexedStore(
  uri: string,
  prefix: string,
  options: Omit<MongoStoreOptions, "uri" | "dbName"> = {},
): Promise<Store> {
  const dbName = freshDbName(prefix);
  await buildIndexesIn(uri, dbName);
  return openMongoStore({ uri, dbName, ...options }, TEST_CIPHER);
}

/** Per file: the database whose indexes were built by its first {@link openEmptiedStore}. */
const prepared = new Map<string, string>();

/**
 * An empty MongoDB store whose indexes were built first, cheaply: the first
 * call of a file builds the indexes in a fresh database (about 40, the most
 * expensive step on the emulator); each later call empties its collections,
 * keeping the indexes, so every test still starts from an empty store.
 */
export async function openEmptiedStore(
  uri: string,
  prefix: string,
  options: Omit<MongoStoreOptions, "uri" | "dbName"> = {},
): Promise<Store> {
  const key = `${uri}|${prefix}`;
  const dbName = prepared.get(key) ?? freshDbName(prefix);
  const conn = await mongoose.createConnection(uri, { dbName, autoIndex: false }).asPromise();
  try {
    const models = registerModels(conn);
    if (!prepared.has(key)) {
      await buildIndexes(models);
      prepared.set(key, dbName);
    } else {
      // Every collection the store writes is a model's (the emulator has no listCollections).
      for (const model of Object.values(models)) await (model as Model<unknown>).deleteMany({});
    }
  } finally {
    await conn.close();
  }
  return openMongoStore({ uri, dbName, ...options }, TEST_CIPHER);
}
