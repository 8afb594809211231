import type { Config } from "../config.js";
import type { AppDeps } from "../deps.js";
import type { Platform } from "../platforms/capabilities.js";
import type { Job } from "../scheduler/index.js";
import { runCampaigns } from "../services/campaign-runs.js";
import { matchingTick } from "../services/matching/index.js";
import { serviceTick } from "../services/service-day/index.js";
import { screeningTick } from "../services/screening.js";

/** The periodic work, in one list (each once a minute, in this order; a failure is logged by the job's name). */
export function scheduledJobs(
  deps: AppDeps,
  config: Config,
  notifyAdmins: (text: string, avoid?: Platform) => Promise<void>,
): Job[] {
  const { store, i18n, logger, matching, serviceDay } = deps;
  return [
    { name: "campaigns", run: (now) => runCampaigns(store, i18n, logger, now, config.timeZone, notifyAdmins) },
    { name: "matching", run: () => matchingTick(matching) },
    { name: "day of service", run: () => serviceTick(serviceDay) },
    { name: "safeguarding", run: () => screeningTick(matching) },
    {
      name: "outbox purge",
      run: async (now) => {
        const n = await store.deliveries.purgePersonal(new Date(now.getTime() - config.pushRetentionDays * 86_400_000));
        if (n > 0) logger.info({ purged: n }, "settled one-to-one messages purged");
      },
    },
  ];
}
