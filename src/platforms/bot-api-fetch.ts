import type { Readable } from "node:stream";
import { Agent, request } from "undici";

/**
 * The HTTP client behind grammY's Bot API calls (its `client.fetch` option):
 * undici's `request` over a keep-alive connection pool, instead of grammY's
 * default on Node (node-fetch on `node:http`), which was the dearest part of
 * each call under load (`npm run bench:load`, `docs/benchmarks.md`).
 *
 * grammY uses only this much of `fetch`: POST with its headers and a JSON
 * string or a multipart stream (uploads), an abort signal (its timeouts), and
 * `json()` of the answer — the platform answers errors (400, 403, 429, 5xx)
 * with a JSON body too, which grammY reads. Network errors reject, as
 * `fetch`'s do, and grammY wraps them into `HttpError` for auto-retry.
 */
const pool = new Agent({ keepAliveTimeout: 30_000, connections: 128 });

interface GrammyRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Readable;
  signal?: AbortSignal;
}

export const botApiFetch = (async (url: string, init: GrammyRequest = {}) => {
  const res = await request(url, {
    method: (init.method ?? "GET") as "POST",
    headers: init.headers,
    body: init.body,
    signal: init.signal,
    dispatcher: pool,
  });
  return {
    ok: res.statusCode >= 200 && res.statusCode < 300,
    status: res.statusCode,
    json: () => res.body.json(),
  };
}) as unknown as typeof fetch;
