/**
 * The port a migration copies through (`hamdel migrate --to …`, see
 * `src/services/migrate.ts`): the documents a source exports, and the target
 * that takes them (the MongoDB adapter's `store/mongo/import.ts`).
 */

/** One exported document, as MongoDB will hold it. */
export type Doc = Record<string, unknown>;

/** One collection of a source, read in pages. */
export interface ExportedCollection {
  /** The MongoDB collection name. */
  name: string;
  /** The fields that identify a document (an upsert's filter): `_id`, or a natural key. */
  key: string[];
  count(): number;
  /** Up to `limit` documents after the row `after` (0: from the start), and the last row read. */
  page(after: number, limit: number): { docs: Doc[]; last: number };
}

export interface MigrationTarget {
  /** Upserts the documents by key; a document refused by a unique index comes back as a conflict. */
  upsert(collection: string, key: string[], docs: Doc[]): Promise<{ written: number; conflicts: Conflict[] }>;
  /** How many of these documents the target holds under their key. */
  present(collection: string, key: string[], docs: Doc[]): Promise<number>;
  checkpoint(source: string, collection: string): Promise<Checkpoint | null>;
  saveCheckpoint(source: string, collection: string, checkpoint: Checkpoint): Promise<void>;
}

/** A document the target refused: what it is and which unique field clashed. */
export interface Conflict {
  /** The document's key, e.g. a person's id. */
  id: string;
  /** The unique field that already belongs to another document: `nationalId`, `identity`, `volunteerCode`… */
  field: string;
}

export interface Checkpoint {
  /** The last source row copied. */
  after: number;
  /** Documents copied so far in this run. */
  copied: number;
  /** Of them, found in the target under their key after their batch. */
  present: number;
  /** Of them, written (inserted or changed) in this run. */
  written: number;
  conflicts: Conflict[];
  done: boolean;
}

/** A document's key as one string, for reports: `_id`, or the natural key's fields joined by `/`. */
export const migrationKeyOf = (key: string[], d: Doc) => key.map((k) => String(d[k])).join("/");
