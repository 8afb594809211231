/**
 * `npm run bench:smoke`: every benchmark under scripts/bench once, at a tiny
 * size, two at a time. It measures nothing worth recording: it proves each
 * still drives the product to the end (a benchmark that nothing runs rots:
 * `bench:load` once stopped at its first step for months). A benchmark that
 * exits non-zero (a goal it checks not met, a button it cannot find, a
 * crash) fails here, and `.ci/run` counts it. Ends with `N passed, N failed`.
 */
import { spawn } from "node:child_process";

interface Smoke {
  script: string;
  env: Record<string, string>;
}

/** Each benchmark at the smallest size that still exercises every phase it has. */
const SMOKES: Smoke[] = [
  { script: "attack", env: { BENCH_RECIPIENTS: "120", BENCH_ATTACKERS: "2", BENCH_PRESSERS: "4", BENCH_PHASE_S: "2" } },
  {
    script: "load",
    env: { BENCH_USERS: "4", BENCH_CONCURRENT: "2", BENCH_ROUNDS: "1", BENCH_WARMUP: "1", BENCH_SETTLE_MS: "0" },
  },
  { script: "surge", env: { BENCH_PEOPLE: "3", BENCH_RECIPIENTS: "30" } },
  { script: "broadcast", env: { BENCH_RECIPIENTS: "200" } },
  { script: "console", env: { BENCH_VOLUNTEERS: "600", BENCH_ROUNDS: "2", BENCH_PAGE: "2" } },
  { script: "match", env: { BENCH_VOLUNTEERS: "2000", BENCH_QUERIES: "5" } },
  { script: "service-day", env: { BENCH_SESSIONS: "50" } },
];

function run({ script, env }: Smoke): Promise<{ script: string; ok: boolean; seconds: number; output: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", `scripts/bench/${script}.ts`], {
      // A smoke run judges what a benchmark proves at any size, not its timings (support/goals.ts).
      env: { ...process.env, BENCH_SMOKE: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    // A benchmark that hangs is a failure too (the biggest takes about 30 s at this size).
    const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ script, ok: code === 0, seconds: (performance.now() - started) / 1000, output });
    });
  });
}

const queue = [...SMOKES];
const results: Awaited<ReturnType<typeof run>>[] = [];
await Promise.all(
  Array.from({ length: 2 }, async () => {
    for (let s = queue.shift(); s; s = queue.shift()) {
      const r = await run(s);
      console.log(`${r.ok ? "✓" : "✗"} bench:${r.script} (${r.seconds.toFixed(0)} s)`);
      if (!r.ok) console.log(r.output.slice(-4000).replace(/^/gm, "    "));
      results.push(r);
    }
  }),
);
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
