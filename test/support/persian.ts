import { expect } from "vitest";
import type { Platform } from "../../src/platforms/capabilities.js";

/**
 * What a person reads, with what is meant to stay Latin taken out: runs
 * isolated left-to-right (codes, masked numbers, phone numbers, commands:
 * Telegram gets its commands isolated, so a bare one is caught here) and
 * links. What is left must have no Latin digit and no Latin word.
 */
export const readable = (text: string, platform: Platform = "telegram") => {
  const rest = text.replace(/\u2066[^\u2069]*\u2069/g, "").replace(/https?:\/\/\S+/g, "");
  // Bale gets its commands bare (`commandAfterIsolate`).
  return platform === "bale" ? rest.replace(/(^|\s)\/[a-z_]+/g, "$1") : rest;
};

/** Every text, and every button label, reads as Persian: no Latin digit, no English word. */
export function expectPersian(texts: readonly string[], platform: Platform = "telegram") {
  for (const text of texts) expect(readable(text, platform), text).not.toMatch(/[0-9]|[A-Za-z]{2,}/);
}

/** The texts and button labels of messages, for {@link expectPersian}. */
export const textsAndLabels = (messages: readonly { text?: string; caption?: string; reply_markup?: unknown }[]) => [
  ...messages.map((m) => m.text ?? m.caption ?? ""),
  ...messages
    .flatMap((m) => (m.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined)?.inline_keyboard ?? [])
    .flat()
    .map((b) => b.text),
];
