import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { asSentOn } from "../../platforms/api-guards.js";
import { parseWhen } from "../../domain/jalali-parse.js";
import { formatJalaliDateTime } from "../../domain/jalali.js";
import type { Segment } from "../../domain/segment.js";
import { countiesOf, isProvince, isRole, isSkill, PROVINCES } from "../../domain/taxonomy.js";
import { capabilitiesOf, PLATFORMS, type Platform } from "../../platforms/capabilities.js";
import { audit, headquartersScopeOf } from "../../services/access.js";
import {
  audienceCount,
  controlBroadcast,
  startBroadcast,
  visibleBroadcasts,
  type BroadcastAction,
} from "../../services/broadcast-admin.js";
import { broadcastsPage, EMPTY_FORM, type ComposerForm } from "../views/broadcasts.js";
import type { ConsoleDeps, Refuse, Send } from "../types.js";
import type { ConsolePageDef } from "../types.js";
import { listOf } from "../form.js";
import { headquarters } from "../visibility.js";

/** The composer's fields, each checked: unknown provinces, skills and roles are dropped. */
function formOf(raw: unknown): ComposerForm {
  const b = (raw ?? {}) as Record<string, unknown>;
  return {
    text: typeof b.text === "string" ? b.text.replace(/\r\n/g, "\n").trim().slice(0, 4096) : "",
    provinces: listOf(b.province).filter(isProvince),
    skills: listOf(b.skill).filter(isSkill),
    roles: listOf(b.role).filter(isRole),
    // A county is `province.county` (county ids repeat across provinces).
    counties: listOf(b.county).filter((c) => {
      const [p, county] = c.split(".");
      return !!p && !!county && isProvince(p) && countiesOf(p).includes(county);
    }),
    source: typeof b.source === "string" ? b.source.trim().slice(0, 60) : "",
    languages: listOf(b.language).filter((l): l is "fa" | "en" => l === "fa" || l === "en"),
    platforms: listOf(b.platform).filter((p): p is Platform => (PLATFORMS as readonly string[]).includes(p)),
    veteran: b.veteran === "1",
    when: typeof b.when === "string" ? b.when.trim().slice(0, 30) : "",
    urgent: b.urgent === "1",
  };
}

const segmentOf = (f: ComposerForm): Segment => ({
  ...(f.provinces.length ? { provinces: f.provinces } : {}),
  ...(f.skills.length ? { skills: f.skills } : {}),
  ...(f.roles.length ? { roles: f.roles } : {}),
  ...(f.counties.length ? { counties: f.counties.map((c) => c.split(".")[1]!) } : {}),
  ...(f.source ? { sources: [f.source] } : {}),
  ...(f.languages.length ? { languages: f.languages } : {}),
  ...(f.platforms.length ? { platforms: f.platforms } : {}),
  ...(f.veteran ? { veterans: { minYears: 3 } } : {}),
});

/** Broadcasts for headquarters, through the services behind `/broadcast` and its progress buttons. */
export function broadcastRoutes(app: FastifyInstance, d: ConsoleDeps, h: { send: Send; refuse: Refuse }) {
  const platforms = [...d.platforms];
  const show = async (
    req: FastifyRequest,
    reply: FastifyReply,
    o: { form?: ComposerForm; count?: number | null; notice?: string; preview?: boolean } = {},
  ) => {
    const actor = req.actor!;
    const scope = headquartersScopeOf(actor);
    const list = await visibleBroadcasts(d.store, actor);
    if (!scope || !list) return h.refuse(req, reply, 403, "not_allowed");
    const form = o.form ?? EMPTY_FORM;
    return h.send(
      reply,
      200,
      broadcastsPage(req.page, {
        form,
        provinces: scope.provinces ?? PROVINCES.map((p) => p.id),
        platforms,
        count: o.count ?? null,
        previews:
          o.preview && form.text
            ? platforms.map((p) => ({ platform: p, text: asSentOn(capabilitiesOf(p), form.text) }))
            : [],
        list,
        now: new Date(d.clock.now()),
        ...(o.notice ? { notice: o.notice } : {}),
        timeZone: d.timeZone,
      }),
    );
  };

  app.get("/console/broadcasts", (req, reply) => show(req, reply));

  // The live count (the page's script asks it as the segment changes; without script, «preview» shows it).
  app.get("/console/broadcasts/count", async (req, reply) => {
    const r = await audienceCount(d.store, req.actor!, segmentOf(formOf(req.query)));
    if (!r.ok) return reply.code(403).send({ ok: false });
    return reply.header("cache-control", "no-store").send({
      ok: true,
      count: r.value,
      text: req.page.t("console.broadcasts.count", { n: r.value.toLocaleString("fa") }),
    });
  });

  app.post("/console/broadcasts", async (req, reply) => {
    const t = req.page.t;
    const actor = req.actor!;
    const form = formOf(req.body);
    const segment = segmentOf(form);
    const count = await audienceCount(d.store, actor, segment);
    if (!count.ok) {
      await audit(d.store, d.logger, {
        actor: actor.id,
        action: "broadcast.compose",
        scope: segment.provinces?.join(",") ?? "*",
        target: null,
        outcome: "refused",
      });
      return h.refuse(req, reply, 403, count.error);
    }
    if ((req.body as Record<string, unknown>).step !== "send")
      return show(req, reply, { form, count: count.value, preview: true });
    if (!form.text) return show(req, reply, { form, count: count.value, notice: t("console.broadcasts.no_text") });
    if (count.value === 0) return show(req, reply, { form, count: 0, notice: t("broadcast.nobody") });
    let notBefore = new Date(d.clock.now());
    if (form.when) {
      const when = parseWhen(form.when, d.timeZone, new Date(d.clock.now()));
      if (!when.ok) return show(req, reply, { form, count: count.value, notice: t("broadcast.bad_when") });
      if (when.value.getTime() <= d.clock.now())
        return show(req, reply, { form, count: count.value, notice: t("broadcast.past_when") });
      notBefore = when.value;
    }
    const started = await startBroadcast(d, actor, { text: form.text, segment, urgent: form.urgent, notBefore });
    if (!started.ok) return h.refuse(req, reply, 403, started.error);
    const n = started.value.queued.toLocaleString("fa");
    return show(req, reply, {
      notice: form.when
        ? t("broadcast.scheduled_for", { count: n, when: formatJalaliDateTime(notBefore, "fa", d.timeZone) })
        : t("broadcast.queued", { count: n }),
    });
  });

  app.post("/console/broadcasts/control", async (req, reply) => {
    const body = req.body as Record<string, unknown>;
    const action = body.action as BroadcastAction;
    if (!["pause", "resume", "cancel"].includes(action) || typeof body.id !== "string")
      return h.refuse(req, reply, 400, "bad_query");
    const r = await controlBroadcast(d, req.actor!, body.id, action);
    if (!r.ok) return h.refuse(req, reply, 403, r.error === "not_allowed" ? "not_allowed" : "bad_query");
    await d.broadcasts.tick(body.id);
    return show(req, reply, { notice: req.page.t("broadcast.changed") });
  });
}

/** Its menu entry: 6th in the menu (`console.nav.broadcasts`). */
export const page: ConsolePageDef = {
  key: "broadcasts",
  order: 60,
  href: "/console/broadcasts",
  visible: headquarters,
  routes: broadcastRoutes,
};
