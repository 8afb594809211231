/** The errors every adapter raises in the same cases. */

/** Raised when a unique field (e.g. national ID) already belongs to someone else. */
export class DuplicateError extends Error {
  override readonly name = "DuplicateError";
  constructor(readonly field: "nationalId" | "identity" | "volunteerCode" | "slug") {
    super(`duplicate ${field}`);
  }
}

/** Raised when a record the caller named does not exist. */
export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} not found`);
  }
}

/** How a {@link StoreUnavailableError}'s message begins: what still says so once the error was copied. */
const UNAVAILABLE = "store unavailable";

/**
 * Raised by an adapter when its database could not be reached, as opposed to
 * a bug or bad data (each adapter knows its driver's errors: `sqlite/unavailable.ts`,
 * `mongo/unavailable.ts`). Such a fault is temporary: the person is asked to
 * try again shortly, and nothing they were told was saved is lost — it was not
 * saved, and they were not told. The driver's error is the `cause`.
 */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";
  constructor(store: "sqlite" | "mongo", cause: unknown) {
    super(`${UNAVAILABLE} (${store})`, { cause });
  }
}

/**
 * Whether an error is, or was caused by, a {@link StoreUnavailableError}. A
 * conversation hands back a structured clone of what `external` threw, which
 * keeps an error's message and cause but not its class: the message says it.
 */
export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof StoreUnavailableError || error.message.startsWith(`${UNAVAILABLE} (`)) return true;
  return error.cause !== undefined && error.cause !== error && isStoreUnavailable(error.cause);
}
