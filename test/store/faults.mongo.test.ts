import mongoose from "mongoose";
import { afterEach, expect, it } from "vitest";
import { isStoreUnavailable, StoreUnavailableError, type Store } from "../../src/store/port/index.js";
import { describeMongo, openIndexedStore } from "../support/mongo-lane.js";

type Collection = mongoose.mongo.Collection;
type Write = (this: Collection, items: unknown[], ...rest: unknown[]) => Promise<unknown>;
const proto = mongoose.mongo.Collection.prototype as unknown as Record<"insertMany" | "bulkWrite", Write>;

/**
 * Makes the next write to `collection` (insertMany or bulkWrite, whichever the
 * adapter uses) land its first `landed` documents and then fail as a primary
 * stepping down does: the driver's error, below Mongoose. Returns the undo.
 */
function failNextWrite(collection: string, landed: number) {
  const originals = { insertMany: proto.insertMany, bulkWrite: proto.bulkWrite };
  let armed = true;
  for (const name of ["insertMany", "bulkWrite"] as const)
    proto[name] = async function (this: Collection, items: unknown[], ...rest: unknown[]) {
      if (!armed || this.collectionName !== collection) return originals[name].call(this, items, ...rest);
      armed = false;
      if (landed > 0) await originals[name].call(this, items.slice(0, landed), ...rest);
      throw new mongoose.mongo.MongoServerError({
        message: "not primary: the primary stepped down",
        code: 10107,
        codeName: "NotWritablePrimary",
      });
    };
  return () => Object.assign(proto, originals);
}

describeMongo("MongoDB adapter under injected faults", ({ uri }) => {
  let store: Store | undefined;
  let undo = () => {};
  afterEach(async () => {
    undo();
    await store?.close();
  });

  it("enqueue: a failover mid-batch is thrown, not absorbed; what landed counts, and a retry adds the rest", async () => {
    store = await openIndexedStore(uri, "hamdel_faults");
    const b = await store.deliveries.createBroadcast({
      text: "t",
      segment: {},
      urgent: false,
      createdBy: null,
      notBefore: new Date(0),
    });
    const recipients = Array.from({ length: 10 }, (_, i) => ({
      personId: `p${i}`,
      platform: "bale" as const,
      chatId: String(i),
    }));
    undo = failNextWrite("deliveries", 3);
    await expect(store.deliveries.enqueue(b.id, recipients)).rejects.toThrow(/not primary/);
    undo();
    expect(await store.deliveries.progress(b.id)).toMatchObject({ pending: 3 });
    expect((await store.deliveries.getBroadcast(b.id))!.total).toBe(3);
    // The caller retries the batch: only the 7 missing are added, and the total is exact.
    expect(await store.deliveries.enqueue(b.id, recipients)).toBe(7);
    expect((await store.deliveries.getBroadcast(b.id))!.total).toBe(10);
    expect(await store.deliveries.progress(b.id)).toMatchObject({ pending: 10 });
  });

  it("a lost connection below Mongoose reaches the caller as StoreUnavailableError, with the driver's error as cause", async () => {
    store = await openIndexedStore(uri, "hamdel_faults");
    const { person } = await store.people.ensure({ platform: "bale", userId: "31", chatId: "31" });
    const collection = mongoose.mongo.Collection.prototype as unknown as Record<"findOne" | "find", unknown>;
    const originals = { findOne: collection.findOne, find: collection.find };
    undo = () => Object.assign(collection, originals);
    const lost = () => {
      throw new mongoose.mongo.MongoNetworkError("connection 3 to 127.0.0.1:27017 reset");
    };
    Object.assign(collection, { findOne: lost, find: lost });
    const failure = await store.people.get(person.id).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect(isStoreUnavailable(failure)).toBe(true);
    expect(((failure as Error).cause as Error).name).toBe("MongoNetworkError");
    undo();
    // Connected again: the same call answers.
    expect((await store.people.get(person.id))?.id).toBe(person.id);
  });
});
