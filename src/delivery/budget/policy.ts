/**
 * The send budget's rule, as a pure function of a shared state. Every
 * backend (memory, SQLite, Redis) keeps one {@link BudgetState} per bot token
 * and applies these functions to it atomically, so every process that sends
 * with the token obeys one budget.
 *
 * - **The window.** The state keeps the admissions of the last second. A send
 *   is admitted only while fewer than `rate` were admitted in the last
 *   `windowMs`, and no sooner than `spacing × 1000/rate` ms after the previous
 *   one (the flow stays smooth; a second is never spent in a burst).
 * - **Lanes.** `reply` (people in a conversation) before `urgent` (match
 *   notices, introductions, approvals) before `bulk` (broadcasts, campaign
 *   days). A process that has sends waiting says so (`demand`); a lower lane
 *   is admitted only when the room left covers every higher lane's waiting
 *   sends, across processes.
 * - **A floor for pushes.** While urgent or bulk sends wait (in any process),
 *   replies may take at most `1 − floor` of the window, unless the replies of
 *   the last `surge.windowMs` went to at least `surge.chats` distinct chats:
 *   a real surge of people, not a few accounts buying the whole budget (each
 *   chat is also paced, `chat-pacer.ts`). Urgent pushes go before bulk within
 *   the floor.
 * - **Bulk.** Broadcasts also keep under their own ceiling (`bulkRate`) and,
 *   after a 429, under a ceiling cut by `backoff.factor` that recovers
 *   linearly over `backoff.recoverMs`.
 * - **429.** `pausedUntil`: nothing of any lane is admitted before it.
 * - **Members.** Each process that sends heartbeats its membership; one that
 *   runs a delivery engine also marks itself `engine` (the CLI's lease test).
 */

export const LANES = ["reply", "urgent", "bulk"] as const;
export type Lane = (typeof LANES)[number];
export const laneIndex = (lane: Lane): 0 | 1 | 2 => LANES.indexOf(lane) as 0 | 1 | 2;

export interface BudgetLimits {
  /** The platform's total for this token, messages per second (Infinity: unlimited). */
  rate: number;
  /** A broadcast's own ceiling, messages per second (at most `rate`). */
  bulkRate: number;
  windowMs: number;
  /** The least gap between two admissions, as a share of 1000/rate. */
  spacing: number;
  backoff: { factor: number; recoverMs: number };
  /** The share of the window kept for urgent and bulk sends while they wait (0: replies may take it all). */
  floor: number;
  /** Replies to this many distinct chats within `windowMs` are a surge of people: the floor gives way. */
  surge: { chats: number; windowMs: number };
}

export const DEFAULT_LIMITS: Omit<BudgetLimits, "rate" | "bulkRate"> = {
  // A second, and a margin for what happens between an admission and the platform's receipt of the call (the
  // event loop, the connection): sends admitted 1030 ms apart do not land within one second of each other.
  windowMs: 1030,
  spacing: 0.9,
  backoff: { factor: 0.5, recoverMs: 30_000 },
  floor: 0.45,
  surge: { chats: 20, windowMs: 5000 },
};

/** A chat's tag in the shared state: a 31-bit hash, not the id (the state is not the place for who talks to us). */
export function chatTag(chatId: string | number): number {
  let h = 0x811c9dc5;
  const s = String(chatId);
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 1;
}

export type Admission = [number, number] | [number, number, number];

export interface BudgetState {
  /** Admissions within the last window: [time, lane index, the reply's chat tag (`chatTag`) when known]. */
  sends: Admission[];
  /** Per process: sends waiting per lane, until `exp` (a dead process's demand lapses). */
  demand: Record<string, { n: [number, number, number]; exp: number }>;
  /** The chats replied to within the surge window: [time, chat tag]. */
  replyChats?: [number, number][];
  /** After a 429: nothing is sent before this. */
  pausedUntil: number;
  /** When the last 429 came (the bulk ceiling's back-off runs from here). */
  backoffAt: number;
  /** Processes that send with this token, until `exp`; `engine`: it runs a delivery engine. */
  members: Record<string, { exp: number; engine: boolean }>;
}

