import type { Logger } from "../../logger.js";
import { HttpServer } from "../../server/http.js";
import { mountBotApi, startWebhookDelivery } from "./server.js";
import { BotApiSimulator } from "./simulator.js";

export { ApiFault } from "./errors.js";
export { BotApiSimulator, type SimMessage, type SimUser } from "./simulator.js";

export interface RunningBotApi {
  sim: BotApiSimulator;
  /** The API root to give the bot, e.g. `http://127.0.0.1:40123`. */
  apiRoot: string;
  close(): Promise<void>;
}

/** Starts a stand-alone local Bot-API-compatible server (tests, `npm run playground`). */
export async function startBotApiServer(logger: Logger, port = 0, sim = new BotApiSimulator()): Promise<RunningBotApi> {
  const server = new HttpServer(logger);
  mountBotApi(server, sim, logger);
  const stopDelivery = startWebhookDelivery(sim, logger);
  const bound = await server.listen(port, "127.0.0.1");
  return {
    sim,
    apiRoot: `http://127.0.0.1:${bound}`,
    async close() {
      stopDelivery();
      await server.close();
    },
  };
}
