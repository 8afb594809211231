import type { Api } from "grammy";
import type { Clock } from "../domain/clock.js";
import { broadcastControl } from "../domain/callback-data.js";
import { isQuiet, type QuietHours } from "../domain/quiet-hours.js";
import { num } from "../format.js";
import type { InlineKeyboardMarkup } from "grammy/types";
import type { I18n } from "../i18n.js";
import type { Logger } from "../logger.js";
import type { Platform } from "../platforms/capabilities.js";
import type { Broadcast, DeliveryProgress, Language, Store } from "../store/port/index.js";

export interface ProgressTarget {
  platform: Platform;
  chatId: string;
  messageId: number;
  language: Language;
}

interface Watch extends ProgressTarget {
  startedAt: number;
  lastText: string;
}

/** An hour as a clock reads it: two digits, a colon, two zeros, in the reader's digits. */
const clock = (language: Language, hour: number) =>
  `${num(language, Math.floor(hour / 10))}${num(language, hour % 10)}:${num(language, 0)}${num(language, 0)}`;

/**
 * Keeps a coordinator's progress message up to date (sent / failed /
 * unreachable / remaining, ETA) by editing it every few seconds, with pause,
 * resume and cancel buttons, until the broadcast ends.
 */
export class BroadcastMonitor {
  readonly #watches = new Map<string, Watch>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly i18n: I18n,
    private readonly logger: Logger,
    private readonly apiFor: (platform: Platform) => Api | undefined,
    private readonly intervalMs: number,
    /**
     * The engine's quiet hours (in the configured zone): a broadcast they hold says it waits for the morning, and
     * until when; and the app's clock, for the rate and the time left.
     */
    private readonly quiet: { hours: QuietHours | null; timeZone: string; clock: Clock },
  ) {}

  watch(broadcastId: string, target: ProgressTarget): void {
    this.#watches.set(broadcastId, { ...target, startedAt: this.quiet.clock.now(), lastText: "" });
    this.#timer ??= setInterval(() => void this.tick(), this.intervalMs);
    this.#timer.unref();
  }

  render(
    b: Broadcast,
    p: DeliveryProgress,
    language: Language,
    startedAt: number,
    responses = 0,
    now = new Date(this.quiet.clock.now()),
  ) {
    const t = this.i18n.t(language);
    const settled = p.sent + p.failed + p.unreachable;
    const perMs = settled / Math.max(1, now.getTime() - startedAt);
    const held =
      b.status === "running" &&
      p.pending > 0 &&
      !b.urgent &&
      this.quiet.hours !== null &&
      isQuiet(now, this.quiet.timeZone, this.quiet.hours);
    const eta = held
      ? t("broadcast.held_quiet", { until: clock(language, this.quiet.hours!.to) })
      : b.status === "running" && p.pending > 0 && perMs > 0
        ? t("broadcast.eta", { minutes: num(language, Math.max(1, Math.ceil(p.pending / perMs / 60_000))) })
        : b.status === "running"
          ? ""
          : t(`broadcast.status_${b.status}`);
    // Every count in the reader's digits.
    const counts = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, num(language, v)]));
    const text = t("broadcast.progress", {
      ...counts,
      eta,
      responses: b.imIn ? `${t("broadcast.responses", { count: num(language, responses) })}\n` : "",
    });
    const buttons =
      b.status === "running"
        ? [{ text: t("broadcast.pause"), callback_data: broadcastControl.pack("pause", b.id) }]
        : b.status === "paused"
          ? [{ text: t("broadcast.resume"), callback_data: broadcastControl.pack("resume", b.id) }]
          : [];
    if (b.status === "running" || b.status === "paused")
      buttons.push({ text: t("broadcast.stop"), callback_data: broadcastControl.pack("cancel", b.id) });
    const markup: InlineKeyboardMarkup = { inline_keyboard: buttons.length ? [buttons] : [] };
    return { text, markup };
  }

  /** Refreshes every watched progress message once. */
  async tick(only?: string): Promise<void> {
    for (const [id, w] of this.#watches) {
      if (only && id !== only) continue;
      try {
        const b = await this.store.deliveries.getBroadcast(id);
        if (!b) {
          this.#watches.delete(id);
          continue;
        }
        const responses = b.imIn ? await this.store.deliveries.responses(id) : 0;
        const { text, markup } = this.render(
          b,
          await this.store.deliveries.progress(id),
          w.language,
          w.startedAt,
          responses,
        );
        if (text !== w.lastText) {
          await this.apiFor(w.platform)?.editMessageText(w.chatId, w.messageId, text, { reply_markup: markup });
          w.lastText = text;
        }
        if (b.status === "done" || b.status === "cancelled") this.#watches.delete(id);
      } catch (err) {
        this.logger.warn({ err: (err as Error).message, broadcast: id }, "progress message not updated");
      }
    }
    if (this.#watches.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
