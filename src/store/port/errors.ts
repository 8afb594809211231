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
