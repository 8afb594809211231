import { EDITABLE_STEPS, type EditableStep } from "../../../domain/registration.js";
import * as registration from "../../../services/registration.js";
import type { ConversationContext, HamdelConversation } from "../../context.js";
import { senderIdentity } from "../../helpers/identity.js";
import { profileView } from "../../helpers/profile-view.js";
import { mergeDraft } from "./index.js";
import { askCounty, askPhone, STEP_ASKERS, type Patch, type StepEnv } from "./steps.js";

export const isEditableStep = (v: string | undefined): v is EditableStep => EDITABLE_STEPS.includes(v as EditableStep);

/**
 * Edits one field of a registered profile with the same step as in
 * registration; Back leaves it unchanged. A new province also asks the county.
 */
export async function profileEditConversation(
  conversation: HamdelConversation,
  ctx: ConversationContext,
  field: string,
) {
  const identity = senderIdentity(ctx);
  if (!identity || !isEditableStep(field)) return;
  const loaded = await conversation.external(async (o) => {
    const person = await o.deps.store.people.findByIdentity(identity);
    return person?.registeredAt ? { personId: person.id, draft: registration.personToDraft(person) } : null;
  });
  if (!loaded) {
    await ctx.reply(ctx.t("profile.not_registered"));
    return;
  }
  const env: StepEnv = { conversation, ctx, personId: loaded.personId, draft: loaded.draft, canGoBack: true };
  for (;;) {
    const answer = field === "phone" ? await askPhone(env) : await STEP_ASKERS[field](env);
    if (answer.type === "back") {
      await ctx.reply(ctx.t("profile.unchanged"), { reply_markup: { remove_keyboard: true } });
      return;
    }
    let patch: Patch = answer.value;
    if ("linkTo" in patch) delete (patch as { linkTo?: unknown }).linkTo;
    if (field === "province" && patch.province !== loaded.draft.province) {
      const county = await askCounty({ ...env, draft: mergeDraft(env.draft, patch), canGoBack: false });
      if (county.type === "back") continue;
      patch = { ...patch, ...county.value };
    }
    const saved = await conversation.external((o) =>
      registration.saveProfileEdit(o.deps.store, loaded.personId, patch),
    );
    if (!saved.ok) {
      await ctx.reply(ctx.t("registration.national_id_taken"));
      continue;
    }
    // The profile as it is now, under the word that it was saved (one message: it also takes a reply keyboard away).
    const body = await conversation.external(async (o) => {
      const person = await o.deps.store.people.get(loaded.personId);
      return person ? profileView(o, person).body : null;
    });
    await ctx.reply(body ? `${ctx.t("profile.saved")}\n\n${body}` : ctx.t("profile.saved"), {
      reply_markup: { remove_keyboard: true },
    });
    return;
  }
}
