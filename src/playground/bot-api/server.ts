import type { IncomingMessage } from "node:http";
import busboy from "busboy";
import type { Logger } from "../../logger.js";
import { sendJson, type HttpServer } from "../../server/http.js";
import { ApiFault } from "./errors.js";
import type { BotApiSimulator, Params, SimBot } from "./simulator.js";

type Files = Map<string, { bytes: Buffer; mime: string; name: string }>;

/** Telegram's own limit on an upload through the Bot API. */
export const BOT_API_MAX_BODY = 50 * 1024 * 1024;

/** Parses a multipart or urlencoded body with busboy (file uploads: sendPhoto, sendDocument). */
export function parseForm(contentType: string, body: Buffer, params: Params, files: Files): Promise<void> {
  return new Promise((resolve, reject) => {
    let form: busboy.Busboy;
    try {
      form = busboy({ headers: { "content-type": contentType } });
    } catch {
      return reject(new ApiFault(400, "Bad Request: can't parse multipart body"));
    }
    form.on("field", (name, value) => (params[name] = value));
    form.on("file", (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () =>
        files.set(name, { bytes: Buffer.concat(chunks), mime: info.mimeType, name: info.filename ?? name }),
      );
    });
    form.on("close", () => resolve());
    form.on("error", () => reject(new ApiFault(400, "Bad Request: can't parse multipart body")));
    form.end(body);
  });
}

/** Reads Bot API parameters from a query string, JSON, urlencoded or multipart body. */
async function readParams(req: IncomingMessage, url: URL, body: Buffer): Promise<{ params: Params; files: Files }> {
  const params: Params = Object.fromEntries(url.searchParams);
  const files: Files = new Map();
  const type = req.headers["content-type"] ?? "";
  if (body.length === 0) return { params, files };
  if (type.includes("application/json")) {
    try {
      Object.assign(params, JSON.parse(body.toString("utf8")));
    } catch {
      throw new ApiFault(400, "Bad Request: can't parse JSON");
    }
  } else if (type.includes("multipart/form-data") || type.includes("application/x-www-form-urlencoded")) {
    await parseForm(type, body, params, files);
  }
  return { params, files };
}

/** Serves `/bot<token>/<method>` from the simulator, with Telegram's answer shapes. */
export function mountBotApi(server: HttpServer, sim: BotApiSimulator, logger: Logger): void {
  const handler = async (req: IncomingMessage, res: import("node:http").ServerResponse, url: URL, body: Buffer) => {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) return sendJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    const [, token, method] = match as unknown as [string, string, string];
    try {
      const { params, files } = await readParams(req, url, body);
      const result = await sim.call(token, method, params, files);
      sendJson(res, 200, { ok: true, result });
    } catch (e) {
      if (e instanceof ApiFault) return sendJson(res, e.errorCode, e.toJSON());
      logger.error({ err: (e as Error).message, method }, "bot api simulator failed");
      sendJson(res, 500, { ok: false, error_code: 500, description: "Internal Server Error" });
    }
  };
  server.route("POST", "/bot*", handler, { maxBody: BOT_API_MAX_BODY });
  server.route("GET", "/bot*", handler);
  // A file a person sent, by the path `getFile` gave: Telegram's documented URL, which Bale's libraries use too.
  server.route("GET", "/file/bot*", (_req, res, url) => {
    const match = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    const bytes = match ? sim.fileAt(match[1]!, decodeURIComponent(match[2]!)) : undefined;
    if (!bytes) return sendJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": bytes.length });
    res.end(bytes);
  });
}

/**
 * Delivers updates to a bot's webhook, as the platform does: in order, one
 * at a time, the secret in Telegram's header, retried until accepted.
 */
export function startWebhookDelivery(sim: BotApiSimulator, logger: Logger): () => void {
  const busy = new Set<string>();
  let stopped = false;
  const pump = async (bot: SimBot) => {
    if (busy.has(bot.token) || stopped) return;
    busy.add(bot.token);
    try {
      while (!stopped && bot.webhook && bot.updates.length > 0) {
        const update = bot.updates[0]!;
        const ok = await fetch(bot.webhook.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(bot.webhook.secret ? { "x-telegram-bot-api-secret-token": bot.webhook.secret } : {}),
          },
          body: JSON.stringify(update),
        }).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) bot.updates.shift();
        else await new Promise((r) => setTimeout(r, 300));
      }
    } catch (e) {
      logger.warn({ err: (e as Error).message }, "webhook delivery failed");
    } finally {
      busy.delete(bot.token);
    }
  };
  const onChange = ({ token }: { token: string }) => {
    const bot = sim.bots.get(token);
    if (bot?.webhook) void pump(bot);
  };
  sim.on("update", onChange);
  sim.on("webhook", onChange);
  return () => {
    stopped = true;
    sim.off("update", onChange);
    sim.off("webhook", onChange);
  };
}
