import { randomUUID } from "node:crypto";
import type { PiiCipher } from "../../security/pii.js";
import { nationalIdIndex, openPii, phoneIndex, sealPii } from "../pii-fields.js";
import {
  DuplicateError,
  NotFoundError,
  type ErasedPerson,
  type IdentityRef,
  type NewIdentity,
  type PageKey,
  type VolunteerFilter,
  type PeopleRepository,
  type Person,
  type PersonPatch,
} from "../port/index.js";
import type { Connection } from "mongoose";
import type { Platform } from "../../platforms/capabilities.js";
import type { RegistrationDraft } from "../../domain/registration.js";
import type { Slot } from "../../domain/taxonomy.js";
import { slotMask } from "../../domain/matching.js";
import { veteranCutoff, type Recipient, type Segment } from "../../domain/segment.js";
import { identityKey, type Models, type PersonDoc } from "./models.js";
import { erasurePseudonyms } from "../erasure.js";
import { eraseEverywhere } from "./erasure.js";
import { isDuplicateKey } from "./errors.js";
import { escapeRegExp } from "../../domain/normalize.js";

const duplicateField = (e: Error): DuplicateError["field"] =>
  e.message.includes("volunteerCode")
    ? "volunteerCode"
    : e.message.includes("identityKeys")
      ? "identity"
      : "nationalId";

/** Fields cleared by erasure (see KEPT_ON_ERASE for what stays). */
const ERASED_FIELDS = [
  "language",
  "title",
  "firstName",
  "lastName",
  "registeredName",
  "phoneEnc",
  "phoneHash",
  "nationalIdEnc",
  "nationalIdHash",
  "birthYear",
  "neighbourhood",
  "availability",
  "volunteerCode",
  "consentAt",
  "draftEnc",
] as const;

const PLAIN_FIELDS = [
  "language",
  "source",
  "firstName",
  "lastName",
  "birthYear",
  "gender",
  "province",
  "county",
  "neighbourhood",
  "registeredAt",
  "consentAt",
  "skills",
  "roles",
  "availability",
  "notify",
  "volunteerCode",
  "veteranMarkedAt",
  "phoneVerified",
  "registeredName",
  "title",
] as const satisfies readonly (keyof PersonPatch)[];

export class MongoPeopleRepository implements PeopleRepository {
  constructor(
    private readonly conn: Connection,
    private readonly models: Models,
    private readonly cipher: PiiCipher,
  ) {}

  async get(id: string): Promise<Person | null> {
    return this.toPerson(await this.models.Person.findById(id).lean<PersonDoc>());
  }

  async findByIdentity(ref: IdentityRef): Promise<Person | null> {
    const doc = await this.models.Person.findOne({
      identityKeys: identityKey(ref.platform, ref.userId),
    }).lean<PersonDoc>();
    return this.toPerson(doc);
  }

  async ensure(identity: NewIdentity, defaults: Pick<PersonPatch, "language" | "source"> = {}) {
    const key = identityKey(identity.platform, identity.userId);
    for (let attempt = 0; ; attempt++) {
      // A read first: a known identity whose chat is unchanged (every /start) costs no write.
      const known = await this.models.Person.findOne({ identityKeys: key }).lean<PersonDoc>();
      const current = known?.identities.find((i) => i.platform === identity.platform && i.userId === identity.userId);
      if (known) {
        if (current?.chatId === identity.chatId) return { person: this.toPerson(known)!, created: false };
        const moved = await this.models.Person.findOneAndUpdate(
          { identityKeys: key },
          { $set: { "identities.$[i].chatId": identity.chatId } },
          { arrayFilters: [{ "i.platform": identity.platform, "i.userId": identity.userId }], returnDocument: "after" },
        ).lean<PersonDoc>();
        if (moved) return { person: this.toPerson(moved)!, created: false };
      }
      try {
        const doc = await this.models.Person.create({
          _id: randomUUID(),
          identityKeys: [key],
          identities: [{ ...identity, reachable: true, linkedAt: new Date() }],
          language: defaults.language ?? null,
          source: defaults.source ?? null,
        });
        return { person: this.toPerson(doc.toObject() as PersonDoc)!, created: true };
      } catch (e) {
        // A concurrent ensure created the person first: read theirs.
        if (isDuplicateKey(e) && attempt === 0) continue;
        throw e;
      }
    }
  }

