/**
 * The MongoDB driver's and Mongoose's errors that mean the server could not be
 * reached (no primary, no network, the pool cleared, Mongoose's buffering
 * timeout, a closed client), not that the operation was wrong: the Mongo
 * adapter turns them into `StoreUnavailableError`.
 */
const UNAVAILABLE_NAMES = new Set([
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

export function isMongoUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (UNAVAILABLE_NAMES.has(error.name)) return true;
  if (/buffering timed out|connection .*closed|connection is not open|Client must be connected/i.test(error.message))
    return true;
  return error.cause !== undefined && error.cause !== error && isMongoUnavailable(error.cause);
}
