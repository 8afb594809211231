/**
 * The conversation kit: what every conversation is built from.
 * - `ask`: one question and its answer, with Back, /start, stale buttons and wrong-kind answers handled;
 * - pickers: one choice, several, the weekly slot grid;
 * - steps: the step runner and the date, notes and schedule steps;
 * - keyboard: grid, tick, toggle;
 * - limits: how many wrong answers and updates a conversation keeps.
 */
export { answered, ask, type Answer, type Handled, type Prompt, type StepIO } from "./ask.js";
export {
  askMany,
  askOne,
  askSkillList,
  askSlots,
  backRow,
  labelPressed,
  slotGrid,
  type ManyOptions,
  type OneOptions,
  type SlotsOptions,
} from "./pickers.js";
export type { DateOptions } from "./steps.js";
export { askDate, askNotes, AUTO, MAX_NOTES, runSteps, scheduleSteps, type Step } from "./steps.js";
export { grid, inline, tick, toggle } from "./keyboard.js";
export { afterWrongAnswer, endPolitely, keepUpdate } from "./limits.js";
