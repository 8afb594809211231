/** Form fields that may repeat (checkboxes): always a list of strings. */
export const listOf = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === "string");
