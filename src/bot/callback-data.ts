import { isLanguage } from "../i18n.js";
import type { Language } from "../store/port.js";

/**
 * Callback data formats. Everything that arrives in `callback_query.data` is
 * untrusted: each format parses strictly and returns `undefined` on anything
 * else, so forged or stale data never reaches a handler as a valid choice.
 */
export const languageData = {
  prefix: "lang:",
  pack: (choice: Language | "cancel") => `lang:${choice}`,
  parse(data: string | undefined): Language | "cancel" | undefined {
    if (!data?.startsWith("lang:")) return undefined;
    const v = data.slice(5);
    return v === "cancel" || isLanguage(v) ? v : undefined;
  },
};

/**
 * Registration and profile buttons: `r:<kind>[:<value>]`. The kind says which
 * step a button belongs to; each step checks the value against the taxonomy.
 */
export const regData = {
  pack: (kind: string, value?: string | number) => (value === undefined ? `r:${kind}` : `r:${kind}:${value}`),
  parse(data: string | undefined): { kind: string; value: string | undefined } | undefined {
    const m = /^r:([a-z]{1,8})(?::([A-Za-z0-9_.*-]{1,48}))?$/.exec(data ?? "");
    return m ? { kind: m[1]!, value: m[2] } : undefined;
  },
};

/** Buttons under the /profile view: `pf:e:<field>`. */
export const profileData = {
  pack: (field: string) => `pf:e:${field}`,
  parse(data: string | undefined): string | undefined {
    return /^pf:e:([a-z_]{1,20})$/.exec(data ?? "")?.[1];
  },
};

/** The /delete confirmation: `del:yes` or `del:no`. */
export const deleteData = {
  pack: (choice: "yes" | "no") => `del:${choice}`,
  parse: (data: string | undefined) => (data === "del:yes" ? "yes" : data === "del:no" ? "no" : undefined),
};
