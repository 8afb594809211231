import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { menuOf, PAGES } from "../../src/console/pages.js";
import type { Actor } from "../../src/services/access.js";

const locale = (lng: string) => JSON.parse(readFileSync(`locales/${lng}.json`, "utf8")).console.nav;
const actor = (...grants: [Actor["grants"][number]["role"], string][]): Actor => ({
  platform: "telegram",
  userId: "1",
  id: "telegram:1",
  grants: grants.map(([role, scope]) => ({
    platform: "telegram",
    userId: "1",
    role,
    scope,
    grantedBy: "test",
    grantedAt: new Date(0),
  })),
});

describe("the console's pages, found in routes/", () => {
  it("are every routes file that exports a page (the sign-in's routes are not a page), each named in both locales", () => {
    const files = readdirSync("src/console/routes").filter((f) =>
      /export const page\b/.test(readFileSync(`src/console/routes/${f}`, "utf8")),
    );
    expect(files.length).toBeGreaterThan(5);
    expect(PAGES).toHaveLength(files.length);
    expect(new Set(PAGES.map((p) => p.key)).size).toBe(PAGES.length);
    expect(new Set(PAGES.map((p) => p.order)).size).toBe(PAGES.length);
    for (const lng of ["fa", "en"])
      for (const p of PAGES) expect(locale(lng)[p.key], `${lng}: console.nav.${p.key}`).toBeTruthy();
  });

  it("make each account's menu in order: headquarters' pages, a centre's, an institution's", () => {
    expect(menuOf(actor(["national_admin", "*"])).map((p) => p.key)).toEqual([
      "overview",
      "volunteers",
      "needs",
      "attendance",
      "checks",
      "broadcasts",
      "campaigns",
      "roles",
      "audit",
    ]);
    expect(menuOf(actor(["provincial_admin", "kermanshah"])).map((p) => p.key)).not.toContain("audit");
    expect(menuOf(actor(["centre_coordinator", "KSH-POS-01"])).map((p) => p.key)).toEqual([
      "overview",
      "needs",
      "attendance",
    ]);
    expect(menuOf(actor(["institution_operator", "NIK-KSH"])).map((p) => p.key)).toEqual([
      "overview",
      "approvals",
      "checks",
    ]);
  });
});