export const emptyState = (): BudgetState => ({ sends: [], demand: {}, pausedUntil: 0, backoffAt: 0, members: {} });

/** How long a process's demand and membership last without being renewed. */
export const DEMAND_TTL_MS = 2000;
export const MEMBER_TTL_MS = 10_000;

export interface TakeRequest {
  proc: string;
  lane: Lane;
  /** This process's waiting sends per lane (including the one asked for). */
  waiting: [number, number, number];
  now: number;
  /** The chat a reply goes to (`chatTag`); unknown (a file upload's multipart body) counts as a chat of its own. */
  chat?: number;
}

export interface TakeResult {
  admitted: boolean;
  /** When refused: how long to wait before asking again. */
  waitMs: number;
  /** Why refused (metrics and tests). */
  reason?: "paused" | "window" | "spacing" | "higher-lanes" | "bulk-ceiling" | "reply-share";
}

/** The bulk lane's ceiling at `now`: `bulkRate`, cut after a 429 and recovering linearly. */
export function bulkCeiling(state: BudgetState, limits: BudgetLimits, now: number): number {
  const base = Math.min(limits.rate, limits.bulkRate);
  const since = now - state.backoffAt;
  if (state.backoffAt === 0 || since >= limits.backoff.recoverMs) return base;
  const f = limits.backoff.factor + (1 - limits.backoff.factor) * (Math.max(0, since) / limits.backoff.recoverMs);
  return Math.max(1, base * f);
}

/** Drops what has lapsed: admissions older than the window, dead demand and members. */
export function prune(state: BudgetState, limits: BudgetLimits, now: number): void {
  const from = now - limits.windowMs;
  let i = 0;
  while (i < state.sends.length && state.sends[i]![0] <= from) i++;
  if (i > 0) state.sends.splice(0, i);
  if (state.replyChats) {
    const since = now - limits.surge.windowMs;
    let j = 0;
    while (j < state.replyChats.length && state.replyChats[j]![0] <= since) j++;
    if (j > 0) state.replyChats.splice(0, j);
  }
  for (const [proc, d] of Object.entries(state.demand)) if (d.exp < now) delete state.demand[proc];
  for (const [proc, m] of Object.entries(state.members)) if (m.exp < now) delete state.members[proc];
}

