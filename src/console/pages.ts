import { readdirSync } from "node:fs";
import type { Actor } from "../services/access.js";
import type { ConsolePageDef } from "./types.js";

const ROUTES = new URL("./routes/", import.meta.url);

/**
 * The console's pages, in menu order. A page is one file under `routes/`
 * that exports `page` (its menu entry `console.nav.<key>`, its place in the
 * menu, its address, whom the menu shows it to, and its routes), rendered by
 * its view under `views/`: adding one touches those two files and the
 * locales, and nothing here. Found once, when the console is first loaded.
 */
export const PAGES: readonly ConsolePageDef[] = (
  await Promise.all(
    readdirSync(ROUTES)
      .filter((f) => /\.[cm]?[jt]s$/.test(f) && !f.endsWith(".d.ts"))
      .map((f) => import(new URL(f, ROUTES).href) as Promise<{ page?: ConsolePageDef }>),
  )
)
  .flatMap((m) => (m.page ? [m.page] : []))
  .sort((a, b) => a.order - b.order);

/** The menu of an account: the pages its roles open, in order. */
export const menuOf = (a: Actor) => PAGES.filter((p) => p.visible(a)).map(({ key, href }) => ({ key, href }));
