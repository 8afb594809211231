import { headquartersScopeOf, institutionsOf, isNational, type Actor } from "../services/access.js";
import { approvalRoutes } from "./routes/approvals.js";
import { attendanceRoutes } from "./routes/attendance.js";
import { auditRoutes } from "./routes/audit.js";
import { broadcastRoutes } from "./routes/broadcasts.js";
import { campaignRoutes } from "./routes/campaigns.js";
import { needRoutes } from "./routes/needs.js";
import { overviewRoutes } from "./routes/overview.js";
import { roleRoutes } from "./routes/roles.js";
import { volunteerRoutes } from "./routes/volunteers.js";
import type { ConsolePageDef } from "./types.js";

const headquarters = (a: Actor) => headquartersScopeOf(a) !== undefined;

/**
 * The console's pages, in menu order: the one list a new page is added to.
 * Each names its menu entry (`console.nav.<key>` in the locales), its
 * address, whom the menu shows it to, and its routes (routes/<page>.ts,
 * rendered by views/<page>.ts). The menu only: each page's service checks
 * the account's scope again.
 */
export const PAGES: readonly ConsolePageDef[] = [
  { key: "overview", href: "/console/", visible: () => true, routes: overviewRoutes },
  { key: "volunteers", href: "/console/volunteers", visible: headquarters, routes: volunteerRoutes },
  {
    key: "needs",
    href: "/console/needs",
    visible: (a) => a.grants.some((g) => g.role !== "institution_operator"),
    routes: needRoutes,
  },
  {
    key: "attendance",
    href: "/console/attendance",
    visible: (a) => a.grants.some((g) => g.role !== "institution_operator"),
    routes: attendanceRoutes,
  },
  {
    key: "approvals",
    href: "/console/approvals",
    visible: (a) => institutionsOf(a).length > 0,
    routes: approvalRoutes,
  },
  { key: "broadcasts", href: "/console/broadcasts", visible: headquarters, routes: broadcastRoutes },
  { key: "campaigns", href: "/console/campaigns", visible: headquarters, routes: campaignRoutes },
  { key: "roles", href: "/console/roles", visible: headquarters, routes: roleRoutes },
  { key: "audit", href: "/console/audit", visible: isNational, routes: auditRoutes },
];

/** The menu of an account: the pages its roles open, in order. */
export const menuOf = (a: Actor) => PAGES.filter((p) => p.visible(a)).map(({ key, href }) => ({ key, href }));
