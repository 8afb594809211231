import type { Platform } from "./platform.js";
import type { Language } from "./person.js";

/**
 * Who a broadcast goes to. Every field narrows; an empty segment means every
 * registered, reachable volunteer who has campaign messages on.
 */
export interface Segment {
  provinces?: string[];
  counties?: string[];
  /** Anyone with at least one of these skills. */
  skills?: string[];
  /** Anyone who would take at least one of these roles. */
  roles?: string[];
  /** Registration source: a campaign slug or a centre code. */
  sources?: string[];
  registeredSince?: string;
  languages?: Language[];
  /**
   * Veterans (pishkesvat): marked by a coordinator, or registered at least
   * `minYears` ago, or (when `minHours` is set) with at least that many hours
   * of service credited in the time bank.
   */
  veterans?: { minYears: number; minHours?: number };
  /** Anyone who made a vow of service (nazr-e khedmat) in one of these campaigns. */
  pledgedIn?: string[];
  platforms?: Platform[];
}

/** One recipient: a person on one platform. */
export interface Recipient {
  personId: string;
  platform: Platform;
  chatId: string;
}

/** Registered on or before this instant counts as a veteran by years. */
export function veteranCutoff(minYears: number, now: Date): Date {
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - minYears);
  return cutoff;
}
