import { stringify } from "csv-stringify/sync";
import { jalaliParts } from "../domain/jalali.js";
import type { TFunction } from "../i18n.js";

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

/** The exports people download: each file is named for what it holds, in the reader's language. */
export type ExportKind = "volunteers" | "report" | "audit" | "centres" | "ranking_chart";

/** The Jalali day, its digits Latin, so files sort and travel (a file system, an e-mail, a USB stick) unsurprised. */
function jalaliStamp(at: Date, timeZone: string): string {
  const { year, month, day } = jalaliParts(at, timeZone);
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** An export's file name: what it holds (`export.file.*`, in the reader's language) and the Jalali day it was made. */
export function exportFileName(
  t: TFunction,
  kind: ExportKind,
  at: Date,
  timeZone: string,
  extension: "csv" | "png" = "csv",
): string {
  return `${t(`export.file.${kind}`)}-${jalaliStamp(at, timeZone)}.${extension}`;
}

/**
 * The same file's name in ASCII («hamdel-volunteers-1405-09-17.csv»): what a
 * chat upload carries, since grammY writes the name into the multipart
 * header as raw UTF-8 and no source says Bale reads it (`platform-check`
 * tries a Persian one), and the fallback of a console download.
 */
export function asciiFileName(kind: ExportKind, at: Date, timeZone: string, extension: "csv" | "png" = "csv"): string {
  return `hamdel-${kind.replace("_", "-")}-${jalaliStamp(at, timeZone)}.${extension}`;
}

/**
 * `Content-Disposition` for a console download: RFC 6266's `filename*` in
 * UTF-8 (the Persian name) for browsers, and the ASCII one for any that read
 * only `filename`.
 */
export function attachment(kind: ExportKind, t: TFunction, at: Date, timeZone: string): string {
  const name = exportFileName(t, kind, at, timeZone);
  return `attachment; filename="${asciiFileName(kind, at, timeZone)}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
