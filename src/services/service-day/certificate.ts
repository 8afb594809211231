import { randomBytes } from "node:crypto";
import { formatJalaliDate } from "../../domain/jalali.js";
import { normalizeDigits } from "../../domain/normalize.js";
import { hoursOf, personAccount, type Account } from "../../domain/ledger.js";
import { copyable, num } from "../../format.js";
import { renderCertificatePdf, type CertificateContent } from "../../render/certificate.js";
import { fail, ok, type Result } from "../../domain/result.js";
import type { Certificate, Language, Person, Store } from "../../store/port/index.js";
import { nowOf } from "../matching/deps.js";
import { fullName } from "../matching/notices.js";
import type { ServiceDayDeps } from "./deps.js";

/**
 * Certificates of service: a person's hours given, by centre and period, from
 * the ledger (corrections included), stated with a verification code. What a
 * certificate stated is kept under its code, so anyone holding the paper can
 * check it (`npm run cli -- certificate verify`, or the public page): name,
 * hours, validity — nothing else.
 */

/** Hours given at one place: a centre (its code) or the time bank (help to a neighbour), over a period. */
export interface ServiceRow {
  /** `centre:<code>`, or `person` for time-bank help to citizens. */
  place: string;
  centreCode: string | null;
  minutes: number;
  first: Date;
  last: Date;
}

/** A person's hours given, grouped by where: from every ledger entry crediting them. */
export async function serviceRows(store: Store, personId: string): Promise<ServiceRow[]> {
  const account = personAccount(personId);
  const entries = await store.ledger.history(account, 5000);
  const rows = new Map<string, ServiceRow>();
  for (const e of entries) {
    const mine = e.postings.find((p) => p.account === account);
    if (!mine || mine.side !== "giver") continue;
    const other = e.postings.find((p) => p.account !== account)?.account as Account | undefined;
    const centreCode = other?.startsWith("centre:") ? other.slice(7) : null;
    const place = centreCode ? `centre:${centreCode}` : "person";
    const row = rows.get(place) ?? { place, centreCode, minutes: 0, first: e.at, last: e.at };
    row.minutes += mine.minutes;
    if (e.at < row.first) row.first = e.at;
    if (e.at > row.last) row.last = e.at;
    rows.set(place, row);
  }
  return [...rows.values()].filter((r) => r.minutes > 0).sort((a, b) => b.minutes - a.minutes);
}

/** Crockford's base32 (no I, L, O, U): read aloud or typed without confusion. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A new verification code: `HMC-XXXX-XXXX-XXXX-XXXX`, 16 characters of 32
 * (80 random bits: a byte mod 32 is uniform). Guessing one is hopeless even
 * past `/verify`'s rate limits. Certificates issued before carry 10 (50 bits)
 * and are still read.
 */
export function newCertificateCode(): string {
  const chars = [...randomBytes(16)].map((b) => ALPHABET[b % 32]).join("");
  return `HMC-${chars.match(/.{4}/g)!.join("-")}`;
}

/** A typed code as stored: Persian or Arabic digits read, spaces and case ignored, dashes where they belong. */
export function normalizeCertificateCode(input: string): string | undefined {
  const latin = normalizeDigits(input)
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, "");
  const m = /^HMC([0-9A-HJKMNP-TV-Z]{16}|[0-9A-HJKMNP-TV-Z]{10})$/.exec(latin);
  if (!m) return undefined;
  const body = m[1]!;
  return body.length === 16 ? `HMC-${body.match(/.{4}/g)!.join("-")}` : `HMC-${body.slice(0, 5)}-${body.slice(5)}`;
}

/** Issues a certificate for a registered volunteer with hours: its record and the rows it states. */
export async function issueCertificate(
  d: ServiceDayDeps,
  person: Person,
): Promise<Result<{ certificate: Certificate; rows: ServiceRow[] }, "not_registered" | "no_hours">> {
  if (!person.registeredAt) return fail("not_registered");
  const rows = await serviceRows(d.store, person.id);
  const minutes = rows.reduce((m, r) => m + r.minutes, 0);
  if (minutes <= 0) return fail("no_hours");
  const certificate = await d.store.certificates.issue({
    code: newCertificateCode(),
    personId: person.id,
    // The name of record (registration, or a coordinator's audited correction), not the profile's latest.
    name: person.registeredName ?? fullName(person),
    minutes,
    issuedAt: nowOf(d),
  });
  d.logger.info({ person: person.id, minutes }, "certificate issued");
  return ok({ certificate, rows });
}

