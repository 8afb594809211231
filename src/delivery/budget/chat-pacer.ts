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
  /** Replies to one person that may go at once (REPLY_BURST); {@link REPLY_BURST} when unset. */
  replyBurst?: number;
}

/** Replies to one person that may go at once before their chat's pace applies (the default of REPLY_BURST). */
export const REPLY_BURST = 4;

export class ChatPacer {
  /** Per chat: the theoretical time of its next send at the sustained rate. */
  readonly #tat = new Map<string, number>();

  constructor(private readonly limits: ChatLimits) {}

  /**
   * Reserves the chat's next send and answers how long to wait for it.
   *
   * A reply to a person (`reply`) may go in a short burst ({@link REPLY_BURST}
   * messages at once: an answer and the next question), so a person in a
   * conversation does not wait for their own chat. Beyond the burst, replies
   * to one chat are paced at the platform's per-chat rate like any push: a
   * few accounts sending as fast as the flood guard lets them cannot buy more
   * of the bot's budget than one message a second each. Every send is counted,
   * so a push to the same chat waits its turn after the replies. Groups get
   * no burst: 20 a minute, replies included.
   */
  reserve(chatId: string, reply: boolean, now = Date.now()): number {
    const group = chatId.startsWith("-");
    const interval = group ? 60_000 / this.limits.perGroupPerMinute : 1000 / this.limits.perChatPerSecond;
    const tat = Math.max(this.#tat.get(chatId) ?? now, now);
    this.#tat.set(chatId, tat + interval);
    if (this.#tat.size > 10_000) this.#forget(now);
    // A reply's burst: it may run REPLY_BURST − 1 intervals ahead of the sustained pace.
    const slack = reply && !group ? ((this.limits.replyBurst ?? REPLY_BURST) - 1) * interval : 0;
    return Math.max(0, tat - now - slack);
  }

  #forget(now: number): void {
    for (const [chat, tat] of this.#tat) if (tat < now) this.#tat.delete(chat);
  }
}
