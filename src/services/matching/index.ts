/**
 * Needs, matching and introductions. A need's offers go out in waves through
 * the delivery engine; an acceptance goes to the volunteer's intermediary
 * institution, and only its approval reveals contact details to either side.
 * Every coordinator action is checked here (not in the bot) and audited.
 *
 * - `needs.ts`: post, waves, close, the periodic tick;
 * - `offers.ts`: answer, decide, introduce;
 * - `requests.ts`: the time bank's requests and their review;
 * - `hours.ts`: hours reported, confirmed and credited;
 * - `notices.ts`: the texts (pure);
 * - `deps.ts`: what they are given and share.
 */
export { inQuietHours, type MatchingDeps, type Refusal } from "./deps.js";
export {
  closeNeed,
  editNeed,
  firstWave,
  matchingTick,
  needAgain,
  postNeed,
  queryOf,
  repostNeed,
  repostPreview,
  runWave,
  type NeedInput,
} from "./needs.js";
export { answerOffer, decideOffer, homeInstitution, institutionFor, type OfferAnswered } from "./offers.js";
export { reviewingCentre, reviewRequest, submitRequest, type RequestInput } from "./requests.js";
export {
  confirmReportedHours,
  crossedMilestone,
  HOUR_MILESTONES,
  reportHours,
  SERVICE_MINUTES,
  type HoursDone,
} from "./hours.js";
export { approvalNotice, needLines, needWhat, offerNotice, reasonsText } from "./notices.js";
export { approvalQueue } from "./approvals.js";
export { needBoard, needWithOffers } from "./board.js";
