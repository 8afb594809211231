/**
 * The platform's per-chat limits, kept in this process: about one message a
 * second to one person and 20 a minute to one group.
 * Each chat's sends are reserved in order (the next one's earliest time),
 * so concurrent sends to one chat queue up instead of racing.
 *
 * They are not shared between processes: one person's conversation is
 * handled by one process at a time, and the delivery engine keeps a chat's
 * messages in order. The platform's total is what must be shared.
 */
export interface ChatLimits {
  perChatPerSecond: number;
  perGroupPerMinute: number;
}

export class ChatPacer {
  /** Per chat: the theoretical time of its next send at the sustained rate. */
  readonly #tat = new Map<string, number>();

  constructor(private readonly limits: ChatLimits) {}

  /**
   * Reserves the chat's next send and answers how long to wait for it.
   *
   * A reply to a person (`reply`) never waits for their chat: it answers
   * what they just sent, so their own pace (and the flood guard, a few
   * updates a second) bounds it, and the platform allows short bursts. It is
   * still counted, so that a push to the same chat waits its turn after it.
   * Groups get no such leave: 20 a minute, replies included.
   */
  reserve(chatId: string, reply: boolean, now = Date.now()): number {
    const group = chatId.startsWith("-");
    const interval = group ? 60_000 / this.limits.perGroupPerMinute : 1000 / this.limits.perChatPerSecond;
    const tat = Math.max(this.#tat.get(chatId) ?? now, now);
    if (reply && !group) {
      // Goes now; the chat's next push waits a full interval after it (replies do not pile up a debt).
      this.#tat.set(chatId, Math.max(tat, now + interval));
      if (this.#tat.size > 10_000) this.#forget(now);
      return 0;
    }
    this.#tat.set(chatId, tat + interval);
    if (this.#tat.size > 10_000) this.#forget(now);
    return tat - now;
  }

  #forget(now: number): void {
    for (const [chat, tat] of this.#tat) if (tat < now) this.#tat.delete(chat);
  }
}
