import { parse } from "csv-parse/sync";
import { z } from "zod";
import { PLATFORMS } from "../platforms/capabilities.js";
import { normalizeDigits } from "../domain/normalize.js";
import { CENTRE_KINDS, countiesOf, isProvince } from "../domain/taxonomy.js";
import { inIran } from "../domain/validation.js";
import type { Centre, IdentityRef, ImportResult, Institution, Store } from "../store/port/index.js";

/**
 * Importing centres and intermediary institutions from CSV (UTF-8, with or
 * without BOM, header row). Every row is checked; bad rows are reported with
 * their line number and skipped, and the good ones are written in one
 * transaction, so nothing is ever half-imported.
 */

export interface RowError {
  line: number;
  message: string;
}

export interface ImportReport extends ImportResult {
  errors: RowError[];
  /** Role grants made from the `operators` / `coordinators` columns. */
  grants: number;
}

/** A code is also a deep link (`/start <code>`): the platforms' payload alphabet. */
const CODE = /^[A-Za-z0-9_-]{1,64}$/;

const text = (max: number) =>
  z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, "is empty").max(max, `is longer than ${max} characters`));
const optional = (max: number) =>
  z
    .string()
    .optional()
    .transform((s) => s?.trim() || null)
    .pipe(z.string().max(max, `is longer than ${max} characters`).nullable());
const phone = optional(20)
  .transform((s) => (s ? normalizeDigits(s).replace(/[\s-]/g, "") : null))
  .refine((s) => s === null || /^\+?\d{6,15}$/.test(s), "is not a phone number");
const code = z
  .string()
  .transform((s) => s.trim())
  .refine((s) => CODE.test(s), "must be 1–64 of A–Z a–z 0–9 _ -");
/** `telegram:123;bale:456`: the accounts that get the role. */
const accounts = z
  .string()
  .optional()
  .transform((s, ctx) => {
    const refs: IdentityRef[] = [];
    for (const item of (s ?? "").split(/[;,\s]+/).filter(Boolean)) {
      const m = /^([a-z]+):(\d{1,20})$/.exec(normalizeDigits(item));
      if (!m || !(PLATFORMS as readonly string[]).includes(m[1]!)) {
        ctx.addIssue({ code: "custom", message: `"${item}" is not platform:userId (e.g. telegram:123)` });
        return z.NEVER;
      }
      refs.push({ platform: m[1] as IdentityRef["platform"], userId: m[2]! });
    }
    return refs;
  });
const province = z
  .string()
  .transform((s) => s.trim())
  .refine(isProvince, "is not a province id");
const coordinate = z
  .string()
  .optional()
  .transform((s) => (s?.trim() ? Number(normalizeDigits(s.trim())) : null))
  .refine((n) => n === null || Number.isFinite(n), "is not a number");

const institutionRow = z.object({ code, name: text(200), province, phone, operators: accounts });

const centreRow = z
  .object({
    code,
    kind: z.enum(CENTRE_KINDS, { message: `must be one of ${CENTRE_KINDS.join(", ")}` }),
    name: text(200),
    province,
    county: z.string().transform((s) => s.trim()),
    neighbourhood: optional(100),
    address: text(500),
    phone,
    lat: coordinate,
    lon: coordinate,
    institution: optional(64),
    coordinators: accounts,
  })
  .superRefine((r, ctx) => {
    if (!countiesOf(r.province).includes(r.county))
      ctx.addIssue({ code: "custom", path: ["county"], message: `"${r.county}" is not a county id of ${r.province}` });
    if ((r.lat === null) !== (r.lon === null))
      ctx.addIssue({ code: "custom", path: ["lat"], message: "lat and lon go together" });
    else if (r.lat !== null && r.lon !== null && !inIran(r.lat, r.lon))
      ctx.addIssue({ code: "custom", path: ["lat"], message: "the location is outside Iran" });
  });

interface ParsedRows<T> {
  rows: { line: number; value: T }[];
  errors: RowError[];
}

