import { Schema, type Connection, type InferSchemaType, type Model } from "mongoose";
import { PLATFORMS } from "../../platforms/capabilities.js";
import { SESSION_STATUSES } from "../../domain/sessions.js";

/**
 * Mongoose schemas and indexes. Only shape and indexes live here; behaviour
 * stays in the repositories and, above them, in plain services.
 */

const identitySchema = new Schema(
  {
    platform: { type: String, enum: PLATFORMS, required: true },
    userId: { type: String, required: true },
    chatId: { type: String, required: true },
    reachable: { type: Boolean, required: true, default: true },
    linkedAt: { type: Date, required: true },
  },
  { _id: false },
);

const pointSchema = new Schema(
  {
    type: { type: String, enum: ["Point"], required: true },
    /** GeoJSON order: [longitude, latitude]. */
    coordinates: { type: [Number], required: true },
  },
  { _id: false },
);

export const personSchema = new Schema(
  {
    _id: { type: String, required: true },
    identities: { type: [identitySchema], default: [] },
    /**
     * `platform:userId` of every identity. A unique multikey index on one
     * scalar array makes "one person per platform account" exact, which a
     * compound index over two fields of the subdocuments would not express.
     */
    identityKeys: { type: [String], default: [] },
    language: { type: String, default: null },
    source: { type: String, default: null },
    firstName: { type: String, default: null },
    lastName: { type: String, default: null },
    phoneEnc: { type: String, default: null },
    phoneHash: { type: String, default: null },
    /** The phone came from a contact the platform shared, not typed. */
    phoneVerified: { type: Boolean, default: false },
    nationalIdEnc: { type: String, default: null },
    nationalIdHash: { type: String, default: null },
    birthYear: { type: Number, default: null },
    gender: { type: String, default: null },
    province: { type: String, default: null },
    county: { type: String, default: null },
    neighbourhood: { type: String, default: null },
    location: { type: pointSchema, default: undefined },
    skills: { type: [String], default: [] },
    roles: { type: [String], default: [] },
    availability: {
      type: new Schema(
        { slots: { type: [String], required: true }, hoursPerWeek: { type: Number, required: true } },
        { _id: false },
      ),
      default: null,
    },
    notify: {
      type: new Schema(
        { campaigns: { type: Boolean, required: true }, matches: { type: Boolean, required: true } },
        { _id: false },
      ),
      default: () => ({ campaigns: true, matches: true }),
    },
    volunteerCode: { type: String, default: null },
    consentAt: { type: Date, default: null },
    registeredAt: { type: Date, default: null },
    erasedAt: { type: Date, default: null },
    veteranMarkedAt: { type: Date, default: null },
    registeredName: { type: String, default: null },
    title: { type: String, default: null },
    /** The unfinished registration, sealed like the other personal data. */
    draftEnc: { type: String, default: null },
    /** Availability as a bit mask (see `slotMask`): candidate searches test it with `$bitsAnySet`. */
    slotMask: { type: Number, default: 0 },
    /** Fairness counters for matching. */
    matchStats: {
      type: new Schema(
        {
          lastOfferMs: { type: Number, default: null },
          recentOffers: { type: Number, default: 0 },
          declineStreak: { type: Number, default: 0 },
        },
        { _id: false },
      ),
      default: () => ({ lastOfferMs: null, recentOffers: 0, declineStreak: 0 }),
    },
  },
  { collection: "people", timestamps: true, versionKey: false },
);

// An erased person has no identity left, and MongoDB indexes an empty array as one key: without the filter, a
// second erasure (or a merge leaving a person without identities) would collide with the first (E11000).
personSchema.index(
  { identityKeys: 1 },
  { unique: true, partialFilterExpression: { "identityKeys.0": { $exists: true } } },
);
personSchema.index(
  { nationalIdHash: 1 },
  { unique: true, partialFilterExpression: { nationalIdHash: { $type: "string" } } },
);
personSchema.index({ phoneHash: 1 }, { partialFilterExpression: { phoneHash: { $type: "string" } } });
personSchema.index({ province: 1, county: 1 });
personSchema.index({ skills: 1 });
personSchema.index({ roles: 1 });
personSchema.index(
  { volunteerCode: 1 },
  { unique: true, partialFilterExpression: { volunteerCode: { $type: "string" } } },
);
personSchema.index({ location: "2dsphere" }, { sparse: true });
/** `listRegistered`: keyset pages in registration order. */
personSchema.index({ registeredAt: 1, _id: 1 }, { name: "registered_keyset" });
/** The console's table for a province (a provincial admin's scope), in registration order. */
personSchema.index({ province: 1, registeredAt: 1, _id: 1 }, { name: "province_registered_keyset" });
/** Candidate searches: a role or skill within a province (and county), only among matchable people. */
const MATCHABLE = { registeredAt: { $type: "date" }, erasedAt: null, "notify.matches": true };
personSchema.index({ roles: 1, province: 1, county: 1 }, { partialFilterExpression: MATCHABLE, name: "match_roles" });
personSchema.index({ skills: 1, province: 1, county: 1 }, { partialFilterExpression: MATCHABLE, name: "match_skills" });

