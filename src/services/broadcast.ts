import type { Segment } from "../domain/segment.js";
import type { Broadcast, Store } from "../store/port.js";

export interface NewBroadcast {
  text: string;
  segment: Segment;
  urgent: boolean;
  notBefore: Date;
  createdBy: string | null;
  /** Queue it paused, to be set running later (campaign runs decide first). */
  paused?: boolean;
}

const CHUNK = 1000;

/** Creates a broadcast and queues one durable delivery per recipient of its segment. */
export async function createBroadcast(
  store: Store,
  input: NewBroadcast,
): Promise<{ broadcast: Broadcast; queued: number }> {
  const recipients = await store.people.segment(input.segment);
  const broadcast = await store.deliveries.createBroadcast(input);
  let queued = 0;
  for (let i = 0; i < recipients.length; i += CHUNK) {
    queued += await store.deliveries.enqueue(broadcast.id, recipients.slice(i, i + CHUNK));
  }
  return { broadcast: (await store.deliveries.getBroadcast(broadcast.id))!, queued };
}
