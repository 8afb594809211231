import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importCommand } from "../../src/cli/reference.js";
import { rolesCommand } from "../../src/cli/roles.js";
import { PiiCipher } from "../../src/security/pii.js";
import { importCentres, importInstitutions } from "../../src/services/reference-data.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { tempDir, testConfig } from "../support/config.js";
import { capture } from "../support/cli.js";

const INSTITUTIONS = `code,name,province,phone,operators
INST-1,مؤسسه یک,kermanshah,۰۸۳۳۷۲۳۰۰۱۱,telegram:700;bale:701
INST-2,مؤسسه دو,atlantis,,
INST-3,,golestan,,
INST-4,مؤسسه چهار,golestan,,whatsapp:9
INST-1,تکراری,kermanshah,,
`;

const CENTRES = `\uFEFFcode,kind,name,province,county,neighbourhood,address,phone,lat,lon,institution,coordinators
KSH-1,positive_life,مرکز مثبت زندگی الهیه,kermanshah,kermanshah,الهیه,خیابان امام,08338000000,34.33,47.08,INST-1,telegram:702
KSH-2,spaceport,مرکز,kermanshah,kermanshah,,خیابان,,,,,
KSH-3,infant_home,شیرخوارگاه,kermanshah,gorgan,,خیابان,,,,,
KSH-4,infant_home,شیرخوارگاه,kermanshah,harsin,,خیابان,,51.5,0.1,,
KSH 5,infant_home,شیرخوارگاه,kermanshah,harsin,,خیابان,,,,,
KSH-6,infant_home,شیرخوارگاه,kermanshah,harsin,,خیابان,,34.2,,,
KSH-7,elderly_care,سرای سالمندان,kermanshah,harsin,,خیابان,,,,INST-9,
KSH-8,elderly_care,"سرای سالمندان ""مهر""، شعبه ۲",kermanshah,harsin,,"خیابان، کوچه ۲",,,,,
`;

