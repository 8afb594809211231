import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { guardStore } from "../../src/store/guard.js";
import { isMongoUnavailable } from "../../src/store/mongo/unavailable.js";
import { DuplicateError, isStoreUnavailable, StoreUnavailableError, type Store } from "../../src/store/port/index.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { isSqliteUnavailable } from "../../src/store/sqlite/unavailable.js";
import { TEST_CIPHER } from "./contract/support.js";

const named = (name: string, message = "x") => Object.assign(new Error(message), { name });
const coded = (code: string) => Object.assign(new Error("x"), { name: "SqliteError", code });

/** Store errors at the adapter edge: each adapter names its driver's outages; everyone else sees one error type. */
describe("StoreUnavailableError at the adapter edge", () => {
  it("each adapter knows its driver's outages, and nothing else", () => {
    for (const code of ["SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_IOERR_WRITE", "SQLITE_FULL", "SQLITE_READONLY"])
      expect(isSqliteUnavailable(coded(code)), code).toBe(true);
    expect(isSqliteUnavailable(new TypeError("The database connection is not open"))).toBe(true);
    for (const code of ["SQLITE_CONSTRAINT_UNIQUE", "SQLITE_ERROR"])
      expect(isSqliteUnavailable(coded(code))).toBe(false);
    expect(isSqliteUnavailable(new TypeError("x is not a function"))).toBe(false);

    for (const name of ["MongoNetworkError", "MongoServerSelectionError", "PoolClearedError", "MongoNotConnectedError"])
      expect(isMongoUnavailable(named(name)), name).toBe(true);
    expect(isMongoUnavailable(new Error("Operation `people.findOne()` buffering timed out after 10000ms"))).toBe(true);
    expect(isMongoUnavailable(new Error("wrapped", { cause: named("MongoNetworkError") }))).toBe(true);
    expect(isMongoUnavailable(Object.assign(named("MongoServerError", "E11000 duplicate key"), { code: 11000 }))).toBe(
      false,
    );
    // The other driver's outage is not this adapter's.
    expect(isSqliteUnavailable(named("MongoNetworkError"))).toBe(false);
    expect(isMongoUnavailable(coded("SQLITE_BUSY"))).toBe(false);
  });

  it("is recognised through a conversation's copy (structured clone keeps the message, not the class) and as a cause", () => {
    const error = new StoreUnavailableError("sqlite", coded("SQLITE_BUSY"));
    const copy = structuredClone(error);
    expect(copy).not.toBeInstanceOf(StoreUnavailableError);
    expect(isStoreUnavailable(error)).toBe(true);
    expect(isStoreUnavailable(copy)).toBe(true);
    expect(isStoreUnavailable(new Error("step failed", { cause: error }))).toBe(true);
    expect(isStoreUnavailable(coded("SQLITE_BUSY"))).toBe(false);
    expect(isStoreUnavailable(new Error("something else"))).toBe(false);
    expect(isStoreUnavailable("store unavailable (sqlite)")).toBe(false);
  });

  it("the SQLite adapter throws it once its file is closed, with the driver's error as the cause", async () => {
    const store = openSqliteStore(mkdtempSync(join(tmpdir(), "hamdel-edge-")), TEST_CIPHER);
    const ref = { platform: "telegram" as const, userId: "1", chatId: "1" };
    const { person } = await store.people.ensure(ref);
    await store.close();
    const failure = await store.people.get(person.id).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect((failure as Error).cause).toBeInstanceOf(TypeError);
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.access.list()).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it("passes every other error unchanged, synchronous throws included, and leaves results alone", async () => {
    const duplicate = new DuplicateError("nationalId");
    const bug = new TypeError("x is not a function");
    const inner = {
      kind: "sqlite",
      people: {
        get: () => Promise.reject(duplicate),
        ensure: () => {
          throw bug;
        },
        findByIdentity: () => Promise.resolve("found"),
        update: () => Promise.reject(coded("SQLITE_BUSY")),
      },
      ...Object.fromEntries(
        [
          "deliveries",
          "campaigns",
          "centres",
          "needs",
          "ledger",
          "access",
          "reports",
          "sessions",
          "certificates",
          "screening",
        ].map((r) => [r, {}]),
      ),
      ping: () => Promise.resolve(),
      close: () => Promise.resolve(),
      peopleWrites: () => 7,
    } as unknown as Store;
    const store = guardStore(inner, isSqliteUnavailable);
    await expect(store.people.get("p")).rejects.toBe(duplicate);
    expect(() => store.people.ensure({ platform: "telegram", userId: "1", chatId: "1" })).toThrow(bug);
    await expect(store.people.findByIdentity({ platform: "telegram", userId: "1" })).resolves.toBe("found");
    await expect(store.people.update("p", {})).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(store.peopleWrites()).toBe(7);
  });
});