  async update(id: string, patch: PersonPatch): Promise<Person> {
    const $set: Record<string, unknown> = {};
    const $unset: Record<string, 1> = {};
    for (const field of PLAIN_FIELDS) {
      if (patch[field] !== undefined) $set[field] = patch[field];
    }
    // Sets, as in SQLite (one row per skill or role).
    if (patch.skills) $set.skills = [...new Set(patch.skills)];
    if (patch.roles) $set.roles = [...new Set(patch.roles)];
    for (const [field, value] of Object.entries(sealPii(this.cipher, patch))) {
      if (value !== undefined) $set[field] = value;
    }
    if (patch.availability !== undefined) $set.slotMask = slotMask(patch.availability?.slots ?? []);
    if (patch.location === null) $unset.location = 1;
    else if (patch.location) $set.location = { type: "Point", coordinates: [patch.location.lon, patch.location.lat] };
    try {
      const doc = await this.models.Person.findByIdAndUpdate(
        id,
        Object.keys($unset).length ? { $set, $unset } : { $set },
        { returnDocument: "after" },
      ).lean<PersonDoc>();
      if (!doc) throw new NotFoundError("person", id);
      return this.toPerson(doc)!;
    } catch (e) {
      if (isDuplicateKey(e)) throw new DuplicateError(duplicateField(e));
      throw e;
    }
  }

  async setSourceIfEmpty(id: string, source: string): Promise<Person> {
    await this.models.Person.updateOne({ _id: id, source: null }, { $set: { source } });
    const person = await this.get(id);
    if (!person) throw new NotFoundError("person", id);
    return person;
  }

  async findByNationalId(nationalId: string): Promise<Person | null> {
    const doc = await this.models.Person.findOne({
      nationalIdHash: nationalIdIndex(this.cipher, nationalId),
    }).lean<PersonDoc>();
    return this.toPerson(doc);
  }

  async findByVolunteerCode(code: string): Promise<Person | null> {
    return this.toPerson(await this.models.Person.findOne({ volunteerCode: code }).lean<PersonDoc>());
  }

  async findByPhone(phone: string): Promise<Person[]> {
    const docs = await this.models.Person.find({ phoneHash: phoneIndex(this.cipher, phone) })
      .sort({ createdAt: 1 })
      .lean<PersonDoc[]>();
    return docs.map((d) => this.toPerson(d)!);
  }

  async linkIdentity(personId: string, identity: NewIdentity): Promise<Person> {
    const key = identityKey(identity.platform, identity.userId);
    try {
      // Guarded: an identity the person already has is not added again (the unique index covers other people).
      const doc = await this.models.Person.findOneAndUpdate(
        { _id: personId, identityKeys: { $ne: key } },
        {
          $addToSet: {
            identityKeys: key,
            identities: { ...identity, reachable: true, linkedAt: new Date() },
          },
        },
        { returnDocument: "after" },
      ).lean<PersonDoc>();
      if (doc) return this.toPerson(doc)!;
    } catch (e) {
      if (isDuplicateKey(e)) throw new DuplicateError("identity");
      throw e;
    }
    if (await this.models.Person.exists({ _id: personId })) throw new DuplicateError("identity");
    throw new NotFoundError("person", personId);
  }

  async setReachable(ref: IdentityRef, reachable: boolean): Promise<void> {
    await this.models.Person.updateOne(
      { identityKeys: identityKey(ref.platform, ref.userId) },
      { $set: { "identities.$[i].reachable": reachable } },
      { arrayFilters: [{ "i.platform": ref.platform, "i.userId": ref.userId }] },
    );
  }

