import type { Model } from "mongoose";
import type { ErasedPerson } from "../port/index.js";
import { NO_LEASE, type Models } from "./models.js";

/**
 * Everything of an erased person outside their person document (see
 * `PeopleRepository.erase`), the same as the SQLite adapter does. Each step is
 * idempotent, so an erasure interrupted by a failover is finished by running
 * it again.
 */
export async function eraseEverywhere(m: Models, personId: string, p: ErasedPerson): Promise<void> {
  const accounts = { $in: p.actorIds };
  const recipients = { $in: [personId, ...p.actorIds] };

  // The outbox: one-to-one pushes to them go; nothing else pending is sent; no record keeps their chat.
  // Pushes about them (an introduction sent to a centre) go whole, whoever they were for.
  const about = (await m.Broadcast.find({ personal: true, about: personId }, { _id: 1 }).lean()).map((b) =>
    String(b._id),
  );
  await m.Delivery.deleteMany({ broadcastId: { $in: about } });
  const personal = (
    await m.Broadcast.find(
      { personal: true, _id: { $in: await m.Delivery.distinct("broadcastId", { personId: recipients }) } },
      { _id: 1 },
    ).lean()
  ).map((b) => String(b._id));
  await m.Delivery.deleteMany({ personId: recipients, broadcastId: { $in: personal } });
  personal.push(...about);
  const stillUsed = new Set(await m.Delivery.distinct("broadcastId", { broadcastId: { $in: personal } }));
  const gone = personal.filter((id) => !stillUsed.has(id));
  await m.Response.deleteMany({ broadcastId: { $in: gone } });
  await m.Broadcast.deleteMany({ _id: { $in: gone } });
  await m.Delivery.updateMany(
    { personId: recipients, status: "pending" },
    { $set: { status: "cancelled", settledAt: new Date(), leaseOwner: null, leaseUntil: NO_LEASE } },
  );
  await m.Delivery.updateMany({ personId: recipients }, { $set: { chatId: "", error: null } });

  // What they said: vows, «I'm in» answers, the notes of needs they wrote, the memos of ledger entries about them.
  await m.Pledge.deleteMany({ personId });
  await m.Response.deleteMany({ personId });
  await m.Need.updateMany({ $or: [{ requesterId: personId }, { createdBy: accounts }] }, { $set: { notes: null } });
  await m.LedgerEntry.updateMany({ accounts: `person:${personId}` }, { $set: { memo: null } });
  // Their certificates (a name printed) go; their sessions ahead are cancelled, and corrections' words about them go.
  await m.Certificate.deleteMany({ personId });
  // Their safeguarding checks: the documents (sealed files) and every record of them.
  await m.Screening.deleteMany({ personId });
  await m.Session.updateMany(
    { personId, status: { $in: ["scheduled", "confirmed", "unconfirmed"] } },
    { $set: { status: "cancelled", cancelledAt: new Date() } },
  );
  await m.Session.updateMany({ personId }, { $set: { correctionReason: null } });

  // Their roles and the invitations they could still hand out.
  for (const i of p.identities) await m.Grant.deleteMany({ platform: i.platform, userId: i.userId });
  await m.Invite.deleteMany({ usedBy: null, createdBy: accounts });

  // Who did what keeps its records, under the pseudonym (audit details name accounts only as `by`, an invite's maker).
  const renamed = [
    [m.Audit, "actor"],
    [m.Audit, "target"],
    [m.Audit, "details.by"],
    [m.Grant, "grantedBy"],
    [m.Invite, "createdBy"],
    [m.Invite, "usedBy"],
    [m.Need, "createdBy"],
    [m.Need, "reviewedBy"],
    [m.Offer, "decidedBy"],
    [m.Session, "checkInBy"],
    [m.Session, "correctedBy"],
    [m.Session, "creditedBy"],
    [m.LedgerEntry, "by"],
    [m.CentreAction, "reportedBy"],
    [m.Campaign, "createdBy"],
    [m.Broadcast, "createdBy"],
  ] as unknown as [Model<Record<string, unknown>>, string][];
  for (const [model, field] of renamed)
    await model.updateMany({ [field]: accounts }, { $set: { [field]: p.pseudonym } });
}