/** Asks to send one message in `lane`; on admission the send is recorded. */
export function take(state: BudgetState, limits: BudgetLimits, req: TakeRequest): TakeResult {
  const { now, proc } = req;
  prune(state, limits, now);
  const lane = laneIndex(req.lane);
  const refuse = (waitMs: number, reason: TakeResult["reason"]): TakeResult => {
    state.demand[proc] = { n: [...req.waiting], exp: now + DEMAND_TTL_MS };
    return { admitted: false, waitMs: Math.min(1000, Math.max(1, Math.ceil(waitMs))), reason };
  };
  if (now < state.pausedUntil) return refuse(state.pausedUntil - now, "paused");
  const { rate, windowMs } = limits;
  const cap = Math.max(1, Math.floor(rate));
  const count = state.sends.length;
  if (count >= cap) return refuse(state.sends[count - cap]![0] + windowMs - now + 1, "window");
  const last = state.sends[count - 1]?.[0];
  const gap = (limits.spacing * 1000) / rate;
  if (last !== undefined && now - last < gap) return refuse(last + gap - now, "spacing");
  const replyCap = Math.max(1, Math.floor(cap * (1 - limits.floor)));
  if (lane === 0 && limits.floor > 0) {
    let pushes = req.waiting[1] + req.waiting[2];
    for (const [other, d] of Object.entries(state.demand)) if (other !== proc) pushes += d.n[1] + d.n[2];
    if (pushes > 0 && !replyRoom(state, replyCap, limits)) return refuse(gap, "reply-share");
  }
  let higher = 0;
  for (const [other, d] of Object.entries(state.demand))
    if (other !== proc) for (let l = 0; l < lane; l++) higher += d.n[l]!;
  // Replies waiting elsewhere hold back a push only as far as they could be admitted: within their share.
  if (lane > 0 && limits.floor > 0) {
    let replies = 0;
    for (const [other, d] of Object.entries(state.demand)) if (other !== proc) replies += d.n[0];
    if (!replyRoom(state, replyCap, limits)) higher -= replies;
  }
  if (count + higher >= cap) return refuse(gap, "higher-lanes");
  if (lane === 2) {
    const bulk = state.sends.filter((s) => s[1] === 2);
    const ceiling = bulkCeiling(state, limits, now);
    const bulkCap = Math.max(1, Math.floor(ceiling));
    if (bulk.length >= bulkCap) {
      const oldest = bulk[bulk.length - bulkCap]![0];
      return refuse(Math.max(oldest + windowMs - now + 1, (1000 * limits.spacing) / ceiling), "bulk-ceiling");
    }
    // Spread the broadcast over the second at its own ceiling, too.
    const lastBulk = bulk[bulk.length - 1]?.[0];
    const bulkGap = (limits.spacing * 1000) / ceiling;
    if (lastBulk !== undefined && now - lastBulk < bulkGap) return refuse(lastBulk + bulkGap - now, "bulk-ceiling");
  }
  if (lane === 0) {
    // A reply whose chat is unknown gets a tag of its own (negative: no chat's), unique within the window.
    const chat = req.chat ?? -1 - ((now % 2 ** 24) * 64 + (state.sends.length % 64));
    state.sends.push([now, lane, chat]);
    (state.replyChats ??= []).push([now, chat]);
  } else state.sends.push([now, lane]);
  const waiting: [number, number, number] = [...req.waiting];
  waiting[lane] = Math.max(0, waiting[lane] - 1);
  if (waiting.some((n) => n > 0)) state.demand[proc] = { n: waiting, exp: now + DEMAND_TTL_MS };
  else delete state.demand[proc];
  return { admitted: true, waitMs: 0 };
}

/**
 * Whether replies may take another slot of the window while pushes wait:
 * under their share, or the replies of the surge window went to many distinct chats (a surge of people).
 */
function replyRoom(state: BudgetState, replyCap: number, limits: BudgetLimits): boolean {
  let replies = 0;
  for (const s of state.sends) if (s[1] === 0) replies++;
  if (replies < replyCap) return true;
  const chats = new Set<number>();
  for (const [, chat] of state.replyChats ?? []) {
    chats.add(chat);
    if (chats.size >= limits.surge.chats) return true;
  }
  return false;
}

/** A 429: every lane waits `retryAfterS`; the bulk ceiling drops and recovers from then. */
export function rateLimited(state: BudgetState, retryAfterS: number, now: number): void {
  state.pausedUntil = Math.max(state.pausedUntil, now + retryAfterS * 1000);
  state.backoffAt = now;
}

/** Renews a process's membership (and says whether it runs a delivery engine). */
export function heartbeat(state: BudgetState, limits: BudgetLimits, proc: string, engine: boolean, now: number): void {
  prune(state, limits, now);
  state.members[proc] = { exp: now + MEMBER_TTL_MS, engine };
}

/** A process leaving: its membership and demand go at once. */
export function leave(state: BudgetState, proc: string): void {
  delete state.members[proc];
  delete state.demand[proc];
}

/**
 * Moves an admission recorded at `from` to `to`, when the send really went:
 * an admission whose shared write was slow went later than it was recorded,
 * and the window must count it from when it went.
 */
export function restamp(state: BudgetState, lane: Lane, from: number, to: number): void {
  const l = laneIndex(lane);
  for (let i = state.sends.length - 1; i >= 0; i--) {
    const s = state.sends[i]!;
    if (s[0] === from && s[1] === l) {
      s[0] = Math.max(from, to);
      state.sends.sort((a, b) => a[0] - b[0]);
      return;
    }
  }
}

/** Adds admissions made elsewhere (a process's own while the shared state was unreachable). */
export function merge(state: BudgetState, sends: readonly Admission[]): void {
  if (sends.length === 0) return;
  state.sends = [...state.sends, ...sends].sort((a, b) => a[0] - b[0]);
}
