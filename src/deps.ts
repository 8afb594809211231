import type { Config } from "./config.js";
import type { Clock } from "./domain/clock.js";
import type { Platform } from "./domain/platform.js";
import type { BroadcastMonitor } from "./delivery/monitor.js";
import type { SendBudget } from "./delivery/budget/index.js";
import type { I18n } from "./i18n.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./observability/metrics.js";
import type { Actors } from "./services/access.js";
import type { InviteDeps } from "./services/invites.js";
import type { MatchingDeps } from "./services/matching/index.js";
import type { ServiceDayDeps } from "./services/service-day/index.js";
import type { StateBackend } from "./state/index.js";
import type { IdentityRef, Store } from "./store/port/index.js";

/**
 * What every handler may use; built once by the composition root. Not the
 * configuration: a handler gets the few settings it needs (the PII key and
 * the tokens stay in the root).
 */
export interface AppDeps {
  /** The one time zone (TZ_NAME): every date shown or counted in days is in it. */
  timeZone: string;
  /** The one clock (tests move it). */
  clock: Clock;
  /** Who is asking: grants in the store, and ADMIN_IDS. */
  actors: Actors;
  /** The platforms this deployment runs a bot on. */
  platforms: readonly Platform[];
  /** The chat's own calls to its platform: their timeout, and each person's flood limit. */
  chat: { apiTimeoutSeconds: number; flood: Config["flood"] };
  logger: Logger;
  store: Store;
  state: StateBackend;
  i18n: I18n;
  /** Keeps coordinators' broadcast progress messages current. */
  broadcasts: BroadcastMonitor;
  /** Needs, matching and the time bank. */
  matching: MatchingDeps;
  /** The day of service: sessions, check-in, attendance hours, certificates. */
  serviceDay: ServiceDayDeps;
  /** Invitation links. */
  invites: InviteDeps;
  /** Prometheus metrics. */
  metrics: Metrics;
  /** The bot tokens' send budget, shared with every process (replies go first). */
  budget: SendBudget;
  /** The command menus (`CommandMenus` in `command-menu.ts`): an account's own, refreshed when its roles change. */
  menus: { refresh(ref: IdentityRef): Promise<void> };
  /** A `/start <payload>` link on every running platform, in the capability table's order (Bale's first). */
  deepLinks(payload: string): { platform: Platform; url: string }[];
  /** The web console's one-time sign-in links (`src/console/links.ts`). */
  console: { linkFor(ref: IdentityRef): string };
}
