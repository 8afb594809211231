import { sendJson, type HttpServer } from "./http.js";

export type Probe = () => Promise<void>;

const withTimeout = (p: Promise<void>, ms: number) =>
  Promise.race([p, new Promise<void>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref())]);

/** Whether a probe answers within `ms`. */
export const answers = (probe: Probe, ms: number): Promise<boolean> =>
  withTimeout(probe(), ms).then(
    () => true,
    () => false,
  );

/**
 * `/healthz`: the process answers. `/readyz`: every required dependency (the
 * store) answers within 2 s — else 503, so the proxy sends updates to another
 * worker. An optional one (Redis) that is down leaves the worker ready but
 * `degraded`: it stands in for it and keeps answering.
 */
export function mountHealth(
  server: HttpServer,
  required: Record<string, Probe>,
  optional: Record<string, Probe> = {},
): void {
  const check = async (name: string, probe: Probe, down: string) => {
    try {
      await withTimeout(probe(), 2000);
      return [name, "ok"] as const;
    } catch {
      // Only the verdict: a dependency's error names hosts, users and paths, and readiness is public.
      return [name, down] as const;
    }
  };
  server.route("GET", "/healthz", (_req, res) => sendJson(res, 200, { status: "ok" }));
  server.route("GET", "/readyz", async (_req, res) => {
    const checks = await Promise.all([
      ...Object.entries(required).map(([name, probe]) => check(name, probe, "down")),
      ...Object.entries(optional).map(([name, probe]) => check(name, probe, "degraded")),
    ]);
    const ready = checks.every(([, s]) => s !== "down");
    const degraded = checks.some(([, s]) => s === "degraded");
    sendJson(res, ready ? 200 : 503, {
      status: ready ? (degraded ? "degraded" : "ready") : "not ready",
      checks: Object.fromEntries(checks),
    });
  });
}
