/** node-fetch 2 (grammY's own HTTP client on Node), which ships no types: the shape Hamdel uses. */
declare module "node-fetch" {
  const fetch: typeof globalThis.fetch;
  export default fetch;
}
