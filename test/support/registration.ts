import type { Platform } from "../../src/platforms/capabilities.js";
import type { SimUser } from "../../src/playground/bot-api/index.js";
import type { Harness } from "./harness.js";

export const NID = "0012345679";
export const PHONE = "09121234567";

/** Registers a user with taps wherever a button exists; returns the final messages. */
export async function register(
  h: Harness,
  platform: Platform,
  user: SimUser,
  opts: { phone?: string; nid?: string } = {},
) {
  await h.say(platform, user, "/start");
  await h.tap(platform, user, "r:consent:yes");
  await h.say(platform, user, "مریم احمدی");
  await h.contact(platform, user, opts.phone ?? "+98" + PHONE.slice(1));
  await h.say(platform, user, opts.nid ?? NID);
  await h.tap(platform, user, "r:dec:1360");
  await h.tap(platform, user, "r:yr:1368");
  await h.tap(platform, user, "r:g:female");
  await h.tap(platform, user, "r:p:golestan");
  await h.tap(platform, user, "r:c:gorgan");
  await h.say(platform, user, "شهرك بهاران");
  await h.tap(platform, user, "r:s:infant_care");
  await h.tap(platform, user, "r:sd");
  await h.tap(platform, user, "r:r:mother_helper");
  await h.tap(platform, user, "r:rd");
  await h.tap(platform, user, "r:a:sat.morning");
  await h.tap(platform, user, "r:h:4");
  return h.tap(platform, user, "r:ok");
}
