import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { senderIdentity } from "../helpers/identity.js";

/** Deep-link payloads Telegram and Bale allow: 1–64 of A–Z a–z 0–9 _ -. */
const PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;

export const startFeature = new Composer<BotContext>();

startFeature.chatType("private").command("start", async (ctx) => {
  const identity = senderIdentity(ctx);
  if (!identity) return;
  const payload = ctx.match.trim();
  const source = PAYLOAD.test(payload) ? payload : undefined;
  const people = ctx.deps.store.people;
  let { person, created } = await people.ensure(identity, { source });
  if (!created && source) person = await people.setSourceIfEmpty(person.id, source);
  ctx.person = person;

  const name = ctx.from.first_name?.trim() || ctx.t("start.friend");
  const lines = [ctx.t(created ? "start.welcome" : "start.welcome_back", { name })];
  if (source && person.source === source && created) lines.push(ctx.t("start.source_noted", { source }));
  if (payload && !source) lines.push(ctx.t("start.bad_payload"));
  ctx.log.info({ person: person.id, created, source: person.source }, "start");
  await ctx.reply(lines.join("\n\n"));
});
