import { timingSafeEqual } from "node:crypto";
import { webhookCallback, type Bot } from "grammy";
import { ALLOWED_UPDATES, capabilitiesOf, type Platform } from "../platforms/capabilities.js";
import type { BotContext } from "../bot/context.js";
import { sendJson, type HttpServer } from "../server/http.js";

/** Telegram: the secret travels in a header. Bale: it has no header, so it is in the path. */
export function webhookPath(platform: Platform, secret: string): string {
  return capabilitiesOf(platform).webhookSecret === "path" ? `/webhook/${platform}/${secret}` : `/webhook/${platform}`;
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Mounts the bot's webhook route on the HTTP server. */
export function mountWebhook(server: HttpServer, platform: Platform, bot: Bot<BotContext>, secret: string): void {
  const caps = capabilitiesOf(platform);
  if (caps.webhookSecret === "header") {
    const handle = webhookCallback(bot, "http", {
      secretToken: secret,
      onTimeout: "return",
      timeoutMilliseconds: 9000,
    });
    server.route("POST", webhookPath(platform, secret), (req, res) => handle(req, res));
    return;
  }
  const handle = webhookCallback(bot, "http", { onTimeout: "return", timeoutMilliseconds: 9000 });
  server.route("POST", `/webhook/${platform}/*`, (req, res, url) => {
    const given = url.pathname.slice(`/webhook/${platform}/`.length);
    if (!sameSecret(given, secret)) return sendJson(res, 401, { ok: false, error: "secret mismatch" });
    return handle(req, res);
  });
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
