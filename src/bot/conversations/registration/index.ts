import {
  firstMissingStep,
  previousStep,
  type RegistrationDraft,
  type RegistrationStep,
} from "../../../domain/registration.js";
import * as registration from "../../../services/registration.js";
import { isStoreUnavailable } from "../../../store/port/index.js";
import type { ConversationContext, HamdelConversation, RegistrationResume } from "../../context.js";
import { senderIdentity } from "../../helpers/identity.js";
import { sendMenu } from "../../helpers/menu.js";
import type { Answer } from "../kit/index.js";
import { profileView } from "../../helpers/profile-view.js";
import { ltr } from "../../../format.js";
import { askConsent, askLink, askPhone, STEP_ASKERS, type Patch, type StepEnv } from "./steps.js";

/** Merges answers into the draft; an `undefined` value removes the key. */
export function mergeDraft(draft: RegistrationDraft, patch: Patch): RegistrationDraft {
  const next: Record<string, unknown> = { ...draft, ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete next[k];
  return next as unknown as RegistrationDraft;
}

/** Steps that leave a reply keyboard on screen, to be removed once answered. */
const REPLY_KEYBOARD_STEPS = new Set<RegistrationStep>(["phone", "neighbourhood"]);

/** What a registration segment returns when the next segment should follow at once. */
export const NEXT_SEGMENT = "next-segment";

/**
 * The registration conversation. Every answer is saved to the person's
 * (sealed) draft at once, so a restart, /cancel or a closed app loses
 * nothing: `/start` comes back to the first unanswered step.
 *
 * It runs in segments: once a step's answer is saved, the conversation ends
 * and asks (through the outside context) to be entered again at once with
 * `resume`; the new segment reads the draft and asks the next step. The
 * conversations plugin replays a conversation from its start on every
 * update, so without segments the 18th answer re-ran the 17 steps before it
 * (`docs/benchmarks.md`); with them each update replays one step. Going back
 * and editing from the summary stay inside one segment.
 */
export async function registrationConversation(
  conversation: HamdelConversation,
  ctx: ConversationContext,
  resume?: RegistrationResume,
): Promise<typeof NEXT_SEGMENT | void> {
  const identity = senderIdentity(ctx);
  if (!identity) return;
  const start = await conversation.external((o) => registration.beginRegistration(o.deps.store, identity, o.person));
  if (start.registered) {
    const person = await conversation.external(async (o) => {
      const p = await o.deps.store.people.get(start.personId);
      return { firstName: p?.firstName ?? null, volunteerCode: p?.volunteerCode ?? null };
    });
    await sendMenu(ctx, person);
    return;
  }
  let draft = start.draft;
  let step: RegistrationStep = firstMissingStep(draft);
  if (step !== "consent" && step !== "summary" && !resume) await ctx.reply(ctx.t("registration.resumed"));
  /** Saves the draft; when the store cannot be reached, says so and returns false (the step is asked again). */
  const save = async (d: RegistrationDraft) => {
    const ok = await conversation.external((o) =>
      registration.saveDraft(o.deps.store, start.personId, d).then(
        () => true,
        (e: unknown) => (isStoreUnavailable(e) ? false : Promise.reject(e)),
      ),
    );
    if (!ok) await ctx.reply(ctx.t("errors.try_later"));
    return ok;
  };

  /** Answers the store could not take: the step is asked again showing them, so nothing need be chosen twice. */
  let unsaved: RegistrationDraft | undefined;
  for (;;) {
    const asked = step;
    await conversation.external((o) => o.deps.metrics.steps.inc({ conversation: "registration", step: asked }));
    const before = previousStep(step);
    const env: StepEnv = {
      conversation,
      ctx,
      personId: start.personId,
      draft: unsaved ?? draft,
      canGoBack: before !== undefined && before !== "consent",
    };
    let answer: Answer<Patch>;
    switch (step) {
      case "consent": {
        const a = await askConsent(env);
        if (a.type === "value" && a.value === "declined") {
          await ctx.reply(ctx.t("registration.declined"), { reply_markup: { remove_keyboard: true } });
          return;
        }
        answer = a as Answer<Patch>;
        break;
      }
      case "phone": {
        const a = await askPhone(env);
        if (a.type === "value" && a.value.linkTo) {
          const { linkTo, ...patch } = a.value;
          // The contact keyboard goes before the next question.
          await ctx.reply(ctx.t("registration.noted"), { reply_markup: { remove_keyboard: true } });
          const yes = await askLink(env, linkTo.platform);
          if (yes.type === "value" && yes.value) {
            const linked = await conversation.external((o) =>
              registration.linkAccounts(o.deps.store, identity, linkTo.personId),
            );
            await ctx.reply(ctx.t("registration.linked", { code: linked.code ?? "—" }), {
              reply_markup: { remove_keyboard: true },
            });
            return;
          }
          answer = yes.type === "back" ? { type: "back" } : { type: "value", value: patch };
        } else answer = a;
        break;
      }
      case "summary": {
        // Every answer is in: the person is registered at once, and shown what was saved, each field editable.
        const done = await conversation.external((o) =>
          registration.completeRegistration(o.deps.store, start.personId, draft, new Date(o.deps.clock.now())),
        );
        if (done.ok) {
          const view = await conversation.external(async (o) => {
            const person = await o.deps.store.people.get(start.personId);
            return person ? profileView(o, person) : null;
          });
          await ctx.reply(ctx.t("registration.registered", { code: ltr(done.value), body: view?.body ?? "" }), {
            reply_markup: view?.keyboard ?? { remove_keyboard: true },
          });
          return;
        }
        if (done.error === "national_id_taken") await ctx.reply(ctx.t("registration.national_id_taken"));
        else if (done.error === "unavailable") await ctx.reply(ctx.t("errors.try_later"));
        // The last step is asked again (its answers kept); its answer registers.
        step = done.error === "national_id_taken" ? "national_id" : (previousStep("summary") ?? "consent");
        continue;
      }
      default:
        answer = await STEP_ASKERS[step](env);
    }

    if (answer.type === "back") {
      step = before ?? step;
      continue;
    }
    const next = mergeDraft(draft, answer.value);
    if (!(await save(next))) {
      unsaved = next;
      continue;
    }
    draft = next;
    if (REPLY_KEYBOARD_STEPS.has(step))
      await ctx.reply(ctx.t("registration.noted"), { reply_markup: { remove_keyboard: true } });
    step = firstMissingStep(draft);
    const resumeAt: RegistrationResume = { segment: true };
    await conversation.external((o) => {
      o.registrationNext = resumeAt;
    });
    return NEXT_SEGMENT;
  }
}