/** What checking a code shows: the name and hours it states, and whether it is valid. */
export async function verifyCertificate(
  store: Store,
  input: string,
): Promise<{ valid: true; name: string; minutes: number } | { valid: false; superseded?: true }> {
  const code = normalizeCertificateCode(input);
  const found = code ? await store.certificates.get(code) : null;
  if (!found) return { valid: false };
  // A newer certificate of the same person states their hours now: this one is no longer vouched for.
  if (found.supersededBy) return { valid: false, superseded: true };
  // Erasure deletes a person's certificates; a certificate whose person is gone otherwise is not valid either.
  const person = await store.people.get(found.personId);
  if (!person || person.erasedAt) return { valid: false };
  return { valid: true, name: found.name, minutes: found.minutes };
}

/** The certificate's PDF, in a language. */
export async function certificatePdf(
  d: ServiceDayDeps,
  person: Person,
  certificate: Certificate,
  rows: ServiceRow[],
  lang: Language,
): Promise<Buffer> {
  return renderCertificatePdf(await certificateContent(d, person, certificate, rows, lang));
}

/** The certificate's words in a language, from the locale: what the PDF draws. */
export async function certificateContent(
  d: ServiceDayDeps,
  person: Person,
  certificate: Certificate,
  rows: ServiceRow[],
  lang: Language,
): Promise<CertificateContent> {
  const t = d.i18n.t(lang);
  const hours = (m: number) => num(lang, hoursOf(m));
  const day = (at: Date) => formatJalaliDate(at, lang, d.timeZone);
  // The month, then the year, as people write a month: Intl's fa-IR puts the year first.
  const monthFormat = new Intl.DateTimeFormat(lang === "fa" ? "fa-IR-u-ca-persian" : "en-u-ca-persian", {
    year: "numeric",
    month: "long",
    timeZone: d.timeZone,
  });
  const month = (at: Date) => {
    const parts = monthFormat.formatToParts(at);
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
    return `${part("month")} ${part("year")}`;
  };
  const period = (r: ServiceRow) =>
    day(r.first) === day(r.last)
      ? day(r.first)
      : month(r.first) === month(r.last)
        ? month(r.first)
        : t("certificate.period", { from: month(r.first), to: month(r.last) });
  const centres = new Map(
    (await d.store.centres.listCentres({ codes: rows.flatMap((r) => (r.centreCode ? [r.centreCode] : [])) })).map(
      (c) => [c.code, c.name],
    ),
  );
  const first = rows.reduce((a, r) => (r.first < a ? r.first : a), rows[0]!.first);
  const last = rows.reduce((a, r) => (r.last > a ? r.last : a), rows[0]!.last);
  return {
    heading: [t("certificate.heading_1"), t("certificate.heading_2")],
    title: t("certificate.title"),
    statement: t("certificate.statement", {
      // The honorific of the gender the person gave (`certificate.honorific.*`); the name alone where they gave none.
      name: person.gender ? t(`certificate.honorific.${person.gender}`, { name: certificate.name }) : certificate.name,
      code: copyable(person.volunteerCode),
      // One day of service is one date, not «from it to itself».
      period:
        day(first) === day(last)
          ? t("certificate.on_day", { date: day(first) })
          : t("certificate.period", { from: day(first), to: day(last) }),
      hours: hours(certificate.minutes),
    }),
    table: {
      header: [t("certificate.col_place"), t("certificate.col_period"), t("certificate.col_hours")],
      rows: rows.map((r) => [
        r.centreCode ? (centres.get(r.centreCode) ?? r.centreCode) : t("certificate.time_bank"),
        period(r),
        hours(r.minutes),
      ]),
      total: [t("certificate.total"), hours(certificate.minutes)],
    },
    footer: [
      t("certificate.code", { code: copyable(certificate.code) }),
      t("certificate.verify_at", { url: copyable(d.verifyUrl(certificate.code)) }),
      t("certificate.issued", { date: formatJalaliDate(certificate.issuedAt, lang, d.timeZone) }),
    ],
    signature: { signer: t("certificate.signer"), label: t("certificate.stamp") },
    metaTitle: `${t("certificate.title")} — ${certificate.code}`,
  };
}
