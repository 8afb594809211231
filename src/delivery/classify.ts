import { GrammyError, HttpError } from "grammy";
import type { PlatformCapabilities } from "../platforms/capabilities.js";

/** What became of one attempt to send. */
export type Outcome =
  | { type: "sent" }
  | { type: "rate_limited"; retryAfter: number }
  /** The person blocked the bot, or their chat is gone: they count as unreachable. */
  | { type: "unreachable"; reason: string }
  /** An answer that may mean our own token is bad (Bale: 403/404): checked with getMe before anyone is marked. */
  | { type: "token_suspect"; reason: string }
  | { type: "transient"; reason: string }
  | { type: "failed"; reason: string };

/**
 * Sorts a Bot API error into what the engine does next, by the platform's
 * rules in the capability table: the recipient blocked us, the chat does not
 * exist, our token may be bad, rate limited (429 or the platform's text), a
 * server error.
 */
export function classify(error: unknown, caps: PlatformCapabilities): Outcome {
  if (error instanceof GrammyError) {
    const { error_code: code, description } = error;
    const rules = caps.errors;
    if (code === 429 || rules.rateLimitText.test(description))
      return { type: "rate_limited", retryAfter: error.parameters.retry_after ?? 5 };
    if (rules.tokenSuspect.includes(code)) return { type: "token_suspect", reason: `${code} ${description}` };
    if (code === 403 || rules.blockedText.test(description)) return { type: "unreachable", reason: description };
    if (rules.chatNotFoundText.test(description)) return { type: "unreachable", reason: description };
    if (code >= 500) return { type: "transient", reason: `${code} ${description}` };
    return { type: "failed", reason: `${code} ${description}` };
  }
  if (error instanceof HttpError) return { type: "transient", reason: error.message };
  return { type: "failed", reason: error instanceof Error ? error.message : String(error) };
}

/** Whether a getMe failure says the token itself is refused (not a passing fault). */
export function tokenRefused(error: unknown, caps: PlatformCapabilities): boolean {
  return (
    error instanceof GrammyError && (error.error_code === 401 || caps.errors.tokenSuspect.includes(error.error_code))
  );
}
