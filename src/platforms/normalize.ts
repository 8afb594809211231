import { stripBidiControls } from "../domain/normalize.js";
import type { PlatformCapabilities } from "./capabilities.js";

/**
 * Platform input read defensively, once, at the edge (before any handler or
 * conversation sees the update, so a stored conversation replays the
 * normalised update): what the open-source Bale libraries report to vary —
 * `contact.phone_number` as a number, `user_id` / `id` as numeric strings —
 * becomes the shape the Bot API types promise. A value that cannot be read
 * is dropped, never passed on half-typed. Returns the same update object.
 */
export function normalizeUpdate<U extends object>(update: U, caps: PlatformCapabilities): U {
  const u = update as Record<string, unknown>;
  for (const key of ["message", "edited_message", "channel_post", "edited_channel_post"]) {
    const message = asRecord(u[key]);
    if (message) normalizeMessage(message);
  }
  const query = asRecord(u.callback_query);
  if (query) {
    const from = asRecord(query.from);
    normalizeId(from);
    const message = asRecord(query.message);
    if (message) normalizeMessage(message);
    else if (caps.callbackMessageOptional && query.inline_message_id === undefined && typeof from?.id === "number")
      // A press whose message the platform left out: it was in the presser's private chat (the bot writes nowhere
      // else), on a message we cannot name. `UNKNOWN_MESSAGE_ID` says so; a conversation takes it as its prompt's.
      query.message = {
        message_id: UNKNOWN_MESSAGE_ID,
        date: 0,
        chat: { id: from.id, type: "private", first_name: typeof from.first_name === "string" ? from.first_name : "" },
      };
  }
  const member = asRecord(u.my_chat_member);
  if (member) {
    normalizeId(asRecord(member.from));
    normalizeId(asRecord(member.chat));
  }
  return update;
}

/** The message id of a button press whose message the platform did not say (`callbackMessageOptional`). */
export const UNKNOWN_MESSAGE_ID = 0;

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** A numeric id given as a string becomes a number; anything else that is not a safe integer is dropped. */
function numericId(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isSafeInteger(v)) return v;
  if (typeof v === "string" && /^-?\d{1,16}$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

/** A user's or chat's `id` given as a numeric string becomes a number. */
function normalizeId(user: Record<string, unknown> | undefined) {
  if (!user || user.id === undefined) return;
  const id = numericId(user.id);
  if (id !== undefined) user.id = id;
}

/**
 * A message's text or caption without bidirectional overrides (`stripBidiControls`), its entities moved
 * by the characters taken out, so a command keeps its place.
 */
function stripControls(message: Record<string, unknown>, field: "text" | "caption", entitiesField: string) {
  const text = message[field];
  if (typeof text !== "string") return;
  const { text: clean, removed } = stripBidiControls(text);
  if (removed.length === 0) return;
  message[field] = clean;
  const entities = message[entitiesField];
  if (!Array.isArray(entities)) return;
  const before = (pos: number) => removed.filter((r) => r < pos).length;
  message[entitiesField] = entities
    .map((e: { offset: number; length: number }) => {
      const start = e.offset - before(e.offset);
      const end = e.offset + e.length - before(e.offset + e.length);
      return { ...e, offset: start, length: end - start };
    })
    .filter((e: { length: number }) => e.length > 0);
}

function normalizeMessage(message: Record<string, unknown>) {
  normalizeId(asRecord(message.from));
  normalizeId(asRecord(message.chat));
  stripControls(message, "text", "entities");
  stripControls(message, "caption", "caption_entities");
  const contact = asRecord(message.contact);
  if (!contact) return;
  const phone = contact.phone_number;
  // Read as a number on any platform (unambiguous); the table says which platforms send it so.
  if (typeof phone === "number" && Number.isSafeInteger(phone)) contact.phone_number = String(phone);
  else if (typeof phone !== "string") contact.phone_number = "";
  if (contact.user_id === undefined || contact.user_id === null) delete contact.user_id;
  else {
    const id = numericId(contact.user_id);
    if (id === undefined) delete contact.user_id;
    else contact.user_id = id;
  }
}
