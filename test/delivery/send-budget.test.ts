import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import {
  memoryBackend,
  redisBackend,
  SendBudget,
  sqliteBackend,
  type BudgetBackend,
  type Lane,
} from "../../src/delivery/budget/index.js";
import {
  bulkCeiling,
  chatTag,
  DEFAULT_LIMITS,
  emptyState,
  rateLimited,
  restamp,
  take,
  type BudgetLimits,
  type BudgetState,
} from "../../src/delivery/budget/policy.js";
import { densestWindow } from "../../src/playground/bot-api/simulator.js";
import { fakeClock } from "../support/clock.js";
import { tempDir } from "../support/config.js";

const redisUrl = process.env.REDIS_URL;
const limits = (rate: number, bulkRate = rate): BudgetLimits => ({ ...DEFAULT_LIMITS, rate, bulkRate });
const CHAT = { perChatPerSecond: 1, perGroupPerMinute: 20 };

describe("the send budget's rule (a pure function, a fake clock)", () => {
  /** Two processes asking every millisecond for `ms`: the admission times. */
  function simulate(l: BudgetLimits, ms: number, lanes: Record<string, Lane>, from = 0) {
    const s = emptyState();
    const admitted: Record<string, number[]> = Object.fromEntries(Object.keys(lanes).map((p) => [p, []]));
    for (let now = from; now < from + ms; now++)
      for (const [proc, lane] of Object.entries(lanes)) {
        const waiting: [number, number, number] = [0, 0, 0];
        waiting[["reply", "urgent", "bulk"].indexOf(lane)] = 5;
        if (take(s, l, { proc, lane, waiting, now }).admitted) admitted[proc]!.push(now);
      }
    return { s, admitted };
  }

  it("never admits more than the rate in any second, whoever asks, and uses all of it", () => {
    const { admitted } = simulate(limits(30), 5000, { a: "bulk", b: "bulk", c: "reply" });
    const all = Object.values(admitted)
      .flat()
      .sort((x, y) => x - y);
    expect(densestWindow(all)).toBe(30);
    // 30 every 1030 ms (the window's margin): 5 s carry 145.
    expect(all.length).toBeGreaterThanOrEqual(145);
  });

  it("admits a waiting reply of another process before any further broadcast", () => {
    const l = limits(30);
    const s = emptyState();
    for (let now = 0; now < 999; now++) take(s, l, { proc: "bot", lane: "bulk", waiting: [0, 0, 9], now });
    expect(s.sends).toHaveLength(30);
    // The window is full: the reply is refused too, but its demand is on record.
    expect(take(s, l, { proc: "web", lane: "reply", waiting: [1, 0, 0], now: 999 })).toMatchObject({
      admitted: false,
      reason: "window",
    });
    let now = 999;
    let bulk = 0;
    for (; now < 1200; now++) {
      if (take(s, l, { proc: "bot", lane: "bulk", waiting: [0, 0, 9], now }).admitted) bulk++;
      if (take(s, l, { proc: "web", lane: "reply", waiting: [1, 0, 0], now }).admitted) break;
    }
    expect(bulk).toBe(0);
    expect(now).toBeLessThan(1100);
  });

  it("keeps a broadcast under its own ceiling, the rest left to replies", () => {
    const { admitted } = simulate(limits(30, 10), 3000, { a: "bulk", b: "reply" });
    expect(densestWindow(admitted.a!)).toBeLessThanOrEqual(10);
    expect(densestWindow([...admitted.a!, ...admitted.b!].sort((x, y) => x - y))).toBeLessThanOrEqual(30);
  });

  it("after a 429 pauses every lane, then cuts the broadcast ceiling by half and recovers it", () => {
    const l = limits(30);
    const s = emptyState();
    rateLimited(s, 2, 10_000);
    for (const lane of ["reply", "urgent", "bulk"] as const)
      expect(take(s, l, { proc: "p", lane, waiting: [1, 1, 1], now: 11_000 })).toMatchObject({
        admitted: false,
        reason: "paused",
      });
    expect(bulkCeiling(s, l, 10_000)).toBe(15);
    expect(bulkCeiling(s, l, 12_000)).toBe(16);
    expect(bulkCeiling(s, l, 10_000 + 15_000)).toBeCloseTo(22.5);
    expect(bulkCeiling(s, l, 10_000 + 30_000)).toBe(30);
    let n = 0;
    for (let now = 12_000; now < 13_000; now++)
      if (take(s, l, { proc: "p", lane: "bulk", waiting: [0, 0, 9], now }).admitted) n++;
    // 2 s into the recovery the ceiling is 30 × (0.5 + 0.5 × 2/30) = 16.
    expect(n).toBe(16);
    let replies = 0;
    for (let now = 13_000; now < 14_000; now++)
      if (take(s, l, { proc: "q", lane: "reply", waiting: [9, 0, 0], now }).admitted) replies++;
    // Replies are not cut by the broadcast's back-off: they keep their share while the broadcast waits (55 %).
    expect(replies).toBeGreaterThanOrEqual(Math.floor(30 * (1 - DEFAULT_LIMITS.floor)));
  });

  /**
   * Every millisecond for `ms`: process "web" has a reply waiting to one of `chats` chats (round robin), and
   * process "engine" has `pushes` waiting. The admissions of each lane.
   */
  function contend(l: BudgetLimits, ms: number, chats: number, pushes: Lane[]) {
    const s = emptyState();
    const got = { reply: [] as number[], urgent: [] as number[], bulk: [] as number[] };
    let next = 0;
    for (let now = 0; now < ms; now++) {
      if (take(s, l, { proc: "web", lane: "reply", waiting: [9, 0, 0], now, chat: chatTag(next % chats) }).admitted) {
        got.reply.push(now);
        next++;
      }
      for (const lane of pushes) {
        const waiting: [number, number, number] = [
          0,
          pushes.includes("urgent") ? 9 : 0,
          pushes.includes("bulk") ? 9 : 0,
        ];
        if (take(s, l, { proc: "engine", lane, waiting, now }).admitted) {
          got[lane].push(now);
          break;
        }
      }
    }
    return got;
  }

  it("keeps a floor of the budget for pushes while a few chats' replies would take all of it", () => {
    // Eight accounts' replies against a broadcast on Bale's 15 a second, for 10 s.
    const got = contend(limits(15), 10_000, 8, ["bulk"]);
    const total = got.reply.length + got.bulk.length;
    expect(densestWindow([...got.reply, ...got.bulk].sort((a, b) => a - b))).toBeLessThanOrEqual(15);
    expect(got.bulk.length / total).toBeGreaterThanOrEqual(0.3);
    expect(got.bulk.length / 10).toBeGreaterThanOrEqual(0.3 * 15);
    // Replies still get the rest: the budget is used whole.
    expect(total).toBeGreaterThanOrEqual(140);
  });

  it("lets replies take the whole budget when they come from many distinct chats (a real surge), and all of it with no push waiting", () => {
    const surge = contend(limits(15), 10_000, 200, ["bulk"]);
    expect(surge.reply.length / (surge.reply.length + surge.bulk.length)).toBeGreaterThan(0.9);
    const alone = contend(limits(15), 10_000, 8, []);
    expect(alone.reply.length).toBeGreaterThanOrEqual(140);
  });

  it("serves urgent pushes before bulk within the floor", () => {
    const got = contend(limits(15), 10_000, 8, ["urgent", "bulk"]);
    expect(got.urgent.length / 10).toBeGreaterThanOrEqual(0.3 * 15);
    expect(got.bulk.length).toBe(0);
  });

  it("a push is not held back by another process's replies beyond their share", () => {
    const l = limits(10);
    const s = emptyState();
    // Seven replies to one chat fill its share of the window; the web process says 50 more wait.
    for (let now = 0; now < 700; now += 100)
      expect(take(s, l, { proc: "web", lane: "reply", waiting: [50, 0, 0], now, chat: chatTag(1) }).admitted).toBe(
        true,
      );
    expect(take(s, l, { proc: "web", lane: "reply", waiting: [50, 1, 0], now: 800, chat: chatTag(1) })).toMatchObject({
      admitted: false,
      reason: "reply-share",
    });
    expect(take(s, l, { proc: "engine", lane: "bulk", waiting: [0, 0, 5], now: 800 }).admitted).toBe(true);
  });

  it("forgets a dead process's demand after two seconds", () => {
    const l = limits(5);
    const s = emptyState();
    take(s, l, { proc: "dead", lane: "reply", waiting: [50, 0, 0], now: 0 });
    expect(take(s, l, { proc: "live", lane: "bulk", waiting: [0, 0, 1], now: 500 }).admitted).toBe(false);
    expect(take(s, l, { proc: "live", lane: "bulk", waiting: [0, 0, 1], now: 2100 }).admitted).toBe(true);
  });
});

