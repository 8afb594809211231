/** MongoDB's duplicate-key error (E11000): a unique index refused the write. */
export const isDuplicateKey = (e: unknown): e is Error & { code: 11000 } =>
  typeof e === "object" && e !== null && "code" in e && e.code === 11000;
