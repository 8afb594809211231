import { AsyncLocalStorage } from "node:async_hooks";
import type { Transformer } from "grammy";
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
 * The bot's calls through the send budget: each counted call waits for its
 * chat and for the token in the `reply` lane (unless {@link inLane} says
 * otherwise), and a 429 pauses every lane of the token. Installed inside
 * auto-retry, so each retry asks the budget again and waits out the pause.
 */
export function budgetTransformer(budget: SendBudget, caps: PlatformCapabilities): Transformer {
  const { platform } = caps;
  return async (prev, method, payload, signal) => {
    if (!isBudgeted(method)) return prev(method, payload, signal);
    const lane = laneOverride.getStore() ?? "reply";
    const chat = (payload as { chat_id?: string | number } | undefined)?.chat_id;
    await budget.acquire(platform, lane, chat);
    const res = await prev(method, payload, signal);
    if (!res.ok && (res.error_code === 429 || caps.errors.rateLimitText.test(res.description)))
      await budget.rateLimited(platform, lane, res.parameters?.retry_after ?? 5).catch(() => undefined);
    return res;
  };
}
