import { Composer } from "grammy";
import type { BotContext } from "../context.js";
import { knownSource } from "../../services/sources.js";
import { senderIdentity } from "../helpers/identity.js";
import { sendMenu } from "../helpers/menu.js";

export const startFeature = new Composer<BotContext>();

startFeature.chatType("private").command("start", async (ctx) => {
  const identity = senderIdentity(ctx);
  if (!identity) return;
  const payload = ctx.match.trim();
  const source = payload ? await knownSource(ctx.deps.store, payload) : undefined;
  const people = ctx.deps.store.people;
  let { person, created } = await people.ensure(identity, { source });
  if (!created && source) person = await people.setSourceIfEmpty(person.id, source);
  ctx.person = person;

  const name = ctx.from.first_name?.trim() || ctx.t("start.friend");
  const lines = [ctx.t(created ? "start.welcome" : "start.welcome_back", { name })];
  if (source && person.source === source && created) lines.push(ctx.t("start.source_noted", { source }));
  if (payload && !source) lines.push(ctx.t("start.bad_payload"));
  ctx.log.info({ person: person.id, created, source: person.source }, "start");
  if (person.registeredAt) {
    await ctx.reply(lines.join("\n\n"));
    await sendMenu(ctx, person);
    return;
  }
  await ctx.reply(lines.join("\n\n"));
  await ctx.conversation.enter("registration");
});