export type PersonDoc = InferSchemaType<typeof personSchema> & { createdAt: Date; updatedAt: Date };

export const broadcastSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** Sealed with the PII key when `personal`. */
    text: { type: String, required: true },
    personal: { type: Boolean, default: false },
    /** The people a personal broadcast carries data of. */
    about: { type: [String], default: undefined },
    segment: { type: Schema.Types.Mixed, default: {} },
    urgent: { type: Boolean, required: true },
    createdBy: { type: String, default: null },
    notBefore: { type: Date, required: true },
    status: { type: String, enum: ["running", "paused", "cancelled", "done"], required: true },
    total: { type: Number, default: 0 },
    photo: { type: Schema.Types.Mixed, default: null },
    link: { type: Schema.Types.Mixed, default: null },
    imIn: { type: Boolean, default: false },
    buttons: { type: Schema.Types.Mixed, default: null },
  },
  { collection: "broadcasts", timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
broadcastSchema.index({ status: 1, notBefore: 1 });

/** A delivery no worker holds: its lease lapsed at the epoch. */
export const NO_LEASE = new Date(0);

/** The outbox: one document per message to one person on one platform. */
export const deliverySchema = new Schema(
  {
    broadcastId: { type: String, required: true },
    personId: { type: String, required: true },
    platform: { type: String, enum: PLATFORMS, required: true },
    chatId: { type: String, required: true },
    status: { type: String, enum: ["pending", "sent", "failed", "unreachable", "cancelled"], default: "pending" },
    attempts: { type: Number, default: 0 },
    dueAt: { type: Date, required: true },
    leaseOwner: { type: String, default: null },
    /** Never null (NO_LEASE when free): a claim tests one range, `leaseUntil < now`. */
    leaseUntil: { type: Date, required: true, default: () => NO_LEASE },
    claimToken: { type: String, default: null },
    error: { type: String, default: null },
    settledAt: { type: Date, default: null },
    /** The enqueue call that added it: after a failed call, what did land is counted by it. */
    batch: { type: String, default: null },
  },
  { collection: "deliveries", versionKey: false },
);
deliverySchema.index({ broadcastId: 1, personId: 1, platform: 1 }, { unique: true });
/** The claim: pending deliveries of running broadcasts in _id order (dueAt and the lease are tested on the way). */
deliverySchema.index({ status: 1, broadcastId: 1, _id: 1 }, { name: "claim" });
/** A broadcast's progress: its deliveries counted by status. */
deliverySchema.index({ broadcastId: 1, status: 1 }, { name: "progress" });
deliverySchema.index({ claimToken: 1 }, { sparse: true });

export const campaignSchema = new Schema(
  {
    _id: { type: String, required: true },
    template: { type: String, enum: ["ramadan", "monthly"], required: true },
    title: { type: String, required: true },
    hijriYear: { type: Number, default: null },
    adjustDays: { type: Number, default: 0 },
    monthDay: { type: Number, default: null },
    hour: { type: Number, required: true },
    segment: { type: Schema.Types.Mixed, default: {} },
    status: { type: String, enum: ["active", "ended"], required: true },
    createdBy: { type: String, default: null },
    /** One entry per occurrence sent (`ramadan:7`, `1405-09`): the idempotency record. */
    runs: { type: [new Schema({ occurrence: String, broadcastId: String }, { _id: false })], default: [] },
  },
  { collection: "campaigns", timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
campaignSchema.index({ status: 1 });

export const pledgeSchema = new Schema(
  {
    slug: { type: String, required: true },
    personId: { type: String, required: true },
    hours: { type: Number, required: true },
    pledgedAt: { type: Date, required: true },
  },
  { collection: "pledges", versionKey: false },
);
pledgeSchema.index({ slug: 1, personId: 1 }, { unique: true });

export const responseSchema = new Schema(
  {
    broadcastId: { type: String, required: true },
    personId: { type: String, required: true },
    respondedAt: { type: Date, required: true },
  },
  { collection: "broadcast_responses", versionKey: false },
);
responseSchema.index({ broadcastId: 1, personId: 1 }, { unique: true });
export type ResponseDoc = InferSchemaType<typeof responseSchema>;

export const institutionSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    province: { type: String, required: true },
    phone: { type: String, default: null },
  },
  { collection: "institutions", versionKey: false },
);
institutionSchema.index({ province: 1 });
export type InstitutionDoc = InferSchemaType<typeof institutionSchema>;

export const centreSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    name: { type: String, required: true },
    province: { type: String, required: true },
    county: { type: String, required: true },
    neighbourhood: { type: String, default: null },
    address: { type: String, required: true },
    phone: { type: String, default: null },
    location: { type: pointSchema, default: undefined },
    institutionCode: { type: String, default: null },
    /** The generation of its check-in codes (rotated from the console). */
    checkInEpoch: { type: Number, default: 0 },
  },
  { collection: "centres", versionKey: false },
);
centreSchema.index({ province: 1, county: 1 });
export type CentreDoc = InferSchemaType<typeof centreSchema>;

