/**
 * better-sqlite3's errors that mean the database file could not be used now
 * (locked, full, read-only, unreadable, closed), not that the query was wrong:
 * the SQLite adapter turns them into `StoreUnavailableError`.
 */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|PROTOCOL)/;

export function isSqliteUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && UNAVAILABLE_CODES.test(code)) return true;
  // better-sqlite3 after the database was closed.
  return error instanceof TypeError && /database connection is not open/.test(error.message);
}
