/**
 * The day of service, after an introduction: sessions, reminders with an
 * answer, check-in at the centre, hours from attendance, certificates.
 *
 * - `sessions.ts`: made on approval, `/schedule`, confirm or cancel;
 * - `check-in.ts`: the centre's link, check-in and out, by hand;
 * - `hours.ts`: the attendance board, corrections, approvals into the ledger;
 * - `tick.ts`: reminders, the statuses time decides, the daily digest;
 * - `certificate.ts`: hours by place, certificates and their verification;
 * - `texts.ts`: the words (pure); `deps.ts`: what they are given.
 */
export { DIGEST_HOUR, type ServiceDayDeps } from "./deps.js";
export {
  answerSession,
  hasServed,
  needChanged,
  scheduleSessions,
  volunteerSchedule,
  type SessionAnswer,
} from "./sessions.js";
export {
  checkByHand,
  checkIn,
  checkInByDigits,
  checkInLinks,
  checkInLocation,
  checkInPoster,
  checkOut,
  farLine,
  rotateCheckIn,
  type CheckInRefusal,
} from "./check-in.js";
export {
  approveAttendance,
  attendanceBoard,
  attendanceCentres,
  attendanceSessions,
  correctSession,
  finishCrediting,
} from "./hours.js";
export { centreDigest, digestText, serviceTick } from "./tick.js";
export {
  certificatePdf,
  issueCertificate,
  normalizeCertificateCode,
  serviceRows,
  verifyCertificate,
} from "./certificate.js";
export { dayLabel, sessionButtons, sessionLine, sessionWhen } from "./texts.js";
