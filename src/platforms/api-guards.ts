import { autoRetry, type AutoRetryOptions } from "@grammyjs/auto-retry";
import type { Api, Transformer } from "grammy";
import { isolateCommands } from "../format.js";
import type { PlatformCapabilities } from "./capabilities.js";

/** 429 → wait `retry_after` (up to a minute); 5xx and network errors → a few retries. */
export const AUTO_RETRY_OPTIONS: Partial<AutoRetryOptions> = {
  maxRetryAttempts: 3,
  maxDelaySeconds: 60,
  rethrowInternalServerErrors: false,
  rethrowHttpErrors: false,
};

/**
 * Outgoing-call guards derived from the capability table: drop a parse mode
 * the platform does not render reliably, so text arrives plain instead of
 * garbled. See {@link installApiGuards}.
 */
function apiGuards(caps: PlatformCapabilities): Transformer[] {
  const guards: Transformer[] = [ignoreExpiredCallbackAnswers, ignoreUnchangedEdits];
  if (caps.markdownInPlainText) guards.push(textTransformer(markdownSafe));
  if (caps.commandAfterIsolate) guards.push(textTransformer(isolateCommands));
  if (caps.parseModes.length > 0) return guards;
  return [
    ...guards,
    (prev, method, payload, signal) => {
      if (payload && typeof payload === "object" && "parse_mode" in payload) {
        const { parse_mode: _dropped, ...rest } = payload as Record<string, unknown>;
        return prev(method, rest as typeof payload, signal);
      }
      return prev(method, payload, signal);
    },
  ];
}

/** A plain text as the platform will receive it from Hamdel (the same changes the guards make): for previews. */
export function asSentOn(caps: PlatformCapabilities, text: string): string {
  let out = text;
  if (caps.markdownInPlainText) out = markdownSafe(out);
  if (caps.commandAfterIsolate) out = isolateCommands(out);
  return out;
}

const URL_PART = /(https?:\/\/\S+)/;

/**
 * Text as a Markdown-by-default renderer (Bale) shows it literally: `*` and
 * `_` outside links become look-alikes (∗, ＿) that no renderer reads as
 * markup, so a volunteer code, a name or a user's own words are not turned
 * bold or italic, nor their characters swallowed. Links are left as they are
 * (a link that must survive goes in a URL button).
 */
export function markdownSafe(text: string): string {
  return text
    .split(URL_PART)
    .map((part, i) => (i % 2 === 1 ? part : part.replaceAll("*", "∗").replaceAll("_", "＿")))
    .join("");
}

const TEXT_FIELDS = ["text", "caption"] as const;

/**
 * Applies `change` to the text or caption of every message sent or edited
 * (not a callback answer's toast). Only plain text: a payload with entities
 * or a parse mode keeps its offsets and markup as they are.
 */
const textTransformer =
  (change: (text: string) => string): Transformer =>
  (prev, method, payload, signal) => {
    if (!payload || typeof payload !== "object") return prev(method, payload, signal);
    const p = payload as Record<string, unknown>;
    if (
      !TEXT_FIELDS.some((f) => typeof p[f] === "string") ||
      method === "answerCallbackQuery" ||
      p.entities !== undefined ||
      p.caption_entities !== undefined ||
      p.parse_mode !== undefined
    )
      return prev(method, payload, signal);
    const changed = { ...p };
    for (const f of TEXT_FIELDS) if (typeof changed[f] === "string") changed[f] = change(changed[f] as string);
    return prev(method, changed as typeof payload, signal);
  };

/**
 * Installs the outgoing-call guards on an API object (the bot's, every
 * conversation's, the delivery engine's). grammY runs the last installed
 * transformer outermost, so each attempt is timed out on its own, and
 * auto-retry (where `retry`; the delivery engine retries durably itself)
 * tries again after a timeout, a 429 or a 5xx.
 */
export function installApiGuards(
  api: Pick<Api, "config">,
  caps: PlatformCapabilities,
  timeoutSeconds: number,
  { retry }: { retry: boolean },
): void {
  // Made once per combination: every conversation context (several per update) gets them installed.
  const key = `${caps.platform}:${timeoutSeconds}:${retry}`;
  let transformers = installed.get(key);
  if (!transformers) {
    transformers = [callTimeout(timeoutSeconds), ...(retry ? [autoRetry(AUTO_RETRY_OPTIONS)] : []), ...apiGuards(caps)];
    installed.set(key, transformers);
  }
  api.config.use(...transformers);
}

/** The transformers {@link installApiGuards} installs, by platform, timeout and retry; they keep no state. */
const installed = new Map<string, Transformer[]>();

/**
 * Answering a callback query that is too old (after downtime, or a forged id)
 * fails with 400; the button's action has happened regardless, so the failure
 * must not abort the handler before it replies.
 */
const ignoreExpiredCallbackAnswers: Transformer = async (prev, method, payload, signal) => {
  const res = await prev(method, payload, signal);
  if (method === "answerCallbackQuery" && !res.ok && res.error_code === 400)
    return { ok: true, result: true } as unknown as typeof res;
  return res;
};

/**
 * Editing a message into what it already is answers 400 "message is not
 * modified" (a double tap on a toggle): the message is as wanted, so it is
 * not an error.
 */
const ignoreUnchangedEdits: Transformer = async (prev, method, payload, signal) => {
  const res = await prev(method, payload, signal);
  if (
    method.startsWith("editMessage") &&
    !res.ok &&
    res.error_code === 400 &&
    /message is not modified/i.test(res.description)
  )
    return { ok: true, result: true } as unknown as typeof res;
  return res;
};

/**
 * Aborts a call that has had no answer in `seconds` (a hung connection, a
 * platform that stalls), so that one stuck request cannot hold a person's
 * queue for grammY's default 500 s. Long polling is left to its own timeout.
 */
export function callTimeout(seconds: number): Transformer {
  return (prev, method, payload, signal) => {
    if (method === "getUpdates") return prev(method, payload, signal);
    const timeout = AbortSignal.timeout(seconds * 1000);
    // grammY types its signal with a polyfill's type; at run time it is Node's own AbortSignal.
    const combined = signal ? AbortSignal.any([signal as unknown as AbortSignal, timeout]) : timeout;
    return prev(method, payload, combined as unknown as typeof signal);
  };
}