describe("importing institutions and centres from CSV", () => {
  it("imports the good rows, reports each bad row with its line, and grants the listed accounts", async () => {
    const store = openSqliteStore(tempDir(), new PiiCipher("k".repeat(32)));
    const inst = await importInstitutions(store, INSTITUTIONS, "test");
    expect(inst).toMatchObject({ inserted: 1, updated: 0, grants: 2 });
    expect(inst.errors).toEqual([
      { line: 3, message: expect.stringContaining("province") },
      { line: 4, message: expect.stringContaining("name is empty") },
      { line: 5, message: expect.stringContaining('"whatsapp:9" is not platform:userId') },
      { line: 6, message: "code INST-1 repeats line 2" },
    ]);
    expect(await store.centres.getInstitution("INST-1")).toEqual({
      code: "INST-1",
      name: "مؤسسه یک",
      province: "kermanshah",
      phone: "08337230011",
    });
    const centres = await importCentres(store, CENTRES, "test");
    expect(centres).toMatchObject({ inserted: 2, updated: 0, grants: 1 });
    expect(centres.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(centres.errors.map((e) => e.message).join("\n")).toMatch(
      /kind must be one of[\s\S]*gorgan" is not a county id of kermanshah[\s\S]*outside Iran[\s\S]*code must be[\s\S]*lat and lon go together[\s\S]*INST-9 is not imported yet/,
    );
    expect(await store.centres.getCentre("KSH-8")).toMatchObject({
      name: 'سرای سالمندان "مهر"، شعبه ۲',
      address: "خیابان، کوچه ۲",
      location: null,
    });
    expect(await store.centres.getCentre("KSH-1")).toMatchObject({
      location: { lat: 34.33, lon: 47.08 },
      institutionCode: "INST-1",
    });
    expect(
      (await store.access.list({ role: "centre_coordinator" })).map((g) => `${g.platform}:${g.userId}@${g.scope}`),
    ).toEqual(["telegram:702@KSH-1"]);
    // Importing again updates instead of duplicating.
    expect(await importCentres(store, CENTRES, "test")).toMatchObject({ inserted: 0, updated: 2, grants: 0 });
    expect((await store.access.auditLog({ limit: 5 })).map((r) => r.action)).toContain("import.centres");
    await store.close();
  });

  it("reports broken CSV and missing columns without importing anything", async () => {
    const store = openSqliteStore(tempDir(), new PiiCipher("k".repeat(32)));
    const broken = await importInstitutions(store, 'code,name,province\nA,"unclosed,kermanshah\n', "test");
    expect(broken.errors[0]!.message).toContain("not valid CSV");
    const missing = await importCentres(store, "code,name\nX,Y\n", "test");
    expect(missing.errors).toEqual([{ line: 1, message: "missing columns: kind, province, county, address" }]);
    expect(await store.centres.listCentres()).toEqual([]);
    expect(await store.centres.listInstitutions()).toEqual([]);
    await store.close();
  });

  it("writes all good rows in one transaction: a failure leaves nothing half-imported", async () => {
    const centre = (code: string, institutionCode: string | null) => ({
      ...{ code, kind: "positive_life" as const, name: code, province: "golestan", county: "gorgan" },
      ...{ neighbourhood: null, address: "x", phone: null, location: null, institutionCode },
    });
    const store = openSqliteStore(tempDir(), new PiiCipher("k".repeat(32)));
    // The second row names an institution that does not exist: the database refuses it, and the first row with it.
    await expect(store.centres.upsertCentres([centre("A", null), centre("B", "NOPE")])).rejects.toThrow();
    expect(await store.centres.listCentres()).toEqual([]);
    await store.close();
  });

  it("the CLI commands print a summary, list errors by line, and set the exit code", async () => {
    const config = testConfig();
    const dir = tempDir();
    writeFileSync(join(dir, "i.csv"), INSTITUTIONS);
    writeFileSync(join(dir, "c.csv"), CENTRES);
    const a = capture();
    expect(await importCommand("institutions", [join(dir, "i.csv")], a.io, config)).toBe(1);
    expect(a.out).toEqual(["institutions: 1 added, 0 updated, 2 role grants, 4 rows skipped"]);
    expect(a.err[0]).toMatch(/^ {2}line 3: /);
    const b = capture();
    expect(await importCommand("centres", [join(dir, "c.csv")], b.io, config)).toBe(1);
    expect(b.out[0]).toBe("centres: 2 added, 0 updated, 1 role grants, 6 rows skipped");
    const c = capture();
    expect(await importCommand("centres", [join(dir, "missing.csv")], c.io, config)).toBe(2);
    expect(c.err[0]).toContain("Cannot read");

    const r = capture();
    expect(await rolesCommand("grant", ["bale:42", "provincial_admin", "kermanshah"], r.io, config)).toBe(0);
    expect(await rolesCommand("grant", ["bale:42", "provincial_admin", "kermanshah"], r.io, config)).toBe(0);
    expect(await rolesCommand("grant", ["bale:42", "provincial_admin", "atlantis"], r.io, config)).toBe(1);
    expect(await rolesCommand("grant", ["bale:42", "institution_operator", "NOPE"], r.io, config)).toBe(1);
    expect(await rolesCommand("grant", ["bale:x", "provincial_admin", "kermanshah"], r.io, config)).toBe(2);
    expect(await rolesCommand("grant", ["bale:42", "national_admin", "kermanshah"], r.io, config)).toBe(2);
    expect(r.out.slice(0, 2)).toEqual([
      "granted provincial_admin kermanshah bale:42",
      "nothing to change: bale:42 already holds provincial_admin kermanshah",
    ]);
    const l = capture();
    expect(await rolesCommand("list", ["--role", "provincial_admin"], l.io, config)).toBe(0);
    expect(l.out[0]).toMatch(/^bale:42\tprovincial_admin\tkermanshah\tcli:/);
    expect(await rolesCommand("revoke", ["bale:42", "provincial_admin", "kermanshah"], l.io, config)).toBe(0);
    expect(l.out.at(-1)).toBe("revoked provincial_admin kermanshah bale:42");
  });
});
