import { isLanguage, type Language } from "./person.js";
import type { OfferAnswer, RejectReason } from "./needs.js";

/**
 * Callback data formats. Everything that arrives in `callback_query.data` is
 * untrusted: each format parses strictly and returns `undefined` on anything
 * else, so forged or stale data never reaches a handler as a valid choice.
 */
/** The callback data matching's buttons carry (parsed by `matchData` below); each is checked against the store when tapped. */
export const offerData = (answer: OfferAnswer, offerId: string) => `of:${answer[0]}:${offerId}`;
export const decisionData = (approve: boolean, offerId: string) => `od:${approve ? "y" : "n"}:${offerId}`;
export const rejectReasonData = (offerId: string, reason: RejectReason) => `od:r:${offerId}:${reason}`;
export const reviewData = (approve: boolean, needId: string) => `rq:${approve ? "y" : "n"}:${needId}`;
export const hoursData = (offerId: string) => `hr:${offerId}`;
export const hoursAmountData = (offerId: string, minutes: number) => `hh:${offerId}:${minutes}`;
/** The requester's confirmation of a stored report: the button names the report, never minutes or a date. */
export const hoursConfirmData = (reportId: string) => `hc:${reportId}`;

/**
 * A volunteer's buttons under a session: `ss:<y|n|x|o>:<session>` — confirm
 * («می‌آیم»), cancel (asks first), cancel for sure, check out.
 */
export const sessionData = {
  pack: (action: "confirm" | "cancel" | "cancel_sure" | "out", sessionId: string) =>
    `ss:${{ confirm: "y", cancel: "n", cancel_sure: "x", out: "o" }[action]}:${sessionId}`,
  parse(data: string | undefined) {
    const m = /^ss:([ynxo]):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(data ?? "");
    if (!m) return undefined;
    const action = ({ y: "confirm", n: "cancel", x: "cancel_sure", o: "out" } as const)[m[1] as "y" | "n" | "x" | "o"];
    return { action, sessionId: m[2]! };
  },
};

/** A coordinator approves one session's hours from the check-out notice: `sa:<session>`. */
export const attendanceData = {
  pack: (sessionId: string) => `sa:${sessionId}`,
  parse: (data: string | undefined) =>
    /^sa:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(data ?? "")?.[1],
};

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
 * The buttons of conversation steps: `r:<kind>[:<value>]` (`r:` for
 * registration, where they began; kept so that buttons already sent still
 * work). The kind says which step a button belongs to; each step checks the
 * value against the taxonomy.
 */