export const centreActionSchema = new Schema(
  {
    _id: { type: String, required: true },
    centreCode: { type: String, required: true },
    kind: { type: String, required: true },
    date: { type: String, required: true },
    participants: { type: Number, required: true },
    reportedBy: { type: String, required: true },
  },
  { collection: "centre_actions", timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
centreActionSchema.index({ centreCode: 1, date: 1 });
export type CentreActionDoc = InferSchemaType<typeof centreActionSchema> & { createdAt: Date };

export const needSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ["centre", "request"], required: true },
    centreCode: { type: String, required: true },
    requesterId: { type: String, default: null },
    createdBy: { type: String, required: true },
    role: { type: String, default: null },
    skills: { type: [String], default: [] },
    wanted: { type: Number, required: true },
    filled: { type: Number, default: 0 },
    startDate: { type: String, required: true },
    endDate: { type: String, required: true },
    slots: { type: [String], default: [] },
    reach: { type: String, enum: ["county", "province"], required: true },
    notes: { type: String, default: null },
    status: { type: String, required: true },
    waves: { type: Number, default: 0 },
    reviewedBy: { type: String, default: null },
    rejectReason: { type: String, default: null },
  },
  { collection: "needs", timestamps: true, versionKey: false },
);
needSchema.index({ centreCode: 1, status: 1 });
needSchema.index({ status: 1, endDate: 1 });
needSchema.index({ requesterId: 1 }, { partialFilterExpression: { requesterId: { $type: "string" } } });
export type NeedDoc = InferSchemaType<typeof needSchema> & { createdAt: Date; updatedAt: Date };

