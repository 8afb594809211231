/**
 * The baseline for `npm run bench:load`: a bare grammY bot in webhook mode on
 * the same HTTP setup as Hamdel (node:http, grammY's `webhookCallback`, the
 * same local Bot API), which answers every message with one `sendMessage` and
 * every button with `answerCallbackQuery` and one `sendMessage`. No stores,
 * no conversations, no i18n: the floor of what any grammY bot costs.
 * Environment: TELEGRAM_BOT_TOKEN, TELEGRAM_API_ROOT, PORT, WEBHOOK_SECRET.
 */
import { createServer } from "node:http";
import { Bot, webhookCallback } from "grammy";

const env = process.env;
const bot = new Bot(env.TELEGRAM_BOT_TOKEN!, { client: { apiRoot: env.TELEGRAM_API_ROOT! } });
bot.on("callback_query", async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.reply("ok");
});
bot.on("message", (ctx) => ctx.reply("ok"));
await bot.init();
const handle = webhookCallback(bot, "http", { secretToken: env.WEBHOOK_SECRET, onTimeout: "return" });
const server = createServer((req, res) => void handle(req, res));
server.listen(Number(env.PORT), "127.0.0.1", () => console.log(`PORT ${env.PORT}`));
