import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { createI18n } from "../../src/i18n.js";
import { csvWithBom, neutraliseCell } from "../../src/services/exports.js";
import { volunteersCsv } from "../../src/services/reports.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { TEST_CIPHER } from "../store/contract/index.js";
import { tempDir } from "../support/config.js";

const rowsOf = (csv: Buffer) => parse(csv.toString("utf8"), { bom: true }) as string[][];

describe("CSV formula injection", () => {
  it("neutralises every cell that a spreadsheet would run", () => {
    for (const bad of ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")'])
      expect(neutraliseCell(bad)).toBe(`'${bad}`);
    for (const fine of ["مریم", "HM-7K3P9Q", "1 = 1", "", "09121234567"]) expect(neutraliseCell(fine)).toBe(fine);
  });

  it("every CSV Hamdel writes goes through it, and numbers and dates stay as they are", () => {
    const csv = csvWithBom(["a", "b", "c", "d"], [["=cmd|' /C calc'!A0", -5, new Date(0), "سلام"]]);
    expect(rowsOf(csv)[1]).toEqual(["'=cmd|' /C calc'!A0", "-5", "1970-01-01T00:00:00.000Z", "سلام"]);
  });

  it("the volunteers' export: a name or neighbourhood typed as a formula is text", async () => {
    const store = openSqliteStore(tempDir(), TEST_CIPHER);
    try {
      const { person } = await store.people.ensure({ platform: "telegram", userId: "1", chatId: "1" });
      await store.people.update(person.id, {
        firstName: '=HYPERLINK("http://evil","x")',
        lastName: "@cmd",
        neighbourhood: "+98 میدان",
        province: "golestan",
        volunteerCode: "HM-AAAAAA",
        registeredAt: new Date(),
      });
      const { csv } = await volunteersCsv(
        { store, i18n: await createI18n(), timeZone: "Asia/Tehran" },
        { provinces: null },
        "fa",
      );
      const [, row] = rowsOf(csv);
      expect(row!.slice(1, 3)).toEqual(['\'=HYPERLINK("http://evil","x")', "'@cmd"]);
      expect(row![6]).toBe("'+98 میدان");
      for (const cell of row!) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    } finally {
      await store.close();
    }
  });
});
