import type { Recipient, Segment } from "../domain/segment.js";
import type { Broadcast, BroadcastExtras, IdentityRef, Person, Store } from "../store/port/index.js";

export interface NewBroadcast extends Partial<BroadcastExtras> {
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

export interface PushOptions {
  createdBy?: string | null;
  buttons?: BroadcastExtras["buttons"];
  /** The people whose data the text carries besides the recipient's (an introduction's volunteer). */
  about?: string[];
}

/**
 * A one-to-one push (a match notice, an introduction) through the same
 * durable engine: a broadcast of one, urgent so that quiet hours do not hold
 * a time-critical notice, and personal: its text is sealed at rest and purged
 * once settled and past PUSH_RETENTION_DAYS. Goes to every reachable
 * identity of the person.
 */
export async function pushTo(store: Store, personId: string, text: string, options: PushOptions = {}) {
  const person = await store.people.get(personId);
  return pushToPerson(store, person ?? { id: personId, identities: [] }, text, options);
}

/** {@link pushTo} for a person already read (a batch of reminders reads each once). */
export function pushToPerson(
  store: Store,
  person: Pick<Person, "id" | "identities">,
  text: string,
  options: PushOptions = {},
) {
  const recipients = person.identities
    .filter((i) => i.reachable)
    .map((i) => ({ personId: person.id, platform: i.platform, chatId: i.chatId }));
  return pushToRecipients(store, recipients, text, options);
}

/**
 * A push to one platform account, e.g. a coordinator who holds a role but
 * may never have registered. A private chat's id is the user's id.
 */
export async function pushToAccount(store: Store, ref: IdentityRef, text: string, options: PushOptions = {}) {
  const person = await store.people.findByIdentity(ref);
  const identity = person?.identities.find((i) => i.platform === ref.platform && i.userId === ref.userId);
  if (identity && !identity.reachable) return { broadcastId: null, queued: 0 };
  const recipient = {
    personId: person?.id ?? `${ref.platform}:${ref.userId}`,
    platform: ref.platform,
    chatId: identity?.chatId ?? ref.userId,
  };
  return pushToRecipients(store, [recipient], text, options);
}

async function pushToRecipients(store: Store, recipients: Recipient[], text: string, options: PushOptions) {
  if (recipients.length === 0) return { broadcastId: null, queued: 0 };
  const broadcast = await store.deliveries.createBroadcast({
    text,
    segment: {},
    urgent: true,
    // Due at once: the engine sends what is due by its own clock.
    notBefore: new Date(0),
    createdBy: options.createdBy ?? null,
    buttons: options.buttons ?? null,
    // One-to-one: it may name people (an introduction's contact details), so it is sealed and purged.
    personal: true,
    about: options.about ?? [],
  });
  const queued = await store.deliveries.enqueue(broadcast.id, recipients);
  return { broadcastId: broadcast.id, queued };
}

/** A volunteer's «I'm in» under a broadcast, counted once per person; `invalid` when the broadcast has no such button. */
export async function answerImIn(
  store: Store,
  person: Person | null,
  broadcastId: string,
): Promise<"recorded" | "already" | "not_sent" | "invalid"> {
  const broadcast = await store.deliveries.getBroadcast(broadcastId);
  if (!broadcast?.imIn || !person) return "invalid";
  return store.deliveries.respond(broadcast.id, person.id);
}
