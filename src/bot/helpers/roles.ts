import type { Context } from "grammy";
import type { HamdelFlavor } from "../context.js";
import { type Actor } from "../../services/access.js";

/** The actor id written on coordinator actions, e.g. `telegram:123`. */
export const actorOf = (ctx: Context & HamdelFlavor) => `${ctx.caps.platform}:${ctx.from?.id ?? "unknown"}`;

/** The sender as an actor (their roles read again from the store), for a service's checks. */
export const senderActor = (ctx: Context & HamdelFlavor): Promise<Actor> =>
  ctx.deps.actors.of({ platform: ctx.caps.platform, userId: String(ctx.from!.id) });
