import type { Segment } from "../domain/segment.js";
import { fail, ok, type Result } from "../domain/result.js";
import type { Logger } from "../logger.js";
import type { Broadcast, DeliveryProgress, Store } from "../store/port/index.js";
import { audit, headquartersScopeOf, isNational, type Actor } from "./access.js";
import { createBroadcast, type NewBroadcast } from "./broadcast.js";

export type BroadcastRefusal = "not_allowed" | "outside_scope";

/**
 * A segment as a headquarters may send it: national admins anywhere, a
 * provincial admin inside their provinces (theirs when it names none).
 */
export function scopedSegment(actor: Actor, segment: Segment): Result<Segment, BroadcastRefusal> {
  const scope = headquartersScopeOf(actor);
  if (!scope) return fail("not_allowed");
  if (scope.provinces === null) return ok(segment);
  if (!segment.provinces?.length) return ok({ ...segment, provinces: scope.provinces });
  return segment.provinces.every((p) => scope.provinces!.includes(p)) ? ok(segment) : fail("outside_scope");
}

/** How many would receive it now (one per reachable account): the composer's live count. */
export async function audienceCount(
  store: Store,
  actor: Actor,
  segment: Segment,
): Promise<Result<number, BroadcastRefusal>> {
  const scoped = scopedSegment(actor, segment);
  if (!scoped.ok) return scoped;
  return ok((await store.people.segment(scoped.value)).length);
}

/** Queues a campaign broadcast from a headquarters, checked and audited (the chat's /broadcast and the console). */
export async function startBroadcast(
  d: { store: Store; logger: Logger },
  actor: Actor,
  input: Omit<NewBroadcast, "createdBy">,
): Promise<Result<{ broadcast: Broadcast; queued: number }, BroadcastRefusal>> {
  const scoped = scopedSegment(actor, input.segment);
  const area = input.segment.provinces?.join(",") ?? "*";
  if (!scoped.ok) {
    await audit(d.store, d.logger, {
      actor: actor.id,
      action: "broadcast.create",
      scope: area,
      target: null,
      outcome: "refused",
    });
    return scoped;
  }
  const created = await createBroadcast(d.store, { ...input, segment: scoped.value, createdBy: actor.id });
  await audit(d.store, d.logger, {
    actor: actor.id,
    action: "broadcast.create",
    scope: scoped.value.provinces?.join(",") ?? "*",
    target: created.broadcast.id,
    outcome: "ok",
    details: { urgent: input.urgent, queued: created.queued },
  });
  return ok(created);
}

export type BroadcastAction = "pause" | "resume" | "cancel";

/** Pause, resume, cancel: national admins any broadcast; a provincial admin only their own. Audited. */
export async function controlBroadcast(
  d: { store: Store; logger: Logger },
  actor: Actor,
  id: string,
  action: BroadcastAction,
): Promise<Result<Broadcast, "not_allowed" | "finished">> {
  const broadcast = await d.store.deliveries.getBroadcast(id);
  const allowed =
    isNational(actor) || (!!headquartersScopeOf(actor) && !!broadcast && broadcast.createdBy === actor.id);
  if (!allowed || !broadcast || broadcast.personal) {
    await audit(d.store, d.logger, {
      actor: actor.id,
      action: `broadcast.${action}`,
      scope: "*",
      target: id.slice(0, 100),
      outcome: "refused",
    });
    return fail("not_allowed");
  }
  if (broadcast.status === "done" || broadcast.status === "cancelled") return fail("finished");
  const status = action === "pause" ? "paused" : action === "resume" ? "running" : "cancelled";
  await d.store.deliveries.setBroadcastStatus(id, status);
  await audit(d.store, d.logger, {
    actor: actor.id,
    action: `broadcast.${action}`,
    scope: broadcast.segment.provinces?.join(",") ?? "*",
    target: id,
    outcome: "ok",
  });
  return ok({ ...broadcast, status });
}

/** The broadcasts a headquarters sees, newest first, with progress: all for national admins, their provinces' for others. */
export async function visibleBroadcasts(
  store: Store,
  actor: Actor,
  limit = 30,
): Promise<
  { broadcast: Broadcast; progress: DeliveryProgress; mine: boolean; responses: number | null }[] | undefined
> {
  const scope = headquartersScopeOf(actor);
  if (!scope) return undefined;
  const recent = await store.deliveries.recentBroadcasts(limit * 3);
  const seen = recent.filter(
    (b) =>
      scope.provinces === null ||
      (!!b.segment.provinces?.length && b.segment.provinces.every((p) => scope.provinces!.includes(p))),
  );
  return Promise.all(
    seen.slice(0, limit).map(async (broadcast) => ({
      broadcast,
      progress: await store.deliveries.progress(broadcast.id),
      mine: isNational(actor) || broadcast.createdBy === actor.id,
      // "I'm in" answers, where the broadcast asked for them.
      responses: broadcast.imIn ? await store.deliveries.responses(broadcast.id) : null,
    })),
  );
}
