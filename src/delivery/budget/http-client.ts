import { AsyncLocalStorage } from "node:async_hooks";
import nodeFetch from "node-fetch";
import type { PlatformCapabilities } from "../../platforms/capabilities.js";
import type { Lane } from "./policy.js";
import type { SendBudget } from "./send-budget.js";

/**
 * The Bot API methods that count against the platform's message limits:
 * everything that puts or changes a message in a chat. Reads, the webhook
 * and command set-up, and answers to button presses (a toast, not a
 * message) do not. Telegram documents its limits for messages only
 * (core.telegram.org/bots/faq); Bale documents none, and the same set is
 * assumed (low confidence; `platform-check` does not measure it).
 */
export const isBudgeted = (method: string): boolean =>
  method.startsWith("send") ||
  method.startsWith("edit") ||
  method === "copyMessage" ||
  method === "copyMessages" ||
  method === "forwardMessage" ||
  method === "forwardMessages";

const laneOverride = new AsyncLocalStorage<Lane>();

/** Runs `fn` with the bot's own calls in `lane` (a notice to admins from a scheduler is not a reply). */
export const inLane = <T>(lane: Lane, fn: () => T): T => laneOverride.run(lane, fn);

/**
 * The bot's HTTP client, through the send budget: each counted call waits
 * for the token in the `reply` lane (unless {@link inLane} says otherwise),
 * and a 429 pauses every lane of the token.
 *
 * It sits at the HTTP client, not among grammY's transformers, because a
 * conversation replays its earlier calls from its log on every update: a
 * transformer would see (and count, and wait for) each replayed call again,
 * while only real calls reach the client. grammY's transformers (the call
 * timeout, auto-retry) run outside it, so each retry asks the budget again
 * and waits out the bot's pause; a call abandoned while it waits (the call
 * timeout) leaves the queue.
 *
 * `base`: the HTTP client to wrap (grammY's own, node-fetch, by default).
 */
export function budgetedFetch(
  budget: SendBudget,
  caps: PlatformCapabilities,
  base: typeof fetch = nodeFetch,
): typeof fetch {
  const { platform } = caps;
  return async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!isBudgeted(url.slice(url.lastIndexOf("/") + 1))) return base(input, init);
    const lane = laneOverride.getStore() ?? "reply";
    await budget.acquire(platform, lane, chatOf(init?.body), init?.signal ?? undefined);
    const res = await base(input, init);
    if (!res.ok) {
      const answer = (await res
        .clone()
        .json()
        .catch(() => ({}))) as { description?: string; parameters?: { retry_after?: number } };
      if (res.status === 429 || caps.errors.rateLimitText.test(answer.description ?? ""))
        await budget.rateLimited(platform, lane, answer.parameters?.retry_after ?? 5).catch(() => undefined);
    }
    return res;
  };
}

/** The chat of a call sent as JSON (a file upload's multipart body is not read: its chat is not paced). */
function chatOf(body: unknown): string | number | undefined {
  if (typeof body !== "string") return undefined;
  try {
    return (JSON.parse(body) as { chat_id?: string | number }).chat_id;
  } catch {
    return undefined;
  }
}
