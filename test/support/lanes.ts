/**
 * The test files whose behaviour depends on the state backend (embedded
 * SQLite / in-process, or Redis): the Redis lane (`npm run test:redis`,
 * REDIS_URL set) runs these again; every other file runs once, in the
 * embedded lane. `test/architecture.test.ts` checks that a file touching the
 * state backend is listed here.
 */
export const STATE_BACKEND_FILES = [
  // The backend itself: sessions, claims, token buckets, update ids.
  "test/state/state.test.ts",
  // The shared send budget (Redis Lua or SQLite) and processes sharing it.
  "test/delivery/send-budget.test.ts",
  "test/e2e/send-budget.test.ts",
  // Real processes: restarts and kill -9 with the conversation state in the backend.
  "test/e2e/process.test.ts",
  "test/e2e/faults.test.ts",
  // Conversations kept in the backend across updates.
  "test/bot/registration.test.ts",
  "test/security/conversation-bounds.test.ts",
  "test/bot/resilience.test.ts",
  "test/bot/person-loader.test.ts",
  // The console's sessions and one-time links, erasure and sealing of what the backend holds.
  "test/console/console.test.ts",
  "test/security/delete.test.ts",
  "test/security/pii.test.ts",
];
