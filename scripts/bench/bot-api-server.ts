/**
 * A local Bot-API-compatible server for benchmarks, in its own process so
 * that it does not share the engine's event loop. Prints `PORT <n>` when
 * ready. `GET /stats?text=…` answers how many times each chat got that text.
 */
import { createLogger } from "../../src/logger.js";
import { BotApiSimulator } from "../../src/playground/bot-api/simulator.js";
import { mountBotApi } from "../../src/playground/bot-api/server.js";
import { HttpServer, sendJson } from "../../src/server/http.js";

const [token, users] = [process.argv[2]!, Number(process.argv[3])];
const firstUserId = Number(process.argv[4]);
const logger = createLogger("silent");
const sim = new BotApiSimulator();
sim.addBot(token, "telegram");
for (let i = 0; i < users; i++) sim.openChat(token, { id: firstUserId + i, first_name: "v" });
// Keep no message history: at 100,000 messages it would only measure memory.
const counts = new Map<string, Map<number, number>>();
sim.on("bot-message", ({ userId, message }: { userId: number; message: { text?: string } }) => {
  const text = message.text ?? "";
  let perChat = counts.get(text);
  if (!perChat) counts.set(text, (perChat = new Map()));
  perChat.set(userId, (perChat.get(userId) ?? 0) + 1);
  const chat = sim.chats.get(token)!.get(userId)!;
  chat.messages.length = 0;
});
const server = new HttpServer(logger);
mountBotApi(server, sim, logger);
server.route("GET", "/stats", (_req, res, url) => {
  const perChat = counts.get(url.searchParams.get("text") ?? "") ?? new Map<number, number>();
  let duplicates = 0;
  for (const n of perChat.values()) if (n > 1) duplicates += n - 1;
  sendJson(res, 200, { chats: perChat.size, messages: [...perChat.values()].reduce((a, b) => a + b, 0), duplicates });
});
const port = await server.listen(0, "127.0.0.1");
console.log(`PORT ${port}`);
