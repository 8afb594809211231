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
  /**
   * Per chat: `tat`, the theoretical time of its next reply at the sustained
   * rate (a reply may run the burst ahead of it); `next`, the earliest time
   * of its next push (an interval after the last send, whatever it was).
   */
  readonly #chats = new Map<string, { tat: number; next: number }>();

  constructor(private readonly limits: ChatLimits) {}

  /**
   * Reserves the chat's next send and answers how long to wait for it.
   *
   * A reply to a person (`reply`) may go in a short burst (`replyBurst`
   * messages at once: an answer and the next question), so a person in a
   * conversation does not wait for their own chat. Beyond the burst, replies
   * to one chat are paced at the platform's per-chat rate: a few accounts
   * sending as fast as the flood guard lets them cannot buy more of the
   * bot's budget than one message a second each. A push to the chat waits a
   * full interval after its last send (replies leave no further debt).
   * Groups get no burst: 20 a minute, replies included.
   */
  reserve(chatId: string, reply: boolean, now: number): number {
    const group = chatId.startsWith("-");
    const interval = group ? 60_000 / this.limits.perGroupPerMinute : 1000 / this.limits.perChatPerSecond;
    const chat = this.#chats.get(chatId) ?? { tat: now, next: now };
    let at: number;
    if (reply && !group) {
      const tat = Math.max(chat.tat, now);
      at = Math.max(now, tat - ((this.limits.replyBurst ?? REPLY_BURST) - 1) * interval);
      chat.tat = tat + interval;
      chat.next = Math.max(chat.next, at + interval);
    } else {
      at = Math.max(now, chat.next);
      chat.next = at + interval;
    }
    this.#chats.set(chatId, chat);
    if (this.#chats.size > 10_000) this.#forget(now);
    return at - now;
  }

  #forget(now: number): void {
    for (const [id, chat] of this.#chats) if (chat.tat < now && chat.next < now) this.#chats.delete(id);
  }
}
