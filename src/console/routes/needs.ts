import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { addDaysIso, formatIsoDate, isoDateIn, jalaliParts } from "../../domain/jalali.js";
import { parseJalaliDateTime } from "../../domain/jalali-parse.js";
import { isRole, isSlot, type Slot } from "../../domain/taxonomy.js";
import { normalizeText } from "../../domain/normalize.js";
import {
  closeNeed,
  editNeed,
  firstWave,
  needBoard,
  needLines,
  needWhat,
  needWithOffers,
  postNeed,
  reasonsText,
  repostNeed,
  repostPreview,
} from "../../services/matching/index.js";
import { needPage, needsPage, type NeedConfirm } from "../views/needs.js";
import { needChanged } from "../../services/service-day/index.js";
import { gapsText } from "../../services/screening.js";
import type { ConsoleDeps, Refuse, Send } from "../types.js";
import type { ConsolePageDef } from "../types.js";
import { listOf } from "../form.js";
import { centreSide } from "../visibility.js";

/** Needs of one's centres: list, post, close, and each need's offers, through the services behind `/need` and `/needs`. */
export function needRoutes(app: FastifyInstance, d: ConsoleDeps, h: { send: Send; refuse: Refuse }) {
  const show = async (req: FastifyRequest, reply: FastifyReply, notice?: string, confirm?: NeedConfirm) => {
    const board = await needBoard(d.matching, req.actor!);
    if (!board) return h.refuse(req, reply, 403, "not_allowed");
    return h.send(
      reply,
      200,
      needsPage(req.page, {
        ...board,
        timeZone: d.timeZone,
        ...(notice ? { notice } : {}),
        ...(confirm ? { confirm } : {}),
      }),
    );
  };
  /** The posted notice: how many heard of it, or why none yet (in quiet hours the wave waits, as in the chat). */
  const postedNotice = async (req: FastifyRequest, id: string) => {
    const wave = await firstWave(d.matching, id);
    return req.page.t(`console.needs.${wave.outcome}`, { offers: wave.offers.toLocaleString("fa") });
  };

  app.get("/console/needs", (req, reply) => show(req, reply));

  const details = async (req: FastifyRequest, reply: FastifyReply, id: string, notice?: string) => {
    const found = await needWithOffers(d.matching, req.actor!, id);
    if (!found) return h.refuse(req, reply, 403, "outside_scope");
    const t = req.page.t;
    const end = jalaliParts(new Date(`${found.need.endDate}T12:00:00Z`), d.timeZone);
    return h.send(
      reply,
      200,
      needPage(req.page, {
        text: needLines(t, "fa", found.need, found.centre, d.timeZone),
        need: found.need,
        offers: found.offers.map((o) => ({
          ...o,
          why: reasonsText(t, "fa", o.offer.reasons, true) + (o.gaps ? ` — ${gapsText(t, o.gaps)}` : ""),
        })),
        timeZone: d.timeZone,
        end: `${end.year}/${String(end.month).padStart(2, "0")}/${String(end.day).padStart(2, "0")}`,
        ...(notice ? { notice } : {}),
      }),
    );
  };

  app.get<{ Params: { id: string } }>("/console/needs/:id", (req, reply) => details(req, reply, req.params.id));

  app.post("/console/needs/edit", async (req, reply) => {
    const b = req.body as Record<string, unknown>;
    const t = req.page.t;
    const id = String(b.need ?? "").slice(0, 100);
    const end = parseJalaliDateTime(String(b.end ?? ""), d.timeZone);
    if (!end.ok) return details(req, reply, id, t("console.needs.bad_end"));
    const notes = typeof b.notes === "string" ? normalizeText(b.notes).slice(0, 300) : "";
    const r = await editNeed(d.matching, req.actor!, id, {
      wanted: Number(b.wanted),
      endDate: isoDateIn(end.value, d.timeZone),
      notes: notes || null,
    });
    if (!r.ok && r.error === "forbidden") return h.refuse(req, reply, 403, "outside_scope");
    if (r.ok) await needChanged(d.serviceDay, id);
    return details(
      req,
      reply,
      id,
      t(r.ok ? "console.needs.saved" : r.error === "invalid" ? "console.needs.bad_edit" : "needs.not_closable"),
    );
  });

  app.post("/console/needs", async (req, reply) => {
    const b = req.body as Record<string, unknown>;
    const t = req.page.t;
    const role = typeof b.role === "string" && isRole(b.role) ? b.role : null;
    const slots = listOf(b.slot).filter(isSlot) as Slot[];
    const wanted = Number(b.wanted);
    const start = [0, 1, 7].includes(Number(b.start)) ? Number(b.start) : 0;
    const days = [7, 30, 90].includes(Number(b.days)) ? Number(b.days) : 30;
    const today = isoDateIn(new Date(d.clock.now()), d.timeZone);
    const notes = typeof b.notes === "string" ? normalizeText(b.notes).slice(0, 300) : "";
    if (!role || slots.length === 0 || !Number.isInteger(wanted) || wanted < 1 || wanted > 50)
      return show(req, reply, t("console.needs.incomplete"));
    // postNeed checks the centre is the actor's, and audits.
    const r = await postNeed(d.matching, req.actor!, {
      centreCode: typeof b.centre === "string" ? b.centre.slice(0, 40) : "",
      role,
      skills: [],
      wanted,
      startDate: addDaysIso(today, start),
      endDate: addDaysIso(today, start + days),
      slots,
      reach: b.reach === "county" ? "county" : "province",
      notes: notes || null,
    });
    if (!r.ok)
      return r.error === "forbidden"
        ? h.refuse(req, reply, 403, "outside_scope")
        : show(req, reply, t("console.needs.incomplete"));
    return show(req, reply, await postedNotice(req, r.value.id));
  });

  // Closing asks first (it withdraws offers and cancels sessions ahead), as the chat's /needs does.
  app.post("/console/needs/close", async (req, reply) => {
    const b = req.body as Record<string, unknown>;
    const id = String(b.need ?? "").slice(0, 100);
    const t = req.page.t;
    const r = await closeNeed(d.matching, req.actor!, id, b.confirmed !== "1");
    if (!r.ok && r.error === "forbidden") return h.refuse(req, reply, 403, "outside_scope");
    if (!r.ok) return show(req, reply, t("needs.not_closable"));
    if (b.confirmed !== "1")
      return show(req, reply, undefined, {
        action: "close",
        needId: id,
        text: t("needs.close_confirm", { what: needWhat(t, r.value) }),
      });
    await needChanged(d.serviceDay, id);
    return show(req, reply, t("needs.closed"));
  });

  // An ended need posted again from today, for as long as it ran: asked first, with its new dates.
  app.post("/console/needs/again", async (req, reply) => {
    const b = req.body as Record<string, unknown>;
    const id = String(b.need ?? "").slice(0, 100);
    const t = req.page.t;
    if (b.confirmed === "1") {
      const r = await repostNeed(d.matching, req.actor!, id);
      if (!r.ok && r.error === "forbidden") return h.refuse(req, reply, 403, "outside_scope");
      return show(req, reply, r.ok ? await postedNotice(req, r.value.id) : t("needs.not_again"));
    }
    const r = await repostPreview(d.matching, req.actor!, id);
    if (!r.ok && r.error === "forbidden") return h.refuse(req, reply, 403, "outside_scope");
    if (!r.ok) return show(req, reply, t("needs.not_again"));
    const date = (iso: string) => formatIsoDate(iso, "fa", d.timeZone);
    return show(req, reply, undefined, {
      action: "again",
      needId: id,
      text: t("needs.again_confirm", {
        what: needWhat(t, r.value),
        wanted: r.value.wanted.toLocaleString("fa"),
        dates: t("needs.dates", { from: date(r.value.startDate), to: date(r.value.endDate) }),
      }),
    });
  });
}

/** Its menu entry: 3rd in the menu (`console.nav.needs`). */
export const page: ConsolePageDef = {
  key: "needs",
  order: 30,
  href: "/console/needs",
  visible: centreSide,
  routes: needRoutes,
};