  async transferIdentity(ref: IdentityRef, toPersonId: string): Promise<Person> {
    const key = identityKey(ref.platform, ref.userId);
    await this.conn.transaction(async (session) => {
      const target = await this.models.Person.exists({ _id: toPersonId }).session(session);
      if (!target) throw new NotFoundError("person", toPersonId);
      const from = await this.models.Person.findOne({ identityKeys: key }).session(session).lean<PersonDoc>();
      if (!from) throw new NotFoundError("identity", key);
      if (String(from._id) === toPersonId) return;
      const identity = from.identities.find((i) => i.platform === ref.platform && i.userId === ref.userId)!;
      // The arrays as read in this transaction, less the identity. A concurrent change to this person makes the
      // write conflict and the transaction is retried from the read, so nothing is lost.
      const res = await this.models.Person.updateOne(
        { _id: from._id, identityKeys: key },
        {
          $set: {
            identityKeys: from.identityKeys.filter((k) => k !== key),
            identities: from.identities.filter((i) => !(i.platform === ref.platform && i.userId === ref.userId)),
          },
        },
      ).session(session);
      if (res.modifiedCount !== 1) throw new NotFoundError("identity", key);
      await this.models.Person.updateOne(
        { _id: toPersonId, identityKeys: { $ne: key } },
        { $addToSet: { identityKeys: key, identities: { ...identity, linkedAt: new Date() } } },
      ).session(session);
      await this.models.Person.deleteOne({ _id: from._id, registeredAt: null, identityKeys: { $size: 0 } }).session(
        session,
      );
    });
    return (await this.get(toPersonId))!;
  }

  async getDraft(id: string) {
    const doc = await this.models.Person.findById(id, { draftEnc: 1 }).lean<Pick<PersonDoc, "draftEnc">>();
    return doc?.draftEnc ? (JSON.parse(this.cipher.decrypt(doc.draftEnc)) as RegistrationDraft) : null;
  }

  async saveDraft(id: string, draft: RegistrationDraft | null): Promise<void> {
    const draftEnc = draft ? this.cipher.encrypt(JSON.stringify(draft)) : null;
    const result = await this.models.Person.updateOne({ _id: id }, { $set: { draftEnc } });
    if (result.matchedCount === 0) throw new NotFoundError("person", id);
  }

  async erase(id: string): Promise<ErasedPerson> {
    const doc = await this.models.Person.findById(id, { identities: 1 }).lean<PersonDoc>();
    if (!doc) throw new NotFoundError("person", id);
    const erased = erasurePseudonyms(
      this.cipher,
      id,
      doc.identities.map((i) => ({ platform: i.platform as Platform, userId: i.userId, chatId: i.chatId })),
    );
    const $set: Record<string, unknown> = Object.fromEntries(ERASED_FIELDS.map((f) => [f, null]));
    // The person first: from here on nothing new is queued for them (enqueue skips the erased).
    await this.models.Person.updateOne(
      { _id: id },
      {
        $set: {
          ...$set,
          phoneVerified: false,
          identities: [],
          identityKeys: [],
          notify: { campaigns: false, matches: false },
          slotMask: 0,
          matchStats: { lastOfferMs: null, recentOffers: 0, declineStreak: 0 },
          erasedAt: new Date(),
        },
        $unset: { location: 1 },
      },
    );
    await eraseEverywhere(this.models, id, erased);
    return erased;
  }

