import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.js";
import { STATE_BACKEND_FILES } from "./test/support/lanes.js";

/**
 * The Redis lane (`npm run test:redis`, with REDIS_URL set): the files whose
 * behaviour depends on the state backend, again with Redis as the backend.
 */
export default mergeConfig(base, defineConfig({ test: { include: STATE_BACKEND_FILES } }));
