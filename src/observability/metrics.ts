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
  rateLimitWaits: Counter<"platform">;
  conversations: Counter<"conversation" | "event">;
}

export function createMetrics(outboxDepth: () => Promise<number>): Metrics {
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
    rateLimitWaits: new Counter({
      name: "hamdel_rate_limit_waits_total",
      help: "Times the platform answered 429 and sending paused for retry_after.",
      labelNames: ["platform"],
      registers: [registry],
    }),
    conversations: new Counter({
      name: "hamdel_conversations_total",
      help: "Conversations entered and completed (the difference is drop-off).",
      labelNames: ["conversation", "event"],
      registers: [registry],
    }),
  };
  new Gauge({
    name: "hamdel_outbox_depth",
    help: "Deliveries waiting in the outbox.",
    registers: [registry],
    async collect() {
      this.set(await outboxDepth());
    },
  });
  return metrics;
}

/** The kind of an update: its one payload field besides `update_id`. */
export const updateType = (update: object) => Object.keys(update).find((k) => k !== "update_id") ?? "unknown";