  async segment(segment: Segment): Promise<Recipient[]> {
    const filter: Record<string, unknown> = {
      registeredAt: { $ne: null, ...(segment.registeredSince ? { $gte: new Date(segment.registeredSince) } : {}) },
      erasedAt: null,
      "notify.campaigns": true,
    };
    const anyOf = (field: string, values: readonly unknown[] | undefined) => {
      if (values?.length) filter[field] = { $in: values };
    };
    anyOf("province", segment.provinces);
    anyOf("county", segment.counties);
    anyOf("skills", segment.skills);
    anyOf("roles", segment.roles);
    anyOf("source", segment.sources);
    if (segment.veterans) {
      const cutoff = veteranCutoff(segment.veterans.minYears, new Date());
      const veteran: Record<string, unknown>[] = [
        { veteranMarkedAt: { $ne: null } },
        { registeredAt: { $ne: null, $lte: cutoff } },
      ];
      filter.$or = veteran;
      // At least 0 hours is everyone, with or without a ledger entry (as in SQLite).
      if (segment.veterans.minHours !== undefined && segment.veterans.minHours <= 0) delete filter.$or;
      else if (segment.veterans.minHours !== undefined) {
        const served = await this.models.LedgerEntry.aggregate<{ _id: string }>([
          // Only entries giving from a person's account, through the index {postings.account, postings.side}.
          { $match: { postings: { $elemMatch: { account: { $regex: "^person:" }, side: "giver" } } } },
          { $unwind: "$postings" },
          { $match: { "postings.account": { $regex: "^person:" }, "postings.side": "giver" } },
          { $group: { _id: "$postings.account", minutes: { $sum: "$postings.minutes" } } },
          { $match: { minutes: { $gte: segment.veterans.minHours * 60 } } },
        ]);
        veteran.push({ _id: { $in: served.map((s) => s._id.slice("person:".length)) } });
      }
    }
    if (segment.pledgedIn?.length)
      filter._id = { $in: await this.models.Pledge.distinct("personId", { slug: { $in: segment.pledgedIn } }) };
    // A person who never chose a language reads Persian.
    if (segment.languages?.length)
      filter.language = { $in: segment.languages.includes("fa") ? [...segment.languages, null] : segment.languages };
    const docs = await this.models.Person.find(filter, { identities: 1 })
      .sort({ _id: 1 })
      .lean<Pick<PersonDoc, "_id" | "identities">[]>();
    return docs.flatMap((d) =>
      d.identities
        .filter(
          (i) => i.reachable && (!segment.platforms?.length || segment.platforms.includes(i.platform as Platform)),
        )
        .map((i) => ({ personId: String(d._id), platform: i.platform as Platform, chatId: i.chatId }))
        .sort((a, b) => a.platform.localeCompare(b.platform)),
    );
  }

  async listRegistered(filter: VolunteerFilter, after: PageKey | null, limit: number): Promise<Person[]> {
    // Keyset paging on the index {registeredAt, _id}: each page starts where the last ended, never skipping rows.
    const and: Record<string, unknown>[] = [{ registeredAt: { $type: "date" }, erasedAt: null }];
    const anyOf = (field: string, values: readonly unknown[] | undefined) => {
      if (values?.length) and.push({ [field]: { $in: values } });
    };
    anyOf("province", filter.provinces);
    anyOf("county", filter.counties);
    anyOf("skills", filter.skills);
    anyOf("roles", filter.roles);
    anyOf("source", filter.sources);
    anyOf("availability.slots", filter.slots);
    if (filter.registeredSince) and.push({ registeredAt: { $gte: filter.registeredSince } });
    if (filter.veterans)
      and.push({
        $or: [
          { veteranMarkedAt: { $ne: null } },
          { registeredAt: { $lte: veteranCutoff(filter.veterans.minYears, new Date()) } },
        ],
      });
    if (filter.text) {
      const part = new RegExp(escapeRegExp(filter.text));
      and.push({
        $or: [
          { firstName: part },
          { lastName: part },
          { neighbourhood: part },
          { volunteerCode: new RegExp(escapeRegExp(filter.text.toUpperCase())) },
          // Across the space between the names (as SQLite reads «first last»): each way of splitting the text there.
          ...[...filter.text.matchAll(/ /g)].map((m) => ({
            firstName: new RegExp(`${escapeRegExp(filter.text!.slice(0, m.index))}$`),
            lastName: new RegExp(`^${escapeRegExp(filter.text!.slice(m.index + 1))}`),
          })),
        ],
      });
    }
    if (after)
      and.push({
        $or: [
          { registeredAt: { $gt: after.registeredAt } },
          { registeredAt: after.registeredAt, _id: { $gt: after.id } },
        ],
      });
    const docs = await this.models.Person.find({ $and: and })
      .sort({ registeredAt: 1, _id: 1 })
      .limit(limit)
      .lean<PersonDoc[]>();
    return docs.map((d) => this.toPerson(d)!);
  }

