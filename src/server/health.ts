import { sendJson, type HttpServer } from "./http.js";

export type Probe = () => Promise<void>;

const withTimeout = (p: Promise<void>, ms: number) =>
  Promise.race([p, new Promise<void>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref())]);

/** `/healthz`: the process answers. `/readyz`: every named dependency answers within 2 s. */
export function mountHealth(server: HttpServer, probes: Record<string, Probe>): void {
  server.route("GET", "/healthz", (_req, res) => sendJson(res, 200, { status: "ok" }));
  server.route("GET", "/readyz", async (_req, res) => {
    const checks = await Promise.all(
      Object.entries(probes).map(async ([name, probe]) => {
        try {
          await withTimeout(probe(), 2000);
          return [name, "ok"] as const;
        } catch (e) {
          return [name, `down: ${(e as Error).message}`] as const;
        }
      }),
    );
    const ready = checks.every(([, s]) => s === "ok");
    sendJson(res, ready ? 200 : 503, { status: ready ? "ready" : "not ready", checks: Object.fromEntries(checks) });
  });
}
