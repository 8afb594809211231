import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";
import { STATE_BACKEND_FILES } from "./test/support/lanes.js";

/**
 * The Redis lane (`npm run test:redis`, with REDIS_URL set): the files whose
 * behaviour depends on the state backend, again with Redis as the backend.
 * (Not `mergeConfig`: it would add this list to the base's, not replace it.)
 */
export default defineConfig({ ...base, test: { ...base.test, include: STATE_BACKEND_FILES } });