export const stepData = {
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

/** The profile's notices switch: `pf:n:on` or `pf:n:off`. */
export const noticesData = {
  pack: (on: boolean) => `pf:n:${on ? "on" : "off"}`,
  parse: (data: string | undefined) => (data === "pf:n:on" ? true : data === "pf:n:off" ? false : undefined),
};

/** The /delete confirmation: `del:yes` or `del:no`. */
export const deleteData = {
  pack: (choice: "yes" | "no") => `del:${choice}`,
  parse: (data: string | undefined) => (data === "del:yes" ? "yes" : data === "del:no" ? "no" : undefined),
};

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/**
 * Matching and time-bank buttons. Each carries an id only; who may press it
 * and whether it still applies is decided from the store when it arrives.
 */
export const matchData = {
  /** A volunteer's answer to a notice: `of:<a|d|l>:<offer>`. */
  answer(data: string | undefined) {
    const m = new RegExp(`^of:([adl]):(${UUID})$`).exec(data ?? "");
    if (!m) return undefined;
    const answer = ({ a: "accept", d: "decline", l: "later" } as const)[m[1] as "a" | "d" | "l"];
    return { answer, offerId: m[2]! };
  },
  /** An institution's decision: `od:y:<offer>`, `od:n:<offer>`, or a reason `od:r:<offer>:<reason>`. */
  decision(data: string | undefined) {
    const m = new RegExp(`^od:(y|n|r):(${UUID})(?::([a-z_]{1,20}))?$`).exec(data ?? "");
    if (!m || (m[1] === "r") !== (m[3] !== undefined)) return undefined;
    return { kind: m[1] as "y" | "n" | "r", offerId: m[2]!, reason: m[3] };
  },
  /** A centre's review of a citizen's request: `rq:<y|n>:<need>`. */
  review(data: string | undefined) {
    const m = new RegExp(`^rq:(y|n):(${UUID})$`).exec(data ?? "");
    return m ? { approve: m[1] === "y", needId: m[2]! } : undefined;
  },
  /**
   * Hours: `hr:<offer>` opens the picker, `hh:<offer>:<minutes>` reports,
   * `hc:<report>` confirms a report stored on the server (no minutes, no date).
   */
  hours(data: string | undefined) {
    const m = new RegExp(`^(hr|hh|hc):(${UUID})(?::(\\d{1,3}))?$`).exec(data ?? "");
    if (!m) return undefined;
    const [kind, id, minutes] = [m[1] as "hr" | "hh" | "hc", m[2]!, m[3]];
    if ((kind === "hh") !== (minutes !== undefined)) return undefined;
    return { kind, id, minutes: minutes ? Number(minutes) : undefined };
  },
  needPack: (action: "v" | "c" | "x" | "a" | "y", needId: string) => `nd:${action}:${needId}`,
  /**
   * A coordinator's need list: `nd:<v|c|x|a|y>:<need>` (view offers; close,
   * which asks first; close, confirmed; post again, which asks first; post
   * again, confirmed).
   */
  need(data: string | undefined) {
    const m = new RegExp(`^nd:(v|c|x|a|y):(${UUID})$`).exec(data ?? "");
    const action = { v: "view", c: "close", x: "confirm_close", a: "again", y: "confirm_again" } as const;
    return m ? { action: action[m[1] as keyof typeof action], needId: m[2]! } : undefined;
  },
};

/** A campaign message's opt-out button. */
export const OPT_OUT_DATA = "optout:campaigns";

/** The «I'm in» button's data: `in:<broadcast id>`. */
export const imInData = (broadcastId: string) => `in:${broadcastId}`;
export const parseImIn = (data: string | undefined) => /^in:([0-9a-f-]{36})$/.exec(data ?? "")?.[1];

/** Broadcast control buttons: `bc:<action>:<broadcast id>`. */
export const broadcastControl = {
  pack: (action: "pause" | "resume" | "cancel", id: string) => `bc:${action}:${id}`,
  parse(data: string | undefined): { action: "pause" | "resume" | "cancel"; id: string } | undefined {
    const m = /^bc:(pause|resume|cancel):([0-9a-f-]{36})$/.exec(data ?? "");
    return m ? { action: m[1] as "pause" | "resume" | "cancel", id: m[2]! } : undefined;
  },
};

/**
 * Safeguarding's buttons, `sc:<kind>:<argument>`: a lesson (`l`, an
 * orientation), a quiz step (`a`, the orientation and the options pressed so
 * far, one digit each), sending a document (`d`, its kind); a reviewer's
 * opening (`v`), approving (`y`), rejecting (`n`, then `r` with a reason) a
 * check; recording an interview passed (`i`) or not (`f`), or a sign-off
 * (`s`), for a person.
 * Only the shape is checked here; every service checks who and what.
 */
export const screeningData = {
  pack: (kind: "l" | "a" | "d" | "v" | "y" | "n" | "r" | "i" | "f" | "s", ...args: string[]) =>
    ["sc", kind, ...args].join(":"),
  parse(data: string | undefined) {
    const m = /^sc:([ladvynrifs]):([a-z_]{1,30}|[0-9a-f-]{36})(?::([0-9]{0,8}|[a-z_]{1,20}))?$/.exec(data ?? "");
    if (!m) return undefined;
    const [, kind, arg, extra] = m as unknown as [string, string, string, string | undefined];
    if (kind === "a" && extra === undefined) return undefined;
    if (kind === "r" && !extra) return undefined;
    if (!["a", "r"].includes(kind) && extra !== undefined) return undefined;
    return { kind: kind as "l" | "a" | "d" | "v" | "y" | "n" | "r" | "i" | "f" | "s", arg, extra: extra ?? "" };
  },
};
