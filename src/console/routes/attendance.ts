import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  approveAttendance,
  attendanceBoard,
  attendanceCentres,
  checkByHand,
  checkInLinks,
  checkInPoster,
  rotateCheckIn,
  correctSession,
} from "../../services/service-day/index.js";
import { nowOf } from "../../services/matching/deps.js";
import { attendancePage } from "../views/attendance.js";
import type { ConsoleDeps, Refuse, Send } from "../types.js";
import type { ConsolePageDef } from "../types.js";
import { listOf } from "../form.js";
import { num } from "../../format.js";
import { centreSide } from "../visibility.js";

/**
 * A centre's attendance, through the day-of-service services the chat uses:
 * the check-in poster, approvals of hours (ticked or all), corrections with a
 * reason, and check-in or out by hand. Each is checked and audited there.
 */
export function attendanceRoutes(app: FastifyInstance, d: ConsoleDeps, h: { send: Send; refuse: Refuse }) {
  const sd = d.serviceDay;
  const show = async (req: FastifyRequest, reply: FastifyReply, code: string | undefined, notice?: string) => {
    const centres = await attendanceCentres(sd, req.actor!);
    if (centres.length === 0) return h.refuse(req, reply, 403, "not_allowed");
    const board = await attendanceBoard(sd, req.actor!, code ?? centres[0]!.code);
    if (!board) return h.refuse(req, reply, 403, "outside_scope");
    return h.send(
      reply,
      200,
      attendancePage(req.page, {
        ...board,
        centres,
        ...(({ links, digits }) => ({ links, digits }))(await checkInLinks(sd, board.centre.code)),
        now: nowOf(sd),
        timeZone: d.timeZone,
        ...(notice ? { notice } : {}),
      }),
    );
  };
  const centreOf = (req: FastifyRequest) => {
    const v =
      (req.body as Record<string, unknown> | undefined)?.centre ?? (req.query as Record<string, unknown>).centre;
    return typeof v === "string" ? v.slice(0, 50) : undefined;
  };

  app.get("/console/attendance", (req, reply) => show(req, reply, centreOf(req)));

  app.get("/console/attendance/poster.png", async (req, reply) => {
    const code = centreOf(req) ?? "";
    const board = await attendanceBoard(sd, req.actor!, code);
    if (!board) return h.refuse(req, reply, 403, "outside_scope");
    const { png } = await checkInPoster(sd, board.centre, req.page.t);
    return reply.header("cache-control", "no-store").type("image/png").send(png);
  });

  app.post("/console/attendance/approve", async (req, reply) => {
    const b = req.body as Record<string, unknown>;
    const t = req.page.t;
    const code = centreOf(req) ?? "";
    const which = b.which === "all" ? "all" : listOf(b.session).slice(0, 500);
    const r = await approveAttendance(sd, req.actor!, code, which);
    if (!r.ok && r.error === "forbidden") return h.refuse(req, reply, 403, "outside_scope");
    const notice = r.ok
      ? t("console.attendance.approved", {
          sessions: num(
            "fa",
            r.value.credited.reduce((n, c) => n + c.sessions, 0),
          ),
          people: num("fa", r.value.credited.length),
          skipped: num("fa", r.value.skipped),
        })
      : t(r.error === "own" ? "console.attendance.own_hours" : "console.attendance.nothing_to_approve");
    return show(req, reply, code, notice);
  });

  // A poster photographed and shared: every code of the centre retired at once, a new one shown (audited).
  app.post("/console/attendance/rotate", async (req, reply) => {
    const r = await rotateCheckIn(sd, req.actor!, centreOf(req) ?? "");
    if (!r.ok) return h.refuse(req, reply, r.error === "forbidden" ? 403 : 404, "outside_scope");
    return show(req, reply, r.value.code, req.page.t("console.attendance.rotated"));
  });

  app.post("/console/attendance/correct", async (req, reply) => {
    const b = req.body as Record<string, unknown>;
    const t = req.page.t;
    const r = await correctSession(
      sd,
      req.actor!,
      String(b.session ?? "").slice(0, 100),
      Number(b.minutes),
      typeof b.reason === "string" ? b.reason : "",
    );
    if (!r.ok && r.error === "forbidden") return h.refuse(req, reply, 403, "outside_scope");
    const notice = t(r.ok ? "console.attendance.corrected" : `console.attendance.correction_${r.error}`);
    return show(req, reply, r.ok ? r.value.centreCode : centreOf(req), notice);
  });

  app.post("/console/attendance/by-hand", async (req, reply) => {
    const b = req.body as Record<string, unknown>;
    const t = req.page.t;
    const kind = b.kind === "out" ? "out" : "in";
    const r = await checkByHand(sd, req.actor!, String(b.session ?? "").slice(0, 100), kind);
    if (!r.ok && r.error === "forbidden") return h.refuse(req, reply, 403, "outside_scope");
    const notice = t(r.ok ? `console.attendance.by_hand_done_${kind}` : "console.attendance.by_hand_refused");
    return show(req, reply, r.ok ? r.value.centreCode : undefined, notice);
  });
}

/** Its menu entry: 4th in the menu (`console.nav.attendance`). */
export const page: ConsolePageDef = {
  key: "attendance",
  order: 40,
  href: "/console/attendance",
  visible: centreSide,
  routes: attendanceRoutes,
};
