/** Reports over the store. */

export interface Count {
  key: string;
  n: number;
}

/** Anonymous counts of registered (not erased) volunteers, for reports. */
export interface RegistrationStats {
  total: number;
  /** With at least one account the bot can still reach. */
  reachable: number;
  /** Registrations per local day (`YYYY-MM-DD` in the time zone asked), from `since`. */
  byDay: Count[];
  byProvince: Count[];
  byCounty: Count[];
  /** By registration source: a centre's code, a campaign's slug; `""` for none. */
  bySource: Count[];
  byRole: Count[];
  bySkill: Count[];
}

export interface ReportRepository {
  /**
   * Counts within the provinces (all when none are given) and, when given,
   * registered in [from, to); biggest first, ties by key.
   */
  registrations(
    filter: { provinces?: string[]; from?: Date; to?: Date },
    since: Date,
    timeZone: string,
  ): Promise<RegistrationStats>;
}
