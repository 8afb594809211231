import { stringify } from "csv-stringify/sync";

/**
 * CSV for people who open it in Excel: UTF-8 with a byte-order mark (so Persian
 * shows right), a header row, and RFC 4180 quoting (csv-stringify).
 */
export function csvWithBom(header: readonly string[], rows: readonly (readonly unknown[])[]): Buffer {
  return Buffer.from(stringify([header, ...rows], { bom: true, cast: { date: (d) => d.toISOString() } }), "utf8");
}
