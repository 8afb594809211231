import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { PiiCipher } from "../security/pii.js";
import type { Store } from "./port/index.js";

export * from "./port/index.js";

/** Opens the store the configuration names: MongoDB when `MONGODB_URI` is set, else embedded SQLite. */
export async function openStore(
  config: Pick<Config, "store">,
  cipher: PiiCipher,
  logger?: Pick<Logger, "warn">,
): Promise<Store> {
  if (config.store.kind === "mongo") {
    const { openMongoStore } = await import("./mongo/index.js");
    return openMongoStore(
      {
        uri: config.store.uri,
        warn: (message, missing) => logger?.warn({ missing: missing.map((m) => `${m.collection}.${m.name}`) }, message),
      },
      cipher,
    );
  }
  const { openSqliteStore } = await import("./sqlite/index.js");
  return openSqliteStore(config.store.dataDir, cipher);
}
