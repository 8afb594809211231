import { stringify } from "csv-stringify/sync";

/**
 * A cell Excel or LibreOffice would run as a formula (`=`, `+`, `-`, `@`, or a
 * tab or carriage return before one), prefixed with an apostrophe so that it
 * is shown as the text it is (OWASP's advice for CSV injection).
 */
export function neutraliseCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * CSV for people who open it in Excel: UTF-8 with a byte-order mark (so Persian
 * shows right), a header row, and RFC 4180 quoting (csv-stringify). Every
 * text cell is neutralised ({@link neutraliseCell}): names, notes and sources
 * come from users.
 */
export function csvWithBom(header: readonly string[], rows: readonly (readonly unknown[])[]): Buffer {
  return Buffer.from(
    stringify([header, ...rows], {
      bom: true,
      cast: { date: (d) => d.toISOString(), string: neutraliseCell },
    }),
    "utf8",
  );
}
