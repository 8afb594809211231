/**
 * What a validation or a service returns: a value, or why not — a short code
 * (a refusal such as `forbidden`, or what is wrong with an input), which the
 * caller turns into words (a locale key, or the CLI's English).
 */
export type Result<T, E extends string = string> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E extends string>(error: E): Result<never, E> => ({ ok: false, error });
