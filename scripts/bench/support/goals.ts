/**
 * A benchmark's goals, and its exit code. A goal about time (a latency, a
 * rate, no 429 from a platform's rate window) means something at a real
 * size on a quiet machine; a goal about correctness (every recipient once,
 * every registration finished) means something always. `bench:smoke` runs
 * each benchmark at a tiny size beside another one (BENCH_SMOKE=1): there,
 * timing goals are printed but do not decide, so that CI fails on a broken
 * benchmark or product, never on a busy machine's jitter.
 */
export type Goal = [goal: string, met: boolean, kind: "timing" | "correctness"];

export function judge(goals: Goal[], print: (label: string, value: string) => void): void {
  const smoke = process.env.BENCH_SMOKE === "1";
  for (const [goal, met, kind] of goals)
    print(goal, met ? "met" : smoke && kind === "timing" ? "not met (timing: not judged in a smoke run)" : "NOT MET");
  process.exitCode = goals.every(([, met, kind]) => met || (smoke && kind === "timing")) ? 0 : 1;
}
