import type { Config } from "../config.js";
import { ramadanStart } from "../domain/ramadan.js";
import { campaignSummary } from "../services/campaign-runs.js";
import { monthlyCampaign, ramadanCampaign, SLUG } from "../services/campaigns.js";
import { DuplicateError } from "../store/port/index.js";
import { parseArgs } from "./args.js";
import { segmentFromFlags } from "./broadcast.js";
import { cliActor } from "./reference.js";
import { withRuntime, type CliIO } from "./runtime.js";

export const CAMPAIGN_USAGE = `Usage:
  hamdel campaign create --template ramadan --year 1448 [--adjust -2..2] [--hour 19] [--slug ramadan-1448] [segment flags]
  hamdel campaign create --template monthly [--day 1] [--hour 18] [--slug salam-mahalle] [segment flags]
  hamdel campaign list
  hamdel campaign report <slug>
  hamdel campaign end <slug>`;

const int = (v: string | undefined, min: number, max: number, fallback: number) => {
  if (v === undefined) return fallback;
  const n = Number(v);
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
};

/** `hamdel campaign …`: campaigns whose messages the running bot sends on schedule. */
export async function campaignCommand(argv: string[], io: CliIO = console, config?: Config): Promise<number> {
  const { flags, rest } = parseArgs(argv);
  const [action, slugArg] = rest;
  const get = (name: string) => flags.get(name)?.[0];
  return withRuntime(
    io,
    async ({ store, i18n, config: cfg }) => {
      switch (action) {
        case "create": {
          const segment = segmentFromFlags(flags);
          const hour = int(get("hour"), 0, 23, get("template") === "ramadan" ? 19 : 18);
          const slug = get("slug");
          if ("error" in segment || hour === undefined || (slug !== undefined && !SLUG.test(slug))) {
            io.error(
              `${"error" in segment ? segment.error : hour === undefined ? "--hour expects 0–23" : "--slug expects 1–40 of A–Z a–z 0–9 _ -"}\n\n${CAMPAIGN_USAGE}`,
            );
            return 2;
          }
          let campaign;
          if (get("template") === "ramadan") {
            const year = int(get("year"), 1400, 1600, NaN);
            const adjust = int(get("adjust"), -2, 2, 0);
            if (year === undefined || Number.isNaN(year) || adjust === undefined) {
              io.error(`--year expects a Hijri year such as 1448; --adjust −2 to 2.\n\n${CAMPAIGN_USAGE}`);
              return 2;
            }
            campaign = ramadanCampaign(i18n, {
              hijriYear: year,
              adjustDays: adjust,
              hour,
              slug,
              segment: segment.segment,
              createdBy: "cli",
            });
          } else if (get("template") === "monthly") {
            const day = int(get("day"), 1, 29, 1);
            if (day === undefined) {
              io.error(`--day expects a Jalali day of the month, 1–29.\n\n${CAMPAIGN_USAGE}`);
              return 2;
            }
            campaign = monthlyCampaign(i18n, { monthDay: day, hour, slug, segment: segment.segment, createdBy: "cli" });
          } else {
            io.error(`--template expects ramadan or monthly.\n\n${CAMPAIGN_USAGE}`);
            return 2;
          }
          try {
            await store.campaigns.create(campaign);
          } catch (e) {
            if (e instanceof DuplicateError) {
              io.error(`A campaign "${campaign.slug}" already exists.`);
              return 1;
            }
            throw e;
          }
          const when =
            campaign.template === "ramadan"
              ? `daily at ${campaign.hour}:00 (${cfg.timeZone}) from ${ramadanStart(campaign.hijriYear!, campaign.adjustDays).toISOString().slice(0, 10)} for 30 days`
              : `on day ${campaign.monthDay} of every Jalali month at ${campaign.hour}:00 (${cfg.timeZone})`;
          await store.access.audit({
            actor: cliActor(),
            action: "campaign.create",
            scope: "*",
            target: campaign.slug,
            outcome: "ok",
            details: { template: campaign.template },
          });
          io.log(`campaign ${campaign.slug}: ${when}; deep link payload "${campaign.slug}"`);
          return 0;
        }
        case "list":
          for (const c of await store.campaigns.listActive()) io.log(`${c.slug}\t${c.template}\t${c.title}`);
          return 0;
        case "report":
        case "end": {
          const campaign = slugArg ? await store.campaigns.get(slugArg) : null;
          if (!campaign) {
            io.error(`No campaign "${slugArg ?? ""}".\n\n${CAMPAIGN_USAGE}`);
            return 2;
          }
          if (action === "end") {
            await store.campaigns.setStatus(campaign.slug, "ended");
            await store.access.audit({
              actor: cliActor(),
              action: "campaign.end",
              scope: "*",
              target: campaign.slug,
              outcome: "ok",
              details: null,
            });
            io.log(`campaign ${campaign.slug} ended`);
            return 0;
          }
          io.log(`${campaign.slug} (${campaign.status})`);
          io.log(await campaignSummary(store, i18n, campaign, cfg.timeZone));
          return 0;
        }
        default:
          io.error(CAMPAIGN_USAGE);
          return 2;
      }
    },
    config,
  );
}
