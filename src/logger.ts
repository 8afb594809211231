import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * Paths whose values are personal data. They are censored wherever they
 * appear in a log object, however deeply nested (up to the depths listed).
 */
const PII_FIELDS = [
  "nationalId",
  "national_id",
  "phone",
  "phoneNumber",
  "phone_number",
  "mobile",
  "contact",
  "text",
  "first_name",
  "last_name",
  "firstName",
  "lastName",
  "token",
  "piiKey",
];

export const REDACT_PATHS = [
  ...PII_FIELDS,
  ...PII_FIELDS.map((f) => `*.${f}`),
  ...PII_FIELDS.map((f) => `*.*.${f}`),
  ...PII_FIELDS.map((f) => `*.*.*.${f}`),
];

/** Creates the process logger: JSON lines, personal data censored. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: "hamdel" },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    },
    destination,
  );
}
