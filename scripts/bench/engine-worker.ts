/** One delivery worker process: drains a broadcast (the benchmark kills it with -9 midway). */
import { parseConfig } from "../../src/config.js";
import { createDeliveryEngine } from "../../src/delivery/index.js";
import { createLogger } from "../../src/logger.js";
import { PiiCipher, resolvePiiKey } from "../../src/security/pii.js";
import { openStore } from "../../src/store/index.js";

const [dataDir, apiRoot, token, broadcastId] = process.argv.slice(2) as [string, string, string, string];
const config = parseConfig({
  DATA_DIR: dataDir,
  TELEGRAM_BOT_TOKEN: token,
  TELEGRAM_API_ROOT: apiRoot,
  LOG_LEVEL: "silent",
});
config.sendRates.telegram = config.broadcastRates.telegram = Infinity;
const store = await openStore(config, new PiiCipher(resolvePiiKey(undefined, config.piiKeyFile, () => undefined)));
const { engine, close } = createDeliveryEngine(config, store, createLogger("silent"), {
  batchSize: 200,
  leaseMs: 5_000,
  concurrency: 64,
});
console.log("READY");
await engine.drain(broadcastId);
await close();
await store.close();
