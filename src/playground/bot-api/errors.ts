/** A Bot API error answer, in Telegram's shape. */
export class ApiFault extends Error {
  override readonly name = "ApiFault";
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(description);
  }

  toJSON() {
    return {
      ok: false,
      error_code: this.errorCode,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}

export const badRequest = (what: string) => new ApiFault(400, `Bad Request: ${what}`);
export const forbidden = (what: string) => new ApiFault(403, `Forbidden: ${what}`);
export const tooManyRequests = (retryAfter: number) =>
  new ApiFault(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