export const offerSchema = new Schema(
  {
    _id: { type: String, required: true },
    needId: { type: String, required: true },
    personId: { type: String, required: true },
    status: { type: String, required: true },
    wave: { type: Number, required: true },
    score: { type: Number, required: true },
    reasons: { type: Schema.Types.Mixed, default: [] },
    institutionCode: { type: String, default: null },
    decidedBy: { type: String, default: null },
    rejectReason: { type: String, default: null },
    expiresAt: { type: Date, required: true },
    answeredAt: { type: Date, default: null },
  },
  { collection: "offers", timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
offerSchema.index({ needId: 1, personId: 1 }, { unique: true });
offerSchema.index({ status: 1, expiresAt: 1 });
offerSchema.index({ personId: 1, status: 1 });
offerSchema.index({ institutionCode: 1, status: 1 });
export type OfferDoc = InferSchemaType<typeof offerSchema> & { createdAt: Date };

/** One ledger entry with its postings embedded: a single document is written atomically. */
export const ledgerEntrySchema = new Schema(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    kind: { type: String, enum: ["service", "correction"], required: true },
    offerId: { type: String, default: null },
    reverses: { type: String, default: null },
    memo: { type: String, default: null },
    postings: {
      type: [new Schema({ account: String, minutes: Number, side: String }, { _id: false })],
      required: true,
    },
    /** The accounts of the postings, for an index. */
    accounts: { type: [String], required: true },
    by: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: "ledger", versionKey: false },
);
ledgerEntrySchema.index({ key: 1 }, { unique: true });
ledgerEntrySchema.index({ accounts: 1, at: -1 });
/** The veterans-by-hours segment: the entries giving hours from a person's account. */
ledgerEntrySchema.index({ "postings.account": 1, "postings.side": 1 }, { name: "postings_given" });
export type LedgerEntryDoc = InferSchemaType<typeof ledgerEntrySchema>;

export const grantSchema = new Schema(
  {
    platform: { type: String, enum: PLATFORMS, required: true },
    userId: { type: String, required: true },
    role: { type: String, required: true },
    scope: { type: String, required: true },
    grantedBy: { type: String, required: true },
    grantedAt: { type: Date, required: true },
  },
  { collection: "grants", versionKey: false },
);
grantSchema.index({ platform: 1, userId: 1, role: 1, scope: 1 }, { unique: true });
grantSchema.index({ role: 1, scope: 1 });
export type GrantDoc = InferSchemaType<typeof grantSchema>;

export const inviteSchema = new Schema(
  {
    _id: { type: String, required: true },
    role: { type: String, required: true },
    scope: { type: String, required: true },
    createdBy: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    usedBy: { type: String, default: null },
    usedAt: { type: Date, default: null },
  },
  { collection: "invites", versionKey: false },
);
inviteSchema.index({ createdBy: 1, usedBy: 1 });
export type InviteDoc = InferSchemaType<typeof inviteSchema>;

/** A one-time token's use (a console sign-in link's nonce): gone at `expiresAt` (TTL index). */
export const claimSchema = new Schema(
  {
    _id: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: "one_time_claims", versionKey: false },
);
claimSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
export type ClaimDoc = InferSchemaType<typeof claimSchema>;

export const auditSchema = new Schema(
  {
    actor: { type: String, required: true },
    action: { type: String, required: true },
    scope: { type: String, required: true },
    target: { type: String, default: null },
    outcome: { type: String, required: true },
    details: { type: Schema.Types.Mixed, default: null },
    at: { type: Date, required: true },
    /** Refusals in a row of one actor and action: how many, and when the last was. */
    count: { type: Number, default: 1 },
    lastAt: { type: Date, default: null },
  },
  { collection: "audit_log", versionKey: false },
);
auditSchema.index({ actor: 1, action: 1, _id: -1 });
/** The audit log newest first (`auditLog`), in pages. */
auditSchema.index({ at: -1, _id: -1 });
auditSchema.index({ actor: 1, at: -1 });
export type AuditDoc = InferSchemaType<typeof auditSchema>;

export const hourReportSchema = new Schema(
  {
    _id: { type: String, required: true },
    offerId: { type: String, required: true },
    minutes: { type: Number, required: true },
    date: { type: String, required: true },
    status: { type: String, enum: ["pending", "confirmed", "superseded"], required: true },
    reportedAt: { type: Date, required: true },
    settledAt: { type: Date, default: null },
  },
  { collection: "hour_reports", versionKey: false },
);
hourReportSchema.index({ offerId: 1, date: 1, status: 1 });
export type HourReportDoc = InferSchemaType<typeof hourReportSchema>;

/** A session of service: one date and part of day of an approved offer. */
export const sessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    offerId: { type: String, required: true },
    needId: { type: String, required: true },
    personId: { type: String, required: true },
    centreCode: { type: String, required: true },
    date: { type: String, required: true },
    part: { type: String, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    status: { type: String, enum: SESSION_STATUSES, required: true },
    reminded: { type: Schema.Types.Mixed, default: {} },
    confirmedAt: { type: Date, default: null },
    cancelledAt: { type: Date, default: null },
    checkInAt: { type: Date, default: null },
    checkOutAt: { type: Date, default: null },
    checkInBy: { type: String, default: null },
    checkInDistanceM: { type: Number, default: null },
    minutes: { type: Number, default: null },
    correctedBy: { type: String, default: null },
    correctionReason: { type: String, default: null },
    creditKey: { type: String, default: null },
    creditedBy: { type: String, default: null },
  },
  { collection: "service_sessions", timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
sessionSchema.index({ offerId: 1, date: 1, part: 1 }, { unique: true });
sessionSchema.index({ status: 1, startsAt: 1 });
sessionSchema.index({ personId: 1, startsAt: 1 });
sessionSchema.index({ centreCode: 1, startsAt: 1 });
sessionSchema.index({ creditKey: 1 }, { partialFilterExpression: { creditKey: { $type: "string" } } });
export type SessionDoc = InferSchemaType<typeof sessionSchema> & { createdAt: Date };

/** A certificate of service as issued, found by its verification code. */
export const certificateSchema = new Schema(
  {
    _id: { type: String, required: true },
    personId: { type: String, required: true },
    name: { type: String, required: true },
    minutes: { type: Number, required: true },
    issuedAt: { type: Date, required: true },
    supersededBy: { type: String, default: null },
  },
  { collection: "certificates", versionKey: false },
);
certificateSchema.index({ personId: 1, issuedAt: -1 });
export type CertificateDoc = InferSchemaType<typeof certificateSchema>;

/** A safeguarding check; a document's file sealed (`fileSealed`), never read by a list. */
export const screeningSchema = new Schema(
  {
    _id: { type: String, required: true },
    personId: { type: String, required: true },
    requirement: { type: String, required: true },
    status: { type: String, required: true },
    score: { type: Number, default: null },
    institutionCode: { type: String, default: null },
    fileMime: { type: String, default: null },
    fileBytes: { type: Number, default: null },
    fileSealed: { type: String, default: null, select: false },
    fileKept: { type: Boolean, default: false },
    fileDroppedAt: { type: Date, default: null },
    expiresAt: { type: Date, default: null },
    decidedBy: { type: String, default: null },
    reason: { type: String, default: null },
    createdAt: { type: Date, required: true },
    decidedAt: { type: Date, default: null },
    warned: { type: [Number], default: [] },
  },
  { collection: "screening_checks", versionKey: false },
);
screeningSchema.index({ personId: 1, createdAt: -1 });
screeningSchema.index({ status: 1, institutionCode: 1, createdAt: 1 });
screeningSchema.index({ requirement: 1, status: 1, expiresAt: 1 });
export type ScreeningDoc = InferSchemaType<typeof screeningSchema>;

export type CampaignDoc = InferSchemaType<typeof campaignSchema> & { createdAt: Date };
export type PledgeDoc = InferSchemaType<typeof pledgeSchema>;

export type BroadcastDoc = InferSchemaType<typeof broadcastSchema> & { createdAt: Date };
export type DeliveryDoc = InferSchemaType<typeof deliverySchema> & { _id: import("mongoose").Types.ObjectId };

export interface Models {
  Person: Model<PersonDoc>;
  Broadcast: Model<BroadcastDoc>;
  Delivery: Model<DeliveryDoc>;
  Campaign: Model<CampaignDoc>;
  Pledge: Model<PledgeDoc>;
  Response: Model<ResponseDoc>;
  Institution: Model<InstitutionDoc>;
  Centre: Model<CentreDoc>;
  CentreAction: Model<CentreActionDoc>;
  Need: Model<NeedDoc>;
  Offer: Model<OfferDoc>;
  LedgerEntry: Model<LedgerEntryDoc>;
  Grant: Model<GrantDoc>;
  Invite: Model<InviteDoc>;
  Claim: Model<ClaimDoc>;
  Audit: Model<AuditDoc>;
  HourReport: Model<HourReportDoc>;
  Session: Model<SessionDoc>;
  Certificate: Model<CertificateDoc>;
  Screening: Model<ScreeningDoc>;
}

export function registerModels(conn: Connection): Models {
  return {
    Person: conn.model<PersonDoc>("Person", personSchema),
    Broadcast: conn.model<BroadcastDoc>("Broadcast", broadcastSchema),
    Delivery: conn.model<DeliveryDoc>("Delivery", deliverySchema),
    Campaign: conn.model<CampaignDoc>("Campaign", campaignSchema),
    Pledge: conn.model<PledgeDoc>("Pledge", pledgeSchema),
    Response: conn.model<ResponseDoc>("Response", responseSchema),
    Institution: conn.model<InstitutionDoc>("Institution", institutionSchema),
    Centre: conn.model<CentreDoc>("Centre", centreSchema),
    CentreAction: conn.model<CentreActionDoc>("CentreAction", centreActionSchema),
    Need: conn.model<NeedDoc>("Need", needSchema),
    Offer: conn.model<OfferDoc>("Offer", offerSchema),
    LedgerEntry: conn.model<LedgerEntryDoc>("LedgerEntry", ledgerEntrySchema),
    Grant: conn.model<GrantDoc>("Grant", grantSchema),
    Invite: conn.model<InviteDoc>("Invite", inviteSchema),
    Claim: conn.model<ClaimDoc>("Claim", claimSchema),
    Audit: conn.model<AuditDoc>("Audit", auditSchema),
    HourReport: conn.model<HourReportDoc>("HourReport", hourReportSchema),
    Session: conn.model<SessionDoc>("Session", sessionSchema),
    Certificate: conn.model<CertificateDoc>("Certificate", certificateSchema),
    Screening: conn.model<ScreeningDoc>("Screening", screeningSchema),
  };
}

export const identityKey = (platform: string, userId: string) => `${platform}:${userId}`;
