import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import proxyAddr from "proxy-addr";

/**
 * Whether a request that changes something came from another site's page.
 *
 * `Sec-Fetch-Site` first (every current browser sends it, and it is right
 * even where `Origin` is `null`: the console's `Referrer-Policy: no-referrer`
 * makes a browser send `Origin: null` on its own forms). Without it, an
 * `Origin` naming another host, or `null`, is cross-site. A request with
 * neither (the bots' own API calls, curl) comes from no page at all.
 */
export function crossSite(headers: IncomingHttpHeaders): boolean {
  const site = headers["sec-fetch-site"];
  if (typeof site === "string") return site !== "same-origin" && site !== "none";
  const origin = headers.origin;
  if (origin === undefined) return false;
  try {
    return origin === "null" || new URL(origin).host.toLowerCase() !== headers.host?.toLowerCase();
  } catch {
    return true;
  }
}

/**
 * The client's address: the socket's, unless it is one of the proxies
 * TRUST_PROXY names, whose `X-Forwarded-For` then says who is behind them
 * (proxy-addr, as Fastify and Express read it). A header sent past no
 * trusted proxy is ignored: it cannot buy a fresh rate limit.
 */
export function clientAddress(req: IncomingMessage, trusted: readonly string[]): string {
  if (trusted.length === 0) return req.socket.remoteAddress ?? "unknown";
  return proxyAddr(req, proxyAddr.compile([...trusted]));
}