  async count(): Promise<number> {
    return this.models.Person.countDocuments();
  }

  async registrationFunnel(since: Date | null) {
    const docs = await this.models.Person.find(
      { erasedAt: null, ...(since ? { createdAt: { $gte: since } } : {}) },
      { registeredAt: 1, province: 1, draftEnc: 1 },
    ).lean<Pick<PersonDoc, "_id" | "registeredAt" | "province" | "draftEnc">[]>();
    const registered: (string | null)[] = [];
    const unfinished: { personId: string; draft: RegistrationDraft | null }[] = [];
    for (const d of docs)
      if (d.registeredAt) registered.push(d.province ?? null);
      else
        unfinished.push({
          personId: String(d._id),
          draft: d.draftEnc ? (JSON.parse(this.cipher.decrypt(d.draftEnc)) as RegistrationDraft) : null,
        });
    return { registered, unfinished };
  }

  private toPerson(doc: PersonDoc | null): Person | null {
    if (!doc) return null;
    const coordinates = doc.location?.coordinates;
    return {
      id: String(doc._id),
      identities: [...doc.identities]
        .map((i) => ({
          platform: i.platform as Platform,
          userId: i.userId,
          chatId: i.chatId,
          reachable: i.reachable,
          linkedAt: new Date(i.linkedAt),
        }))
        .sort((a, b) => a.linkedAt.getTime() - b.linkedAt.getTime() || a.platform.localeCompare(b.platform)),
      language: (doc.language ?? null) as Person["language"],
      source: doc.source ?? null,
      firstName: doc.firstName ?? null,
      lastName: doc.lastName ?? null,
      ...openPii(this.cipher, { phoneEnc: doc.phoneEnc ?? null, nationalIdEnc: doc.nationalIdEnc ?? null }),
      phoneVerified: doc.phoneVerified ?? false,
      birthYear: doc.birthYear ?? null,
      gender: (doc.gender ?? null) as Person["gender"],
      province: doc.province ?? null,
      county: doc.county ?? null,
      neighbourhood: doc.neighbourhood ?? null,
      location: coordinates && coordinates.length === 2 ? { lon: coordinates[0]!, lat: coordinates[1]! } : null,
      skills: [...(doc.skills ?? [])].sort(),
      roles: [...(doc.roles ?? [])].sort(),
      availability: doc.availability
        ? { slots: [...doc.availability.slots] as Slot[], hoursPerWeek: doc.availability.hoursPerWeek }
        : null,
      notify: { campaigns: doc.notify?.campaigns ?? true, matches: doc.notify?.matches ?? true },
      volunteerCode: doc.volunteerCode ?? null,
      consentAt: doc.consentAt ? new Date(doc.consentAt) : null,
      registeredAt: doc.registeredAt ? new Date(doc.registeredAt) : null,
      erasedAt: doc.erasedAt ? new Date(doc.erasedAt) : null,
      veteranMarkedAt: doc.veteranMarkedAt ? new Date(doc.veteranMarkedAt) : null,
      registeredName: doc.registeredName ?? null,
      title: doc.title ?? null,
      createdAt: new Date(doc.createdAt),
      updatedAt: new Date(doc.updatedAt),
    };
  }
}
