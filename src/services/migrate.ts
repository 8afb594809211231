import {
  migrationKeyOf,
  type Checkpoint,
  type Conflict,
  type ExportedCollection,
  type MigrationTarget,
} from "../store/port/migration.js";

export { migrationKeyOf, type Checkpoint, type Conflict, type MigrationTarget };

/**
 * Copies a pilot's embedded store into MongoDB (`hamdel migrate --to …`),
 * one pilot after another into one national database.
 *
 * - Idempotent: every document is upserted by its key (`_id` or a natural
 *   key), so running again overwrites with the same data and changes nothing
 *   (the report shows 0 written).
 * - Resumable: after each batch the position is saved in the target, keyed
 *   by the source and the collection; a run that was interrupted continues
 *   where it stopped, and another pilot's progress is never mistaken for it.
 * - Verified per source: at the end, every document of the source must be
 *   in the target under its key, except the conflicts. The target may hold
 *   other provinces: they are not counted against this one.
 * - Conflicts do not abort: a person whose national ID or platform account
 *   already belongs to someone else in the target is not copied and is
 *   reported by id (never the national ID itself), and the run goes on.
 */
export interface CollectionResult {
  name: string;
  source: number;
  /** Documents of this source found in the target. */
  target: number;
  copied: number;
  written: number;
  conflicts: Conflict[];
  resumedFrom: number | null;
  ok: boolean;
}

export async function migrateCollections(
  source: { id: string; collections: ExportedCollection[] },
  target: MigrationTarget,
  options: { batchSize?: number; onBatch?: (collection: string, copied: number, total: number) => void } = {},
): Promise<CollectionResult[]> {
  const batchSize = options.batchSize ?? 500;
  const results: CollectionResult[] = [];
  for (const c of source.collections) {
    const saved = await target.checkpoint(source.id, c.name);
    const resume = saved && !saved.done ? saved : null;
    const state: Checkpoint = resume
      ? { ...resume, conflicts: [...resume.conflicts] }
      : { after: 0, copied: 0, present: 0, written: 0, conflicts: [], done: false };
    const total = c.count();
    for (;;) {
      const { docs, last } = c.page(state.after, batchSize);
      if (docs.length === 0) break;
      const { written, conflicts } = await target.upsert(c.name, c.key, docs);
      state.present += await target.present(c.name, c.key, docs);
      state.written += written;
      state.conflicts.push(...conflicts);
      state.after = last;
      state.copied += docs.length;
      await target.saveCheckpoint(source.id, c.name, state);
      options.onBatch?.(c.name, state.copied, total);
    }
    await target.saveCheckpoint(source.id, c.name, { ...state, done: true });
    const sourceCount = c.count();
    // Every source document is in the target, or was refused as a conflict and reported.
    const conflicted = new Set(state.conflicts.map((x) => x.id)).size;
    results.push({
      name: c.name,
      source: sourceCount,
      target: state.present,
      copied: state.copied,
      written: state.written,
      conflicts: state.conflicts,
      resumedFrom: resume?.after ?? null,
      ok: state.copied === sourceCount && state.present + conflicted === sourceCount,
    });
  }
  return results;
}