/** Parses CSV text and validates each record; a CSV syntax error is reported as such. */
function parseRows<T>(csv: string, schema: z.ZodType<T>, required: readonly string[]): ParsedRows<T> {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(csv, { bom: true, columns: true, skip_empty_lines: true, trim: false, info: true });
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? 0;
    return { rows: [], errors: [{ line, message: `not valid CSV: ${(e as Error).message}` }] };
  }
  const header = records[0] ? Object.keys(records[0].record) : [];
  const missing = required.filter((c) => !header.includes(c));
  if (records.length && missing.length)
    return { rows: [], errors: [{ line: 1, message: `missing columns: ${missing.join(", ")}` }] };
  const rows: ParsedRows<T>["rows"] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of records) {
    const line = info.lines;
    const r = schema.safeParse(record);
    if (!r.success) {
      errors.push({
        line,
        message: r.error.issues.map((i) => `${i.path.join(".") || "row"} ${i.message}`).join("; "),
      });
      continue;
    }
    const key = (r.data as { code: string }).code;
    if (seen.has(key)) {
      errors.push({ line, message: `code ${key} repeats line ${seen.get(key)}` });
      continue;
    }
    seen.set(key, line);
    rows.push({ line, value: r.data });
  }
  return { rows, errors };
}

/** After the rows are written: the listed accounts get their role, and the import is audited. */
async function finishImport(
  store: Store,
  what: "institutions" | "centres",
  role: "institution_operator" | "centre_coordinator",
  accounts: [scope: string, refs: IdentityRef[]][],
  result: ImportResult,
  errors: RowError[],
  by: string,
): Promise<ImportReport> {
  let grants = 0;
  for (const [scope, refs] of accounts)
    for (const ref of refs) if (await store.access.grant({ ...ref, role, scope, grantedBy: by })) grants++;
  await store.access.audit({
    actor: by,
    action: `import.${what}`,
    scope: "*",
    target: null,
    outcome: "ok",
    details: { ...result, skipped: errors.length, grants },
  });
  return { ...result, errors, grants };
}

export async function importInstitutions(store: Store, csv: string, by: string): Promise<ImportReport> {
  const { rows, errors } = parseRows(csv, institutionRow, ["code", "name", "province"]);
  const institutions: Institution[] = rows.map(({ value: { operators: _, ...i } }) => i);
  const result = await store.centres.upsertInstitutions(institutions);
  const accounts = rows.map((r): [string, IdentityRef[]] => [r.value.code, r.value.operators]);
  return finishImport(store, "institutions", "institution_operator", accounts, result, errors, by);
}

export async function importCentres(store: Store, csv: string, by: string): Promise<ImportReport> {
  const parsed = parseRows(csv, centreRow, ["code", "kind", "name", "province", "county", "address"]);
  const errors = [...parsed.errors];
  const known = new Set((await store.centres.listInstitutions()).map((i) => i.code));
  const rows = parsed.rows.filter(({ line, value }) => {
    if (value.institution && !known.has(value.institution)) {
      errors.push({
        line,
        message: `institution ${value.institution} is not imported yet (import-institutions first)`,
      });
      return false;
    }
    return true;
  });
  errors.sort((a, b) => a.line - b.line);
  const centres: Centre[] = rows.map(({ value: v }) => ({
    code: v.code,
    kind: v.kind,
    name: v.name,
    province: v.province,
    county: v.county,
    neighbourhood: v.neighbourhood,
    address: v.address,
    phone: v.phone,
    location: v.lat !== null && v.lon !== null ? { lat: v.lat, lon: v.lon } : null,
    institutionCode: v.institution,
  }));
  const result = await store.centres.upsertCentres(centres);
  const accounts = rows.map((r): [string, IdentityRef[]] => [r.value.code, r.value.coordinators]);
  return finishImport(store, "centres", "centre_coordinator", accounts, result, errors, by);
}
