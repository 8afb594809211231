import { Schema, type Connection, type InferSchemaType, type Model } from "mongoose";
import { PLATFORMS } from "../../platforms/capabilities.js";

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
    /** The unfinished registration, sealed like the other personal data. */
    draftEnc: { type: String, default: null },
  },
  { collection: "people", timestamps: true, versionKey: false },
);

personSchema.index({ identityKeys: 1 }, { unique: true });
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

export type PersonDoc = InferSchemaType<typeof personSchema> & { createdAt: Date; updatedAt: Date };

export const broadcastSchema = new Schema(
  {
    _id: { type: String, required: true },
    text: { type: String, required: true },
    segment: { type: Schema.Types.Mixed, default: {} },
    urgent: { type: Boolean, required: true },
    createdBy: { type: String, default: null },
    notBefore: { type: Date, required: true },
    status: { type: String, enum: ["running", "paused", "cancelled", "done"], required: true },
    total: { type: Number, default: 0 },
    photo: { type: Schema.Types.Mixed, default: null },
    link: { type: Schema.Types.Mixed, default: null },
    imIn: { type: Boolean, default: false },
  },
  { collection: "broadcasts", timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
broadcastSchema.index({ status: 1, notBefore: 1 });

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
    leaseUntil: { type: Date, default: null },
    claimToken: { type: String, default: null },
    error: { type: String, default: null },
    settledAt: { type: Date, default: null },
  },
  { collection: "deliveries", versionKey: false },
);
deliverySchema.index({ broadcastId: 1, personId: 1, platform: 1 }, { unique: true });
deliverySchema.index({ status: 1, broadcastId: 1, dueAt: 1 });
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
}

export function registerModels(conn: Connection): Models {
  return {
    Person: conn.model<PersonDoc>("Person", personSchema),
    Broadcast: conn.model<BroadcastDoc>("Broadcast", broadcastSchema),
    Delivery: conn.model<DeliveryDoc>("Delivery", deliverySchema),
    Campaign: conn.model<CampaignDoc>("Campaign", campaignSchema),
    Pledge: conn.model<PledgeDoc>("Pledge", pledgeSchema),
    Response: conn.model<ResponseDoc>("Response", responseSchema),
  };
}

export const identityKey = (platform: string, userId: string) => `${platform}:${userId}`;
