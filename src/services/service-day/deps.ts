import type { Platform } from "../../platforms/capabilities.js";
import type { MatchingDeps } from "../matching/index.js";

/** What the day of service is given: matching's deps, and what only it needs. */
export interface ServiceDayDeps extends MatchingDeps {
  /** The deployment's keyed MAC under the check-in purpose (base64url). */
  signCheckIn(centreCode: string): string;
  /** Once per key across workers (the shared state): the daily digest of a centre and date. */
  claimOnce(key: string, ttlSeconds: number): Promise<boolean>;
  /** A centre's check-in deep link on every running bot. */
  checkInLinks(payload: string): { platform: Platform; url: string }[];
  /** The public page that checks a certificate's code. */
  verifyUrl(code: string): string;
  /** Minutes after a session's end a check-out still counts (ATTENDANCE_GRACE_MINUTES); beyond, a correction. */
  attendanceGraceMinutes?: number;
}

/** The hour (local) the centres' digest of tomorrow goes out: before quiet hours, after the day's work. */
export const DIGEST_HOUR = 20;
