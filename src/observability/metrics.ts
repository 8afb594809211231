import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * Prometheus metrics (prom-client), one registry per app so tests and several
 * apps in one process do not share counters. Served at `/metrics`.
 */
export interface Metrics {
  registry: Registry;
  updates: Counter<"platform" | "type">;
  handlerSeconds: Histogram<"platform">;
  deliveries: Counter<"platform" | "status">;
  /** The send budget, per platform and lane (reply, urgent, bulk). */
  sends: Counter<"platform" | "lane">;
  sendWaitSeconds: Counter<"platform" | "lane">;
  rateLimited: Counter<"platform" | "lane">;
  conversations: Counter<"conversation" | "event">;
  steps: Counter<"conversation" | "step">;
  /** Unhandled rejections and uncaught exceptions (src/runtime/process-guards.ts). */
  processFaults: Counter<"kind">;
  /** Requests and updates refused by a defence, by which one (bad_target, flood, verify_rate, …). */
  refused: Counter<"defence">;
}

export function createMetrics(
  outboxDepth: () => Promise<number>,
  dependencies: Record<string, () => Promise<boolean>> = {},
): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "hamdel_" });
  const metrics: Metrics = {
    registry,
    updates: new Counter({
      name: "hamdel_updates_total",
      help: "Updates received, by platform and kind (message, callback_query, …).",
      labelNames: ["platform", "type"],
      registers: [registry],
    }),
    handlerSeconds: new Histogram({
      name: "hamdel_handler_seconds",
      help: "Time to handle one update.",
      labelNames: ["platform"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    deliveries: new Counter({
      name: "hamdel_deliveries_total",
      help: "Outbox deliveries settled, by platform and outcome.",
      labelNames: ["platform", "status"],
      registers: [registry],
    }),
    sends: new Counter({
      name: "hamdel_sends_total",
      help: "Messages let through the bot's send budget, by platform and lane (reply, urgent, bulk).",
      labelNames: ["platform", "lane"],
      registers: [registry],
    }),
    sendWaitSeconds: new Counter({
      name: "hamdel_send_wait_seconds_total",
      help: "Time messages waited for the send budget (per-chat and per-bot limits), by platform and lane.",
      labelNames: ["platform", "lane"],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: "hamdel_rate_limited_total",
      help: "429 answers from the platform (every lane of the bot then waits retry_after), by the lane that got it.",
      labelNames: ["platform", "lane"],
      registers: [registry],
    }),
    conversations: new Counter({
      name: "hamdel_conversations_total",
      help: "Conversations entered and completed (the difference is drop-off).",
      labelNames: ["conversation", "event"],
      registers: [registry],
    }),
    steps: new Counter({
      name: "hamdel_conversation_steps_total",
      help: "Times a conversation step was asked; where the count falls from one step to the next, people left.",
      labelNames: ["conversation", "step"],
      registers: [registry],
    }),
    processFaults: new Counter({
      name: "hamdel_process_faults_total",
      help: "Unhandled rejections (logged, served on) and uncaught exceptions (logged, process exits for its supervisor).",
      labelNames: ["kind"],
      registers: [registry],
    }),
    refused: new Counter({
      name: "hamdel_refused_total",
      help: "Requests and updates refused by a defence (flood guard, rate limits, bad request targets), by defence.",
      labelNames: ["defence"],
      registers: [registry],
    }),
  };
  new Gauge({
    name: "hamdel_outbox_depth",
    help: "Deliveries waiting in the outbox.",
    registers: [registry],
    async collect() {
      // While the store is down the last reading stands (hamdel_dependency_up says why).
      const depth = await outboxDepth().catch(() => undefined);
      if (depth !== undefined) this.set(depth);
    },
  });
  new Gauge({
    name: "hamdel_dependency_up",
    help: "1 while a dependency answers (store, state); 0 while it is down and the worker is degraded.",
    labelNames: ["dependency"],
    registers: [registry],
    async collect() {
      for (const [dependency, up] of Object.entries(dependencies))
        this.set({ dependency }, (await up().catch(() => false)) ? 1 : 0);
    },
  });
  return metrics;
}

/** The kind of an update: its one payload field besides `update_id`. */
export const updateType = (update: object) => Object.keys(update).find((k) => k !== "update_id") ?? "unknown";