/** Backends to run the same tests on: `processes` budgets on one shared state. */
const backends: [string, (() => { make: () => BudgetBackend; close?: () => void }) | null][] = [
  [
    "SQLite (DATA_DIR/send-budget.db)",
    () => {
      const file = join(tempDir(), "send-budget.db");
      return { make: () => sqliteBackend(file) };
    },
  ],
  [
    redisUrl ? "Redis" : "Redis (skipped: REDIS_URL not set)",
    redisUrl
      ? () => {
          const prefix = `test-${randomUUID()}:`;
          const conns: Redis[] = [];
          return {
            make: () => {
              const r = new Redis(redisUrl, { keyPrefix: prefix });
              conns.push(r);
              return redisBackend(r);
            },
            close: () => conns.forEach((c) => c.disconnect()),
          };
        }
      : null,
  ],
];

describe.each(backends)("the send budget shared by processes: %s", (_name, setup) => {
  const budgets: SendBudget[] = [];
  let cleanup: (() => void) | undefined;
  afterEach(async () => {
    for (const b of budgets.splice(0)) await b.close();
    cleanup?.();
  });
  const open = (n: number, rate: number, bulkRate = rate) => {
    const { make, close } = setup!();
    cleanup = close;
    for (let i = 0; i < n; i++)
      budgets.push(
        new SendBudget(make(), [{ platform: "telegram", token: "1:t", rate, bulkRate, chat: CHAT }], { proc: `p${i}` }),
      );
    return budgets;
  };
  const run = async (b: SendBudget, lane: Lane, n: number, times: number[]) => {
    await Promise.all(
      Array.from({ length: n }, async () => {
        await b.acquire("telegram", lane);
        times.push(Date.now());
      }),
    );
  };

  it.skipIf(!setup)("two processes sending at once keep to the rate together", async () => {
    const [a, b] = open(2, 20);
    const times: number[] = [];
    const started = Date.now();
    await Promise.all([run(a!, "bulk", 30, times), run(b!, "urgent", 30, times)]);
    times.sort((x, y) => x - y);
    // Seen when each caller resumed, a few ms after its admission: one more than the rate may show.
    expect(densestWindow(times)).toBeLessThanOrEqual(21);
    // 60 at 20/s: the first 20 in the first second, the last 20 after the second second began.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it.skipIf(!setup)("a reply in one process overtakes a running broadcast in another", async () => {
    const [bot, web] = open(2, 20);
    const bulk: number[] = [];
    const broadcast = run(bot!, "bulk", 60, bulk);
    await new Promise((r) => setTimeout(r, 1100));
    const asked = Date.now();
    await web!.acquire("telegram", "reply");
    const waited = Date.now() - asked;
    const bulkBefore = bulk.filter((t) => t < asked).length;
    await broadcast;
    // At 20/s the broadcast had 40 to go; the reply waited at most for one slot to free, not behind them.
    expect(bulkBefore).toBeLessThan(40);
    expect(waited).toBeLessThan(600);
  });

  it.skipIf(!setup)("a 429 in one process pauses every lane of the token in every process", async () => {
    const [a, b] = open(2, 1000);
    const paused = Date.now();
    await a!.rateLimited("telegram", "bulk", 0.4);
    await b!.acquire("telegram", "reply");
    expect(Date.now() - paused).toBeGreaterThanOrEqual(380);
  });

  it.skipIf(!setup)("knows whether another process runs a delivery engine (the CLI's lease test)", async () => {
    const [bot, cli] = open(2, 30);
    expect(await cli!.liveEngines("telegram")).toBe(0);
    bot!.start({ engine: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(await cli!.liveEngines("telegram")).toBe(1);
    await bot!.close();
    budgets.splice(budgets.indexOf(bot!), 1);
    expect(await cli!.liveEngines("telegram")).toBe(0);
  });
});

describe("an admission whose shared write was slow", () => {
  it("is counted from when its send went, not when it was decided", () => {
    const l = limits(2);
    const s = emptyState();
    expect(take(s, l, { proc: "a", lane: "bulk", waiting: [0, 0, 1], now: 0 }).admitted).toBe(true);
    expect(take(s, l, { proc: "a", lane: "bulk", waiting: [0, 0, 1], now: 500 }).admitted).toBe(true);
    // The first one went 80 ms after its decision.
    restamp(s, "bulk", 0, 80);
    expect(s.sends).toEqual([
      [80, 2],
      [500, 2],
    ]);
    // The window frees 80 ms later than it would have.
    expect(take(s, l, { proc: "a", lane: "bulk", waiting: [0, 0, 1], now: DEFAULT_LIMITS.windowMs + 1 }).admitted).toBe(
      false,
    );
    expect(
      take(s, l, { proc: "a", lane: "bulk", waiting: [0, 0, 1], now: DEFAULT_LIMITS.windowMs + 81 }).admitted,
    ).toBe(true);
  });

  it("is recorded again at the time it went, by the process that sent it", async () => {
    const inner = memoryBackend();
    const clock = fakeClock();
    let slow = true;
    let state: BudgetState | undefined;
    // A shared backend whose writes take 60 ms (Redis on a busy machine), on a clock that moves only so.
    const backend: BudgetBackend = {
      kind: "redis",
      shared: true,
      update: async (key, fn) => {
        const out = await inner.update(key, (st) => ((state = st), fn(st)));
        if (slow) {
          // The admission's write is the slow one.
          slow = false;
          clock.advance(60);
        }
        return out;
      },
      close: async () => {},
    };
    const b = new SendBudget(backend, [{ platform: "telegram", token: "1:t", rate: 20, bulkRate: 20, chat: CHAT }], {
      proc: "a",
      clock,
    });
    try {
      const before = clock.now();
      await b.acquire("telegram", "bulk");
      const went = clock.now();
      // The restamp is written after the caller resumes.
      for (let i = 0; i < 20 && (state!.sends[0]![0] as number) === before; i++) await new Promise(setImmediate);
      const [[at]] = state!.sends as [[number, number]];
      // Decided at once, went 60 ms later: recorded when it went.
      expect(at - before).toBe(60);
      expect(at).toBe(went);
    } finally {
      await b.close();
    }
  });
});

describe("the send budget when its shared backend fails", () => {
  it("goes on at this process's share (the rate over the processes seen), and hands its sends back", async () => {
    const shared = memoryBackend();
    const keys = new Set<string>();
    let down = false;
    const flaky: BudgetBackend = {
      kind: "redis",
      shared: true,
      update: (key, fn) => {
        keys.add(key);
        return down ? Promise.reject(new Error("Connection is closed.")) : shared.update(key, fn);
      },
      close: async () => {},
    };
    const bots = [{ platform: "telegram" as const, token: "1:t", rate: 20, bulkRate: 20, chat: CHAT }];
    const a = new SendBudget(flaky, bots, { proc: "a", heartbeatMs: 20 });
    const other = new SendBudget(shared, bots, { proc: "b", heartbeatMs: 20 });
    try {
      other.start({ engine: true });
      a.start({ engine: true });
      await new Promise((r) => setTimeout(r, 100));
      down = true;
      const times: number[] = [];
      const t0 = Date.now();
      await Promise.all(
        Array.from({ length: 15 }, async () => {
          await a.acquire("telegram", "bulk");
          times.push(Date.now());
        }),
      );
      // Two processes were seen: 10 a second of its own.
      expect(densestWindow(times)).toBeLessThanOrEqual(10);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
      down = false;
      // Tried again within a quarter of a second (the heartbeat): what it sent while away joins the shared window.
      await new Promise((r) => setTimeout(r, 400));
      const [key] = keys;
      const now = Date.now();
      const inWindow = await shared.update(key!, (s) => s.sends.filter(([at]) => at > now - 1000).length);
      const own = times.filter((t) => t > now - 1000).length;
      expect(own).toBeGreaterThan(0);
      expect(inWindow).toBeGreaterThanOrEqual(own - 1);
    } finally {
      await a.close();
      await other.close();
    }
  });
});

describe("per-chat limits (this process)", () => {
  it("spaces pushes to one person a second apart, 20 a minute to a group, and lets a short burst of replies go at once", async () => {
    const { ChatPacer, REPLY_BURST } = await import("../../src/delivery/budget/chat-pacer.js");
    const p = new ChatPacer(CHAT);
    expect([0, 0, 0].map(() => p.reserve("7", false, 1000))).toEqual([0, 1000, 2000]);
    expect(Array.from({ length: 21 }, () => p.reserve("-100", false, 0)).at(-1)).toBe(60_000);
    // An answer and the next question: a burst of replies goes at once.
    const q = new ChatPacer(CHAT);
    for (let i = 0; i < REPLY_BURST; i++) expect(q.reserve("8", true, 5000 + i * 10)).toBe(0);
    // Beyond the burst, one person's replies are paced at the chat's rate: a second apart.
    const paced = Array.from({ length: 4 }, (_, i) => q.reserve("8", true, 5100 + i * 10));
    expect(paced).toEqual([900, 1890, 2880, 3870]);
    // A push waits a second after the last of them (at 9000), no more: replies leave no debt behind them.
    expect(q.reserve("8", false, 5200)).toBe(10_000 - 5200);
    // After a quiet spell the burst is whole again.
    const later = 5000 + (REPLY_BURST + 5) * 1000 + 20_000;
    for (let i = 0; i < REPLY_BURST; i++) expect(q.reserve("8", true, later)).toBe(0);
    // However large the burst (REPLY_BURST lifted), a push after twenty replies waits one interval, not twenty.
    const lifted = new ChatPacer({ ...CHAT, replyBurst: 100_000 });
    for (let i = 0; i < 20; i++) expect(lifted.reserve("9", true, 1000)).toBe(0);
    expect(lifted.reserve("9", false, 1000)).toBe(1000);
    // A group's replies keep to 20 a minute.
    expect(q.reserve("-5", true, 0)).toBe(0);
    expect(q.reserve("-5", true, 0)).toBe(3000);
  });
});

describe("a call abandoned while it waits", () => {
  it("leaves the queue (its slot goes to the next) and rejects with the reason", async () => {
    const b = new SendBudget(memoryBackend(), [
      { platform: "telegram", token: "1:t", rate: 1, bulkRate: 1, chat: CHAT },
    ]);
    try {
      await b.acquire("telegram", "reply");
      const abandon = new AbortController();
      const waiting = b.acquire("telegram", "reply", undefined, abandon.signal);
      const next = b.acquire("telegram", "reply");
      await new Promise((r) => setTimeout(r, 100));
      expect(b.waiting("telegram").reply).toBe(2);
      abandon.abort(new Error("call timed out"));
      await expect(waiting).rejects.toThrow("call timed out");
      expect(b.waiting("telegram").reply).toBe(1);
      const t = Date.now();
      await next;
      // The next one took the freed slot: about a second after the first, not two.
      expect(Date.now() - t).toBeLessThan(1100);
    } finally {
      await b.close();
    }
  });
});
