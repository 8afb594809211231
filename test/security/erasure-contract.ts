import { afterEach, beforeEach, expect, it } from "vitest";
import { personAccount, servicePostings } from "../../src/domain/ledger.js";
import { pushTo } from "../../src/services/broadcast.js";
import { createBroadcast } from "../../src/services/broadcast.js";
import { phoneIndex, nationalIdIndex } from "../../src/store/pii-fields.js";
import type { Store } from "../../src/store/port/index.js";
import { TEST_CIPHER } from "../store/contract/index.js";
import { newNeed } from "../support/fixtures.js";
import { addCampaigns, importSampleData } from "../support/sample.js";

/** An adapter under test: the store, and every table or collection it holds, each as text. */
export interface ErasureTarget {
  store: Store;
  /** Every row or document of every table or collection, by name, as JSON. */
  dump(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** Sealed values (`v1.<iv>.<tag>.<body>`) opened, so that what they hold is searched too. */
const SEALED = /v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
export const withSealedOpened = (text: string) =>
  text +
  [...text.matchAll(SEALED)]
    .map((m) => {
      try {
        return "\n" + TEST_CIPHER.decrypt(m[0]);
      } catch {
        return "";
      }
    })
    .join("");

const E = { first: "ZARAERASED", last: "QXERASED", phone: "09127770001", nid: "0012345679", hood: "HOODERASED" };
const B = { first: "BYSTANDER", last: "KEPT", phone: "09127770002", nid: "4512345671", hood: "HOODKEPT" };

/**
 * `/delete` means deleted: one person who did a bit of everything is erased,
 * and no table or collection keeps anything personal of theirs, while a
 * bystander's data and the anonymous counts stay.
 */
export function erasureContract(open: () => Promise<ErasureTarget>) {
  let t: ErasureTarget;
  beforeEach(async () => {
    t = await open();
  });
  afterEach(() => t.close());

  /** A registered person with two accounts (Telegram and, if given, Bale). */
  const person = async (who: typeof E, tg: string, bale?: string) => {
    const { person } = await t.store.people.ensure({ platform: "telegram", userId: tg, chatId: tg });
    if (bale) await t.store.people.linkIdentity(person.id, { platform: "bale", userId: bale, chatId: bale });
    return t.store.people.update(person.id, {
      firstName: who.first,
      lastName: who.last,
      phone: who.phone,
      phoneVerified: true,
      nationalId: who.nid,
      birthYear: 1368,
      gender: "female",
      province: "kermanshah",
      county: "kermanshah",
      neighbourhood: who.hood,
      location: { lat: 34.3, lon: 47.05 },
      skills: ["cooking"],
      roles: ["mother_helper"],
      availability: { slots: ["sat.morning"], hoursPerWeek: 4 },
      volunteerCode: `HM-${tg.padStart(6, "A")}`,
      consentAt: new Date(),
      registeredAt: new Date(),
    });
  };

  /** Everything the erased person did, and a bystander beside them. */
  async function scenario() {
    const { store } = t;
    await importSampleData(store);
    await addCampaigns(store, "ramadan-x");
    const e = await person(E, "71", "72");
    const b = await person(B, "81");
    await store.people.saveDraft(e.id, { v: 1, firstName: E.first, phone: E.phone });
    await store.campaigns.pledge("ramadan-x", e.id, 10);
    await store.campaigns.pledge("ramadan-x", b.id, 5);
    // A campaign message to both, answered by both; another still pending for them.
    const { broadcast } = await createBroadcast(store, {
      text: "رمضان",
      segment: {},
      urgent: true,
      notBefore: new Date(0),
      createdBy: "telegram:81",
      imIn: true,
    });
    await store.deliveries.respond(broadcast.id, e.id);
    await store.deliveries.respond(broadcast.id, b.id);
    // One-to-one pushes: to them; to the bystander about them; to the bystander alone.
    await pushTo(store, e.id, `تماس با ${B.first} ${B.phone}`, { about: [b.id] });
    await pushTo(store, b.id, `داوطلب ${E.first} ${E.last} ${E.phone}`, { about: [e.id] });
    await pushTo(store, b.id, "پیام خود او");
    // A time-bank request of theirs, with notes.
    await store.needs.create(
      newNeed({
        centreCode: "KSH-POS-01",
        kind: "request",
        requesterId: e.id,
        createdBy: "telegram:71",
        notes: "NOTEERASED",
      }),
    );
    // As a coordinator: a role, an open invitation, an invitation they used, actions in the audit log.
    await store.access.grant({
      platform: "telegram",
      userId: "71",
      role: "centre_coordinator",
      scope: "KSH-POS-01",
      grantedBy: "telegram:81",
    });
    await store.access.grant({
      platform: "telegram",
      userId: "81",
      role: "centre_coordinator",
      scope: "KSH-POS-02",
      grantedBy: "telegram:71",
    });
    const expires = new Date(Date.now() + 86_400_000);
    await store.access.createInvite({
      id: "inv-open",
      role: "centre_coordinator",
      scope: "KSH-POS-01",
      createdBy: "telegram:71",
      expiresAt: expires,
    });
    await store.access.createInvite({
      id: "inv-used",
      role: "centre_coordinator",
      scope: "KSH-POS-01",
      createdBy: "telegram:81",
      expiresAt: expires,
    });
    await store.access.redeemInvite("inv-used", "telegram:71", new Date());
    await store.access.audit({
      actor: "telegram:71",
      action: "need.post",
      scope: "KSH-POS-01",
      target: null,
      outcome: "ok",
      details: null,
    });
    await store.access.audit({
      actor: "telegram:81",
      action: "role.revoke",
      scope: "KSH-POS-01",
      target: "telegram:71",
      outcome: "ok",
      details: { role: "centre_coordinator" },
    });
    await store.access.audit({
      actor: "bale:72",
      action: "invite.redeem",
      scope: "KSH-POS-01",
      target: "inv-used",
      outcome: "ok",
      details: { role: "centre_coordinator", by: "telegram:71" },
    });
    await store.centres.reportAction({
      centreCode: "KSH-POS-01",
      kind: "iftar",
      date: "2027-02-10",
      participants: 30,
      reportedBy: "telegram:71",
    });
    // Hours given, and a correction whose memo names them.
    const credit = (key: string, personId: string, minutes: number, memo: string | null, by: string) =>
      store.ledger.post({
        key,
        kind: key.startsWith("correction") ? "correction" : "service",
        offerId: null,
        reverses: null,
        memo,
        postings: servicePostings(personAccount(personId), "centre:KSH-POS-01", minutes),
        by,
      });
    await credit("service:x", e.id, 120, null, "telegram:81");
    await credit("correction:x", e.id, 60, `MEMOERASED ${E.first}`, "cli:root");
    await credit("service:b", b.id, 60, "MEMOKEPT", "telegram:71");
    // The day of service: a certificate with their name; their session, corrected with words about them;
    // the bystander's session, which they checked in by hand as a coordinator.
    await store.certificates.issue({
      code: "HMC-EEEEE-EEEEE",
      personId: e.id,
      name: `${E.first} ${E.last}`,
      minutes: 180,
      issuedAt: new Date(),
    });
    // Safeguarding: a clearance certificate they sent (a sealed file), rejected with words about them.
    const check = await store.screening.record({
      personId: e.id,
      requirement: "document:clearance",
      status: "pending",
      institutionCode: "INST-X",
      file: { mime: "image/jpeg", bytes: Buffer.from(`JPEG ${E.first}`) },
      createdAt: new Date(),
    });
    await store.screening.decide(check.id, {
      approve: false,
      by: "telegram:81",
      reason: `REASONERASED ${E.first}`,
      expiresAt: null,
      at: new Date(),
    });
    const at = (h: number) => new Date(Date.UTC(2026, 11, 8, h));
    const [mine, theirs, ahead] = await store.sessions.create([
      {
        offerId: "o-e",
        needId: "n",
        personId: e.id,
        centreCode: "KSH-POS-01",
        date: "2026-12-08",
        part: "morning",
        startsAt: at(4),
        endsAt: at(8),
      },
      {
        offerId: "o-b",
        needId: "n",
        personId: b.id,
        centreCode: "KSH-POS-01",
        date: "2026-12-08",
        part: "morning",
        startsAt: at(4),
        endsAt: at(8),
      },
      {
        offerId: "o-e",
        needId: "n",
        personId: e.id,
        centreCode: "KSH-POS-01",
        date: "2026-12-15",
        part: "morning",
        startsAt: at(200),
        endsAt: at(204),
      },
    ]);
    await store.sessions.move(mine!.id, ["scheduled"], "checked_out", {
      minutes: 60,
      correctedBy: "telegram:81",
      correctionReason: `REASONERASED ${E.first}`,
    });
    await store.sessions.move(theirs!.id, ["scheduled"], "checked_in", { checkInBy: "telegram:71" });
    return { e, b, ahead: ahead! };
  }

  it("leaves nothing personal of the erased person in any table or collection", async () => {
    const { e, b, ahead } = await scenario();
    const before = await t.store.access.auditLog({ limit: 100 });
    const erased = await t.store.people.erase(e.id);
    expect(erased.identities.map((i) => `${i.platform}:${i.userId}`).sort()).toEqual(["bale:72", "telegram:71"]);

    const tables = await t.dump();
    const traces = [
      E.first,
      E.last,
      E.phone,
      E.hood,
      "NOTEERASED",
      "MEMOERASED",
      "REASONERASED",
      '"telegram:71"',
      '"bale:72"',
      phoneIndex(TEST_CIPHER, E.phone),
      nationalIdIndex(TEST_CIPHER, E.nid),
    ];
    for (const [name, text] of Object.entries(tables)) {
      const searched = withSealedOpened(text);
      for (const trace of traces) expect(searched.includes(trace), `${name} still holds ${trace}`).toBe(false);
    }
    // The bystander is untouched, including what others were told about them.
    const all = Object.values(tables).map(withSealedOpened).join("\n");
    for (const kept of [B.first, B.hood, "MEMOKEPT", "پیام خود او"]) expect(all).toContain(kept);
    expect(all).toContain(e.id); // the anonymous row and its ledger account stay

    // Who did what: the same rows, under one stable pseudonym.
    const after = await t.store.access.auditLog({ limit: 100 });
    expect(after).toHaveLength(before.length);
    expect(after.map((r) => r.actor).sort()).toEqual(
      before.map((r) => (["telegram:71", "bale:72"].includes(r.actor) ? erased.pseudonym : r.actor)).sort(),
    );
    expect(after.find((r) => r.action === "role.revoke")!.target).toBe(erased.pseudonym);
    expect(after.find((r) => r.action === "invite.redeem")!.details).toEqual({
      role: "centre_coordinator",
      by: erased.pseudonym,
    });
    expect((await t.store.access.grantsOf({ platform: "bale", userId: "81" })).length).toBe(0);
    expect((await t.store.access.grantsOf({ platform: "telegram", userId: "81" }))[0]!.grantedBy).toBe(
      erased.pseudonym,
    );

    // Roles and open invitations gone; nothing left to send them.
    expect(await t.store.access.grantsOf({ platform: "telegram", userId: "71" })).toEqual([]);
    expect((await t.store.access.openInvites(new Date())).map((i) => i.id)).toEqual([]);
    expect(await t.store.deliveries.claim("w", 100, new Date(), 1000, { urgentOnly: false })).toSatisfy(
      (batch: { personId: string }[]) => batch.every((d) => d.personId === b.id),
    );
    expect(await t.store.campaigns.pledgeOf("ramadan-x", e.id)).toBeNull();
    expect(await t.store.campaigns.pledgeSummary("ramadan-x")).toEqual({ people: 1, hours: 5 });
    // No certificate names them any more; their sessions ahead are cancelled (no reminder goes out).
    expect(await t.store.certificates.get("HMC-EEEEE-EEEEE")).toBeNull();
    // Their safeguarding checks and documents are gone.
    expect(await t.store.screening.of(e.id)).toEqual([]);
    expect((await t.store.sessions.get(ahead.id))!.status).toBe("cancelled");
    expect(await t.store.people.getDraft(e.id)).toBeNull();

    // The counts stay right: hours given, the ledger's balance, the registration's anonymous row.
    expect(await t.store.ledger.given(personAccount(e.id))).toBe(180);
    expect(await t.store.ledger.total()).toBe(0);
    expect(await t.store.people.get(e.id)).toMatchObject({
      erasedAt: expect.any(Date),
      firstName: null,
      phone: null,
      phoneVerified: false,
      nationalId: null,
      location: null,
      identities: [],
      province: "kermanshah",
      skills: ["cooking"],
    });
  });

  it("erases a second person in the same store, and nothing queued after an erasure reaches them", async () => {
    const { e, b } = await scenario();
    const other = await person({ ...B, first: "THIRD", phone: "09127770003", nid: "0084575948" }, "91");
    await t.store.people.erase(e.id);
    await t.store.people.erase(other.id);
    // A segment read before the erasure, queued after it: the erased are skipped.
    const late = await t.store.deliveries.createBroadcast({
      text: "x",
      segment: {},
      urgent: true,
      notBefore: new Date(0),
      createdBy: null,
    });
    const queued = await t.store.deliveries.enqueue(late.id, [
      { personId: e.id, platform: "telegram", chatId: "71" },
      { personId: b.id, platform: "telegram", chatId: "81" },
    ]);
    expect(queued).toBe(1);
    expect(await t.store.deliveries.respond(late.id, e.id)).toBe("not_sent");
  });
}
