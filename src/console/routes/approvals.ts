import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { REJECT_REASONS, type RejectReason } from "../../domain/needs.js";
import { approvalQueue, decideOffer } from "../../services/matching/index.js";
import { approvalsPage } from "../views/approvals.js";
import type { ConsoleDeps, Refuse, Send } from "../types.js";
import type { ConsolePageDef } from "../types.js";
import { listOf } from "../form.js";
import { institutionSide } from "../visibility.js";

/** The institution operators' queue, through the services behind `/approvals`: the volunteer is told as in the chat. */
export function approvalRoutes(app: FastifyInstance, d: ConsoleDeps, h: { send: Send; refuse: Refuse }) {
  const show = async (
    req: FastifyRequest,
    reply: FastifyReply,
    done?: { approved: number; rejected: number; failed: number },
  ) => {
    const queue = await approvalQueue(d.matching, req.actor!, "fa");
    if (!queue) return h.refuse(req, reply, 403, "not_allowed");
    return h.send(reply, 200, approvalsPage(req.page, { queue, ...(done ? { done } : {}) }));
  };
  app.get("/console/approvals", (req, reply) => show(req, reply));
  app.post("/console/approvals", async (req, reply) => {
    const body = req.body as Record<string, unknown>;
    const offers = listOf(body.offer).slice(0, 100);
    const approve = body.decision === "approve";
    if (!approve && body.decision !== "reject") return h.refuse(req, reply, 400, "bad_query");
    const reason = REJECT_REASONS.includes(body.reason as RejectReason) ? (body.reason as RejectReason) : "other";
    const done = { approved: 0, rejected: 0, failed: 0 };
    // One by one, each checked and audited by the service: an offer of another institution is refused, not skipped.
    for (const id of offers) {
      const r = await decideOffer(d.matching, req.actor!, id, approve, approve ? null : reason);
      if (!r.ok) done.failed++;
      else if (approve) done.approved++;
      else done.rejected++;
    }
    return show(req, reply, done);
  });
}

/** Its menu entry: 5th in the menu (`console.nav.approvals`). */
export const page: ConsolePageDef = {
  key: "approvals",
  order: 50,
  href: "/console/approvals",
  visible: institutionSide,
  routes: approvalRoutes,
};
