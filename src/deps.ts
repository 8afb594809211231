import type { Config } from "./config.js";
import type { BroadcastMonitor } from "./delivery/monitor.js";
import type { SendBudget } from "./delivery/budget/index.js";
import type { I18n } from "./i18n.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./observability/metrics.js";
import type { InviteDeps } from "./services/invites.js";
import type { MatchingDeps } from "./services/matching/index.js";
import type { ServiceDayDeps } from "./services/service-day/index.js";
import type { StateBackend } from "./state/index.js";
import type { IdentityRef, Store } from "./store/port/index.js";

/** What every handler may use; built once by the composition root. */
export interface AppDeps {
  config: Config;
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
  /** The web console's one-time sign-in links (`src/console/links.ts`). */
  console: { linkFor(ref: IdentityRef): string };
}
