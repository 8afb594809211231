/**
 * Whether an error means the store could not be reached (as opposed to a bug
 * or bad data): MongoDB without a primary or network, Mongoose's buffering
 * timeout, an SQLite file that is locked, full, read-only or closed. Such a
 * fault is temporary, so the user is asked to try again shortly and nothing
 * they were told was saved is lost — it was not saved, and they were not told.
 */
const MONGO_UNAVAILABLE = new Set([
  "MongoNetworkError",
  "MongoNetworkTimeoutError",
  "MongoServerSelectionError",
  "MongooseServerSelectionError",
  "MongoNotConnectedError",
  "MongoTopologyClosedError",
  "MongoWriteConcernError",
  "PoolClearedError",
  "PoolClearedOnNetworkError",
]);

const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|PROTOCOL)/;

export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (MONGO_UNAVAILABLE.has(error.name)) return true;
  if (/buffering timed out|connection .*closed|Client must be connected/i.test(error.message)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && SQLITE_UNAVAILABLE.test(code)) return true;
  // better-sqlite3 after the database was closed.
  if (error instanceof TypeError && /database connection is not open/.test(error.message)) return true;
  return error.cause !== undefined && error.cause !== error && isStoreUnavailable(error.cause);
}
