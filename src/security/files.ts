import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";

/**
 * Narrows a path's mode. A path this process does not own (a volume mounted
 * by root, say) cannot be narrowed by it: that is the operator's to set, and
 * is no reason to refuse to start.
 */
function narrow(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPERM") throw e;
  }
}

/**
 * Files at rest: the data folder is the operator's alone (0700), and every
 * database file in it is readable by its owner only (0600). SQLite gives its
 * `-wal` and `-shm` files the database file's mode, so the database file is
 * created 0600 before SQLite opens it; files of older installs are narrowed.
 */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  narrow(dir, 0o700);
}

/** Creates `path` 0600 if it is missing (never readable by others, not even for a moment) and narrows it if not. */
export function privateFile(path: string): void {
  closeSync(openSync(path, "a", 0o600));
  narrow(path, 0o600);
}

/** Narrows a database's files (the file, its WAL and shared-memory files) to 0600. */
export function privateDatabaseFiles(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) if (existsSync(file)) narrow(file, 0o600);
}
