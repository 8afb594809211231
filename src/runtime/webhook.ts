import type { IncomingMessage, ServerResponse } from "node:http";
import { webhookCallback, type Bot } from "grammy";
import type { Update } from "grammy/types";
import { ALLOWED_UPDATES, capabilitiesOf, type Platform } from "../platforms/capabilities.js";
import type { BotContext } from "../bot/context.js";
import { sameSecret } from "../server/auth.js";
import { sendJson, type HttpServer } from "../server/http.js";

/** An update is a few kilobytes; the platforms send nothing near this. */
export const WEBHOOK_MAX_BODY = 256 * 1024;

/** Telegram: the secret travels in a header. Bale: it has no header, so it is in the path. */
export function webhookPath(platform: Platform, secret: string): string {
  return capabilitiesOf(platform).webhookSecret === "path" ? `/webhook/${platform}/${secret}` : `/webhook/${platform}`;
}

const WRONG_SECRET = JSON.stringify({ ok: false, error: "secret mismatch" });

/**
 * grammY's webhook adapter for a body the HTTP server has already read
 * (within the route's size limit): the same answers as grammY's `http`
 * adapter — the reply as JSON, 401 on a wrong secret header.
 */
const bufferedBody = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
  const header = req.headers["x-telegram-bot-api-secret-token"];
  return {
    get update() {
      return Promise.resolve().then(() => JSON.parse(body.toString("utf8")) as Update);
    },
    header: Array.isArray(header) ? header[0] : header,
    end: () => res.end(),
    respond: (json: string) => res.writeHead(200, { "content-type": "application/json" }).end(json),
    unauthorized: () => res.writeHead(401, { "content-type": "application/json" }).end(WRONG_SECRET),
  };
};

/**
 * How long a webhook request is held while its update is handled: past it the
 * platform is answered and the handling goes on. A handler whose replies wait
 * for the send budget would otherwise hold the platform's connection (Telegram
 * opens at most `max_connections`, 40 by default), and every later update,
 * button presses included, would queue behind it at the platform.
 */
export const WEBHOOK_HOLD_MS = 1500;

/** Mounts the bot's webhook route on the HTTP server. */
export function mountWebhook(server: HttpServer, platform: Platform, bot: Bot<BotContext>, secret: string): void {
  const caps = capabilitiesOf(platform);
  const options = { onTimeout: "return", timeoutMilliseconds: WEBHOOK_HOLD_MS } as const;
  if (caps.webhookSecret === "header") {
    const handle = webhookCallback(bot, bufferedBody, { ...options, secretToken: secret });
    server.route("POST", webhookPath(platform, secret), (req, res, _url, body) => handle(req, res, body), {
      maxBody: WEBHOOK_MAX_BODY,
    });
    return;
  }
  const handle = webhookCallback(bot, bufferedBody, options);
  server.route(
    "POST",
    `/webhook/${platform}/*`,
    (req, res, url, body) => {
      const given = url.pathname.slice(`/webhook/${platform}/`.length);
      if (!sameSecret(given, secret)) return sendJson(res, 401, { ok: false, error: "secret mismatch" });
      return handle(req, res, body);
    },
    { maxBody: WEBHOOK_MAX_BODY },
  );
}

/** Registers the webhook with the platform, with only the parameters it accepts. */
export async function registerWebhook(bot: Bot<BotContext>, platform: Platform, publicUrl: string, secret: string) {
  const caps = capabilitiesOf(platform);
  const url = publicUrl + webhookPath(platform, secret);
  await bot.api.setWebhook(url, {
    ...(caps.webhookSecret === "header" ? { secret_token: secret } : {}),
    ...(caps.allowedUpdates ? { allowed_updates: [...ALLOWED_UPDATES] } : {}),
  });
}
