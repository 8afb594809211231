import type { Doc, ExportedCollection } from "../store/sqlite/export.js";

/**
 * Copies a pilot's embedded store into MongoDB (`hamdel migrate --to …`).
 *
 * - Idempotent: every document is upserted by its key (`_id` or a natural
 *   key), so running again overwrites with the same or newer data and never
 *   duplicates.
 * - Resumable: after each batch the position is saved in the target; a run
 *   that was interrupted (a crash, a lost connection) continues where it
 *   stopped. A run after a completed one copies everything again (catching up
 *   with what changed in the pilot since), harmlessly.
 * - Verified: at the end each collection's count in the target is compared
 *   with the source's; any difference is reported and fails the command.
 */
export interface MigrationTarget {
  upsert(collection: string, key: string[], docs: Doc[]): Promise<void>;
  count(collection: string): Promise<number>;
  checkpoint(collection: string): Promise<Checkpoint | null>;
  saveCheckpoint(collection: string, checkpoint: Checkpoint): Promise<void>;
}

export interface Checkpoint {
  /** The last source row copied. */
  after: number;
  /** Documents copied so far in this run. */
  copied: number;
  done: boolean;
}

export interface CollectionResult {
  name: string;
  source: number;
  target: number;
  copied: number;
  resumedFrom: number | null;
  ok: boolean;
}

export async function migrateCollections(
  source: ExportedCollection[],
  target: MigrationTarget,
  options: { batchSize?: number; onBatch?: (collection: string, copied: number, total: number) => void } = {},
): Promise<CollectionResult[]> {
  const batchSize = options.batchSize ?? 500;
  const results: CollectionResult[] = [];
  for (const c of source) {
    const saved = await target.checkpoint(c.name);
    const resume = saved && !saved.done ? saved : null;
    let after = resume?.after ?? 0;
    let copied = resume?.copied ?? 0;
    const total = c.count();
    for (;;) {
      const { docs, last } = c.page(after, batchSize);
      if (docs.length === 0) break;
      await target.upsert(c.name, c.key, docs);
      after = last;
      copied += docs.length;
      await target.saveCheckpoint(c.name, { after, copied, done: false });
      options.onBatch?.(c.name, copied, total);
    }
    await target.saveCheckpoint(c.name, { after, copied, done: true });
    const source = c.count();
    const inTarget = await target.count(c.name);
    results.push({
      name: c.name,
      source,
      target: inTarget,
      copied,
      resumedFrom: resume?.after ?? null,
      ok: source === inTarget,
    });
  }
  return results;
}
