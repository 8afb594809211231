/** A CLI command's output, captured: what it logged and what it reported as errors. */
export const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { log: (s: string) => void out.push(s), error: (s: string) => void err.push(s) } };
};
