import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { parseJalaliDateTime } from "../../domain/jalali-parse.js";
import { headquartersScopeOf, institutionsOf } from "../../services/access.js";
import { decideCheck, DOCUMENT_REJECT_REASONS, openCheck, recordByInstitution } from "../../services/screening.js";
import { checkPage, checksPage, type QueueAge } from "../views/checks.js";
import type { ConsoleDeps, ConsolePageDef, Refuse, Send } from "../types.js";

const DAY = 86_400_000;

/**
 * Safeguarding's review in the console, through the services behind the
 * chat's buttons: an institution's operators see their queue (oldest first),
 * open a document (the image inline, a PDF in the browser's viewer; each
 * opening audited), approve it with an expiry or reject it with a reason,
 * and record the interview and the sign-off. A provincial admin sees each of
 * their institutions' queue and its age, never a document.
 */
export function checkRoutes(app: FastifyInstance, d: ConsoleDeps, h: { send: Send; refuse: Refuse }) {
  const queueAges = async (req: FastifyRequest): Promise<QueueAge[]> => {
    const scope = headquartersScopeOf(req.actor!);
    if (!scope) return [];
    const institutions = scope.provinces
      ? (await Promise.all(scope.provinces.map((p) => d.store.centres.listInstitutions({ province: p })))).flat()
      : await d.store.centres.listInstitutions();
    const now = d.clock.now();
    const ages: QueueAge[] = [];
    for (const i of institutions) {
      const pending = await d.store.screening.pending([i.code], 500);
      if (pending.length)
        ages.push({
          institution: i.name,
          count: pending.length,
          oldestDays: Math.floor((now - +pending[0]!.createdAt) / DAY),
        });
    }
    return ages.sort((a, b) => b.oldestDays - a.oldestDays);
  };

  const list = async (req: FastifyRequest, reply: FastifyReply, notice?: string) => {
    const mine = institutionsOf(req.actor!);
    const ages = await queueAges(req);
    if (mine.length === 0 && !headquartersScopeOf(req.actor!)) return h.refuse(req, reply, 403, "not_allowed");
    const pending = await d.store.screening.pending(mine, 100);
    const people = new Map(
      await Promise.all(pending.map(async (c) => [c.personId, await d.store.people.get(c.personId)] as const)),
    );
    return h.send(
      reply,
      200,
      checksPage(req.page, {
        pending: pending.map((check) => ({ check, person: people.get(check.personId) ?? null })),
        ages,
        timeZone: d.timeZone,
        now: new Date(d.clock.now()),
        ...(notice ? { notice } : {}),
      }),
    );
  };

  app.get("/console/checks", (req, reply) => list(req, reply));

  app.get<{ Params: { id: string } }>("/console/checks/:id", async (req, reply) => {
    const r = await openCheck(d.matching, req.actor!, req.params.id);
    if (!r.ok) return h.refuse(req, reply, r.error === "forbidden" ? 403 : 404, "outside_scope");
    return h.send(reply, 200, checkPage(req.page, { ...r.value, timeZone: d.timeZone, now: new Date(d.clock.now()) }));
  });

  // The file itself, for the page's <img> or the browser's PDF viewer: the same check and audit as the page.
  app.get<{ Params: { id: string } }>("/console/checks/:id/file", async (req, reply) => {
    const r = await openCheck(d.matching, req.actor!, req.params.id);
    if (!r.ok) return h.refuse(req, reply, r.error === "forbidden" ? 403 : 404, "outside_scope");
    if (!r.value.file) return h.refuse(req, reply, 404, "outside_scope");
    return reply
      .header("cache-control", "no-store")
      .header("content-disposition", "inline")
      .type(r.value.file.mime)
      .send(r.value.file.bytes);
  });

  app.post<{ Params: { id: string } }>("/console/checks/:id", async (req, reply) => {
    const b = req.body as Record<string, unknown>;
    const t = req.page.t;
    const id = req.params.id;
    if (b.action === "interview" || b.action === "interview_failed" || b.action === "signoff") {
      const opened = await openCheck(d.matching, req.actor!, id);
      if (!opened.ok) return h.refuse(req, reply, 403, "outside_scope");
      const requirement = b.action === "signoff" ? "signoff" : "interview";
      const r = await recordByInstitution(
        d.matching,
        req.actor!,
        opened.value.person,
        requirement,
        null,
        b.action !== "interview_failed",
      );
      return list(
        req,
        reply,
        t(r.ok ? "console.checks.recorded" : r.error === "own" ? "screening.review_own" : "screening.review_refused"),
      );
    }
    const approve = b.action === "approve";
    if (!approve && b.action !== "reject") return h.refuse(req, reply, 400, "bad_query");
    let expiresAt: Date | null = null;
    if (approve && typeof b.until === "string" && b.until.trim()) {
      const until = parseJalaliDateTime(b.until, d.timeZone);
      if (!until.ok) return list(req, reply, t("console.checks.bad_until"));
      expiresAt = until.value;
    }
    const reason = (DOCUMENT_REJECT_REASONS as readonly string[]).includes(String(b.reason)) ? String(b.reason) : null;
    const r = await decideCheck(d.matching, req.actor!, id, { approve, reason: approve ? null : reason, expiresAt });
    if (!r.ok && r.error === "forbidden") return h.refuse(req, reply, 403, "outside_scope");
    return list(
      req,
      reply,
      t(
        r.ok
          ? approve
            ? "screening.review_done_approved"
            : "screening.review_done_rejected"
          : r.error === "own"
            ? "screening.review_own"
            : r.error === "invalid"
              ? "console.checks.bad_until"
              : "screening.review_refused",
      ),
    );
  });
}

/** Its menu entry: after the approvals (`console.nav.checks`); for operators, and for headquarters the queues' age. */
export const page: ConsolePageDef = {
  key: "checks",
  order: 55,
  href: "/console/checks",
  visible: (a) => institutionsOf(a).length > 0 || headquartersScopeOf(a) !== undefined,
  routes: checkRoutes,
};
