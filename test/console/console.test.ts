import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SimUser } from "../../src/playground/bot-api/simulator.js";
import { createHarness, TOKENS, type Harness } from "../support/harness.js";
import { storedVolunteer } from "../support/volunteer.js";
import { importSampleData } from "../support/sample.js";
import { answerOffer, postNeed } from "../../src/services/matching/index.js";
import { isoDateIn, addDaysIso } from "../../src/domain/jalali.js";
import { ramadanCampaign } from "../../src/services/campaigns.js";
import { campaignWindow } from "../../src/services/indicators.js";
import { submitDocument } from "../../src/services/screening.js";

/**
 * The console over real HTTP: signed in only by the link the bot sends, every
 * request checked again, every refusal audited.
 */
describe("the coordinators' web console", () => {
  let h: Harness;
  let base: string;
  const ADMIN = { id: 8181, first_name: "Admin" };
  beforeEach(async () => {
    h = await createHarness({ env: { ADMIN_IDS: `telegram:${ADMIN.id}` } });
    const port = await h.app.server.listen(0, "127.0.0.1");
    base = `http://127.0.0.1:${port}`;
    h.sim.openChat(TOKENS.telegram, ADMIN);
  });
  afterEach(() => h.close());

  /** The link the bot sends to `/console`, as a path on this server. */
  const linkFor = async (user: SimUser, platform: "telegram" | "bale" = "telegram") => {
    const replies = await h.say(platform, user, "/console");
    const url = /https?:\/\/\S+\/console\/login\?t=\S+/.exec(replies.join("\n"))?.[0];
    return url ? url.replace(/^https?:\/\/[^/]+/, "") : undefined;
  };
  const get = (path: string, cookie?: string) =>
    fetch(base + path, { redirect: "manual", headers: cookie ? { cookie } : {} });
  const post = (path: string, form: Record<string, string>, cookie?: string) =>
    fetch(base + path, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(form).toString(),
    });
  /** Opens a link (its page: one button), then presses the button; the session cookie it sets. */
  const signIn = async (path: string) => {
    const page = await get(path);
    expect(page.status, await page.clone().text()).toBe(200);
    expect(page.headers.get("set-cookie")).toBeNull();
    const token = /name="t" value="([^"]+)"/.exec(await page.text())![1]!;
    const res = await post("/console/login", { t: token.replaceAll("&amp;", "&") });
    expect(res.status, await res.clone().text()).toBe(200);
    // A page that moves on by itself (same-site, so the Strict cookie goes along), not a redirect.
    expect(await res.clone().text()).toContain('http-equiv="refresh" content="0;url=/console/"');
    const set = res.headers.get("set-cookie")!;
    return { cookie: set.split(";")[0]!, set };
  };
  const csrfOf = async (cookie: string) =>
    /name="_csrf" value="([^"]+)"/.exec(await (await get("/console/", cookie)).text())![1]!;
  const auditActions = async () =>
    (await h.app.deps.store.access.auditLog({ limit: 100 })).map((r) => `${r.action}:${r.outcome}`);

  it("signs a national admin in from the bot's link: a strict, HttpOnly cookie, security headers, the overview", async () => {
    const link = await linkFor(ADMIN);
    expect(link).toBeDefined();
    const { cookie, set } = await signIn(link!);
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Strict/i);
    expect(set).toMatch(/Path=\/console/);
    expect(set).not.toMatch(/Secure/); // served over http here; PUBLIC_URL https makes it Secure
    const page = await get("/console/", cookie);
    expect(page.status).toBe(200);
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    const body = await page.text();
    expect(body).toContain('dir="rtl"');
    expect(body).toContain("مدیر ستاد ملی");
    // No inline script anywhere: only the one static file.
    expect(body).not.toMatch(/<script>|<script(?![^>]*src=)/);
    // Fresh: no date; half a minute later, the same report from the cache says when it was made.
    expect(body).not.toContain("این گزارش تا");
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 30_000 });
    try {
      expect(await (await get("/console/", cookie)).text()).toContain("این گزارش تا");
    } finally {
      vi.useRealTimers();
    }
    expect(await auditActions()).toEqual(expect.arrayContaining(["console.link:ok", "console.signin:ok"]));
  });

  it("refuses a link used twice, an expired one, a forged one, and one for a citizen", async () => {
    const link = await linkFor(ADMIN);
    await signIn(link!);
    const again = await get(link!);
    expect(again.status).toBe(403);
    expect(await again.text()).toContain("پیش‌تر به کار رفته");
    // A signature changed by one character.
    const forged = link!.slice(0, -1) + (link!.endsWith("0") ? "1" : "0");
    expect((await get(forged)).status).toBe(403);
    // Five minutes and a little later.
    const late = await linkFor(ADMIN);
    const realNow = Date.now;
    Date.now = () => realNow() + 6 * 60_000;
    try {
      const res = await get(late!);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("کهنه شده");
    } finally {
      Date.now = realNow;
    }
    // A citizen gets no link at all, and is told what the console is for.
    const citizen = (await storedVolunteer(h, {}, undefined, "telegram")).user;
    expect(await linkFor(citizen)).toBeUndefined();
    expect(h.texts("telegram", citizen).at(-1)).toContain("پیشخوان برای هماهنگ‌کنندگان");
    expect(await auditActions()).toEqual(expect.arrayContaining(["console.signin:refused", "console.link:refused"]));
  });

  it("a link fetched (a preview, a scanner) is not spent: only the page's button signs in, from this site only", async () => {
    const link = (await linkFor(ADMIN))!;
    // The messenger's preview and a scanner fetch it: nothing spent, no session handed out.
    for (let i = 0; i < 2; i++) {
      const preview = await get(link);
      expect(preview.status).toBe(200);
      expect(preview.headers.get("set-cookie")).toBeNull();
      expect(await preview.text()).toContain("ورود به پیشخوان");
    }
    const token = new URL(link, base).searchParams.get("t")!;
    // Another site's page posting the link: refused, and the link still works.
    const cross = await fetch(`${base}/console/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      body: new URLSearchParams({ t: token }).toString(),
    });
    expect(cross.status).toBe(403);
    expect(cross.headers.get("set-cookie")).toBeNull();
    const { cookie } = await signIn(link);
    expect((await get("/console/", cookie)).status).toBe(200);
    // Spent now: the page says so.
    expect(await (await get(link)).text()).toContain("پیش‌تر به کار رفته");
  });

  it("a link stays one-time with the shared state away (each worker's stand-in would say yes): it is claimed in the store", async () => {
    h.app.deps.state.claimOnce = async () => true;
    const link = (await linkFor(ADMIN))!;
    const token = new URL(link, base).searchParams.get("t")!;
    const first = await post("/console/login", { t: token });
    const second = await post("/console/login", { t: token });
    expect([first.status, second.status]).toEqual([200, 403]);
  });

  it("a session ends 12 hours after sign-in however busy, besides after 8 idle hours", async () => {
    const { cookie } = await signIn((await linkFor(ADMIN))!);
    const realNow = Date.now;
    const start = realNow();
    try {
      // A request every hour: never idle, and still signed out past twelve hours.
      for (let hour = 1; hour <= 11; hour++) {
        Date.now = () => start + hour * 3_600_000;
        expect((await get("/console/", cookie)).status).toBe(200);
      }
      Date.now = () => start + 12 * 3_600_000 + 60_000;
      expect((await get("/console/", cookie)).status).toBe(401);
    } finally {
      Date.now = realNow;
    }
  });

  it("refuses a page without a session, and a form without its CSRF token (audited)", async () => {
    expect((await get("/console/volunteers")).status).toBe(401);
    const { cookie } = await signIn((await linkFor(ADMIN))!);
    const res = await post("/console/logout", {}, cookie);
    expect(res.status).toBe(403);
    expect(await auditActions()).toContain("console.csrf:refused");
    // The session is still open; with its token, logout ends it.
    const csrf = await csrfOf(cookie);
    expect((await post("/console/logout", { _csrf: csrf }, cookie)).status).toBe(200);
    expect((await get("/console/", cookie)).status).toBe(401);
  });

  it("a role revoked while the session is open closes it at once", async () => {
    const coordinator = await h.staff("provincial_admin", "kermanshah");
    const { cookie } = await signIn((await linkFor(coordinator))!);
    expect((await get("/console/volunteers", cookie)).status).toBe(200);
    await h.app.deps.store.access.revoke(
      { platform: "telegram", userId: String(coordinator.id) },
      "provincial_admin",
      "kermanshah",
    );
    const res = await get("/console/volunteers", cookie);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("نقشی در همدل ندارد");
    // Even with the role back, that session is gone.
    await h.app.deps.store.access.grant({
      platform: "telegram",
      userId: String(coordinator.id),
      role: "provincial_admin",
      scope: "kermanshah",
      grantedBy: "test",
    });
    expect((await get("/console/", cookie)).status).toBe(401);
  });

  it("a provincial admin sees only their province; another province's volunteer is refused and audited", async () => {
    const admin = await h.staff("provincial_admin", "kermanshah");
    const mine = await storedVolunteer(h, { firstName: "زهرا", lastName: "کریمی" }, undefined, "telegram");
    const theirs = await storedVolunteer(
      h,
      { firstName: "سارا", lastName: "گرگانی", province: "golestan", county: "gorgan" },
      undefined,
      "telegram",
    );
    const { cookie } = await signIn((await linkFor(admin))!);
    const page = await (await get("/console/volunteers", cookie)).text();
    expect(page).toContain("زهرا کریمی");
    expect(page).not.toContain("سارا گرگانی");
    // Phones are masked until revealed.
    expect(page).not.toContain(mine.person.phone!);
    // A hand-made request for the other province.
    const other = await get("/console/volunteers?province=golestan", cookie);
    expect(other.status).toBe(403);
    const csrf = await csrfOf(cookie);
    const reveal = await post("/console/volunteers/reveal", { _csrf: csrf, person: theirs.person.id }, cookie);
    expect(reveal.status).toBe(403);
    expect(await reveal.text()).not.toContain(theirs.person.phone!);
    // Their own volunteer's phone: shown, and the reveal audited.
    const shown = await post("/console/volunteers/reveal", { _csrf: csrf, person: mine.person.id }, cookie);
    expect(shown.status).toBe(200);
    const shownPage = await shown.text();
    expect(shownPage).toContain(mine.person.phone!);
    // Dialable: a tel: link in international form, the same Latin digits as in the chat.
    expect(shownPage).toContain(`href="tel:+98${mine.person.phone!.slice(1)}"`);
    expect(page).toContain(`*******${mine.person.phone!.slice(-4)}`);
    const log = await h.app.deps.store.access.auditLog({ limit: 20 });
    expect(log.filter((r) => r.action === "console.volunteers" && r.outcome === "refused")).toHaveLength(1);
    expect(
      log
        .filter((r) => r.action === "console.phone_reveal")
        .map((r) => r.outcome)
        .sort(),
    ).toEqual(["ok", "refused"]);
    // The export: their province only, audited.
    const download = await get("/console/volunteers.csv", cookie);
    // A Persian file name (RFC 6266's filename*), an ASCII one for older readers, and Persian headers.
    const disposition = download.headers.get("content-disposition")!;
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)![1]!)).toMatch(
      /^همدل-داوطلبان-14\d\d-\d\d-\d\d\.csv$/,
    );
    expect(disposition).toMatch(/filename="hamdel-volunteers-14\d\d-\d\d-\d\d\.csv"/);
    const csv = await download.text();
    expect(csv.split("\n")[0]).toContain("نام خانوادگی,شماره همراه");
    expect(csv).toContain("کریمی");
    expect(csv).not.toContain("گرگانی");
    expect(await auditActions()).toContain("console.export:ok");
    // An export narrowed to one volunteer by a search: the record says so, and whose row went out.
    const one = await get(`/console/volunteers.csv?text=${encodeURIComponent("کریمی")}`, cookie);
    expect(await one.text()).toContain(mine.person.phone!);
    const record = (await h.app.deps.store.access.auditLog({ limit: 50 })).find(
      (r) => r.action === "console.export" && (r.details as { filter?: object }).filter?.hasOwnProperty("text"),
    );
    expect(record?.details).toEqual({
      rows: 1,
      filter: { text: "[search, 5 characters]" },
      volunteers: [mine.person.volunteerCode],
    });
    // The search itself (a name, a phone) is not in the log.
    expect(JSON.stringify(record)).not.toContain("کریمی");
  });

  it("filters, searches and pages the table", async () => {
    for (let i = 0; i < 55; i++) await storedVolunteer(h, {}, undefined, "telegram");
    await storedVolunteer(
      h,
      { firstName: "پریسا", lastName: "یکتا", neighbourhood: "شهرک بهاران" },
      undefined,
      "telegram",
    );
    const { cookie } = await signIn((await linkFor(ADMIN))!);
    const first = await (await get("/console/volunteers", cookie)).text();
    expect(first.match(/<tr>/g)!.length - 1).toBe(50);
    const next = /href="(\/console\/volunteers\?[^"]*after=[^"]+)" rel="next"/
      .exec(first)![1]!
      .replaceAll("&amp;", "&");
    const second = await (await get(next, cookie)).text();
    expect(second.match(/<tr>/g)!.length - 1).toBe(6);
    // Persian input normalised: an Arabic yeh and kaf find «یکتا».
    const found = await (await get(`/console/volunteers?text=${encodeURIComponent("يكتا")}`, cookie)).text();
    expect(found).toContain("پریسا یکتا");
    expect(found.match(/<tr>/g)!.length - 1).toBe(1);
    expect((await get("/console/volunteers?skill=nonsense", cookie)).status).toBe(400);
    expect((await get("/console/volunteers?after=garbage", cookie)).status).toBe(400);
  });

  it("keeps request bodies small and link redemption rate limited", async () => {
    const { cookie } = await signIn((await linkFor(ADMIN))!);
    const big = await post("/console/logout", { _csrf: "x".repeat(64 * 1024) }, cookie);
    expect(big.status).toBe(413);
    let limited = 0;
    // A new X-Forwarded-For each time: not believed (no TRUST_PROXY), the socket's address is counted.
    for (let i = 0; i < 25; i++)
      if (
        (await fetch(`${base}/console/login?t=nothing`, { headers: { "x-forwarded-for": `10.0.0.${i}` } })).status ===
        429
      )
        limited++;
    expect(limited).toBeGreaterThan(0);
  });

  it("safeguarding's review: an operator's queue, the document inline (each opening audited), approve with an expiry or reject; another institution and headquarters may not open it", async () => {
    await importSampleData(h.app.deps.store);
    const operator = await h.staff("institution_operator", "INST-KSH-01");
    const other = await h.staff("institution_operator", "INST-KSH-02");
    const provincial = await h.staff("provincial_admin", "kermanshah");
    const v = await storedVolunteer(h, { roles: ["mother_helper"], birthYear: 1370 }, "KSH-POS-01", "telegram");
    const png = Buffer.from("\x89PNG clearance scan");
    const sent = await submitDocument(h.app.deps.matching, v.person, "clearance", { mime: "image/png", bytes: png });
    const health = await submitDocument(h.app.deps.matching, v.person, "health_card", {
      mime: "application/pdf",
      bytes: Buffer.from("%PDF"),
    });
    if (!sent.ok || !health.ok) throw new Error("not sent");
    const { cookie } = await signIn((await linkFor(operator))!);
    const queue = await (await get("/console/checks", cookie)).text();
    expect(queue).toContain("گواهی عدم سوءپیشینه");
    expect(queue).toContain(v.person.volunteerCode!);
    const page = await (await get(`/console/checks/${sent.value.id}`, cookie)).text();
    expect(page).toMatch(new RegExp(`<img\\s+class="document"\\s+src="/console/checks/${sent.value.id}/file"`));
    const file = await get(`/console/checks/${sent.value.id}/file`, cookie);
    expect(file.headers.get("content-type")).toContain("image/png");
    expect(file.headers.get("cache-control")).toBe("no-store");
    expect(Buffer.from(await file.arrayBuffer()).equals(png)).toBe(true);
    // Another institution's operator and the province's admin: neither the page nor the file.
    const { cookie: theirs } = await signIn((await linkFor(other))!);
    expect((await get(`/console/checks/${sent.value.id}`, theirs)).status).toBe(403);
    expect((await get(`/console/checks/${sent.value.id}/file`, theirs)).status).toBe(403);
    const { cookie: province } = await signIn((await linkFor(provincial))!);
    expect((await get(`/console/checks/${sent.value.id}/file`, province)).status).toBe(403);
    // The province sees its institutions' queues and their age, not the documents.
    const ages = await (await get("/console/checks", province)).text();
    expect(ages).toContain("۲ مدرک در انتظار");
    expect(ages).not.toContain(v.person.volunteerCode!);
    // Approve with a typed expiry; an unreadable date is refused with a reason; reject the other with one.
    const csrf = await csrfOf(cookie);
    expect(
      await (
        await post(`/console/checks/${sent.value.id}`, { _csrf: csrf, action: "approve", until: "فردا" }, cookie)
      ).text(),
    ).toContain("به شمسی");
    const approved = await post(
      `/console/checks/${sent.value.id}`,
      { _csrf: csrf, action: "approve", until: "1406/09/17" },
      cookie,
    );
    expect(await approved.text()).toContain("تأیید شد");
    expect((await h.app.deps.store.screening.get(sent.value.id))!).toMatchObject({ status: "approved" });
    expect((await h.app.deps.store.screening.get(sent.value.id))!.expiresAt!.toISOString()).toMatch(/^2027-12-0[78]/);
    await post(`/console/checks/${health.value.id}`, { _csrf: csrf, action: "reject", reason: "unreadable" }, cookie);
    expect((await h.app.deps.store.screening.get(health.value.id))!).toMatchObject({
      status: "rejected",
      reason: "unreadable",
    });
    expect(await auditActions()).toEqual(
      expect.arrayContaining(["screening.view:ok", "screening.view:refused", "screening.decide:ok"]),
    );
  });

  it("an institution operator approves many at once; each volunteer is told, as in the chat", async () => {
    await importSampleData(h.app.deps.store);
    const coordinator = await h.staff("centre_coordinator", "KSH-POS-01");
    const operator = await h.staff("institution_operator", "INST-KSH-01");
    const other = await h.staff("institution_operator", "INST-KSH-02");
    const volunteers = [];
    for (let i = 0; i < 3; i++) volunteers.push(await storedVolunteer(h, {}, "KSH-POS-01", "telegram"));
    const today = isoDateIn(new Date(), h.config.timeZone);
    const posted = await postNeed(
      h.app.deps.matching,
      await h.app.deps.actors.of({ platform: "telegram", userId: String(coordinator.id) }),
      {
        centreCode: "KSH-POS-01",
        role: "neighbourhood_helper",
        skills: [],
        wanted: 3,
        startDate: today,
        endDate: addDaysIso(today, 30),
        slots: ["sat.morning"],
        reach: "province",
        notes: null,
      },
    );
    expect(posted.ok).toBe(true);
    const offers = await h.app.deps.store.needs.offers(posted.ok ? posted.value.id : "");
    for (const v of volunteers) {
      const offer = offers.find((o) => o.personId === v.person.id)!;
      expect((await answerOffer(h.app.deps.matching, v.person, offer.id, "accept")).ok).toBe(true);
    }
    // Another institution's operator sees none of them, and cannot decide them by a hand-made request.
    const { cookie: theirs } = await signIn((await linkFor(other))!);
    expect(await (await get("/console/approvals", theirs)).text()).not.toContain("درخواست تأیید معرفی");
    const forged = await post(
      "/console/approvals",
      { _csrf: await csrfOf(theirs), offer: offers[0]!.id, decision: "approve" },
      theirs,
    );
    expect(await forged.text()).toContain("۰ تأیید");

    const { cookie } = await signIn((await linkFor(operator))!);
    const queue = await (await get("/console/approvals", cookie)).text();
    expect(queue.match(/درخواست تأیید معرفی/g)).toHaveLength(3);
    const ids = [...queue.matchAll(/name="offer" value="([^"]+)"/g)].map((m) => m[1]!);
    const form = new URLSearchParams({ _csrf: await csrfOf(cookie), decision: "approve" });
    for (const id of ids.slice(0, 2)) form.append("offer", id);
    const done = await fetch(base + "/console/approvals", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: form.toString(),
    });
    const after = await done.text();
    expect(after).toContain("۲ تأیید");
    expect(after.match(/درخواست تأیید معرفی/g)).toHaveLength(1);
    while ((await h.app.engine.runOnce()) > 0);
    const introduced = volunteers.filter((v) =>
      h.texts("telegram", v.user).some((t) => t.includes("معرفی شما با تأیید")),
    );
    expect(introduced).toHaveLength(2);
    const log = await h.app.deps.store.access.auditLog({ limit: 50 });
    expect(log.filter((r) => r.action === "offer.approve" && r.outcome === "ok")).toHaveLength(2);
    expect(log.filter((r) => r.action === "offer.approve" && r.outcome === "refused")).toHaveLength(1);
  });

  it("the audit log is for national admins: filtered, exported, its reads audited", async () => {
    const provincial = await h.staff("provincial_admin", "kermanshah");
    const { cookie: theirs } = await signIn((await linkFor(provincial))!);
    expect((await get("/console/audit", theirs)).status).toBe(403);
    expect((await get("/console/audit.csv", theirs)).status).toBe(403);
    const { cookie } = await signIn((await linkFor(ADMIN))!);
    const all = await (await get("/console/audit", cookie)).text();
    expect(all).toContain("ورود به پیشخوان");
    // Only refusals: the provincial admin's, no sign-in that succeeded.
    const refused = await (await get("/console/audit?outcome=refused&action=audit", cookie)).text();
    expect(refused).toContain("رد شد");
    expect(refused).not.toContain("ورود به پیشخوان");
    const csv = await (await get("/console/audit.csv?outcome=refused", cookie)).text();
    expect(csv.split("\n")[0]).toContain("انجام‌دهنده");
    expect((await get("/console/audit?from=nonsense", cookie)).status).toBe(200);
    expect(await (await get("/console/audit?from=nonsense", cookie)).text()).toContain("به شمسی");
    expect(await auditActions()).toEqual(expect.arrayContaining(["audit.read:refused", "audit.export:ok"]));
  });

  it("broadcasts: a segment's count and per-platform preview, sent now, paused and cancelled; a province held", async () => {
    const admin = await h.staff("provincial_admin", "kermanshah");
    for (let i = 0; i < 3; i++) await storedVolunteer(h, {}, undefined, "telegram");
    await storedVolunteer(h, { province: "golestan", county: "gorgan" }, undefined, "telegram");
    const { cookie } = await signIn((await linkFor(admin))!);
    const csrf = await csrfOf(cookie);
    const text = "سلام_محله *امروز* /help";
    const form = (extra: Record<string, string>) => ({ _csrf: csrf, text, ...extra });
    const preview = await (await post("/console/broadcasts", form({ step: "preview" }), cookie)).text();
    // Their province by default: three, not four.
    expect(preview).toContain("۳ گیرنده");
    expect(preview).toContain("سلام＿محله ∗امروز∗"); // Bale: no markup characters
    expect(preview).toContain("\u2066/help\u2069"); // Telegram: the command isolated
    const live = await (await get("/console/broadcasts/count?skill=cooking", cookie)).json();
    expect(live).toMatchObject({ ok: true, count: 3 });
    // Narrowed by county (their province's), platform, language and source.
    expect(
      await (await get("/console/broadcasts/count?county=kermanshah.kermanshah&platform=telegram", cookie)).json(),
    ).toMatchObject({ count: 3 });
    expect(await (await get("/console/broadcasts/count?platform=bale", cookie)).json()).toMatchObject({ count: 0 });
    expect(await (await get("/console/broadcasts/count?language=en", cookie)).json()).toMatchObject({ count: 0 });
    expect(await (await get("/console/broadcasts/count?source=KSH-POS-01", cookie)).json()).toMatchObject({ count: 0 });
    // A county id that is not a county is dropped, never passed on.
    expect(await (await get("/console/broadcasts/count?county=golestan.nowhere", cookie)).json()).toMatchObject({
      count: 3,
    });
    // Another province by a hand-made request: refused and audited, nothing queued.
    expect((await get("/console/broadcasts/count?province=golestan", cookie)).status).toBe(403);
    const outside = await post("/console/broadcasts", form({ step: "send", province: "golestan" }), cookie);
    expect(outside.status).toBe(403);
    expect(await auditActions()).toContain("broadcast.compose:refused");
    // A time that does not read, and one past.
    expect(await (await post("/console/broadcasts", form({ step: "send", when: "فردا" }), cookie)).text()).toContain(
      "زمان",
    );
    const sent = await (await post("/console/broadcasts", form({ step: "send" }), cookie)).text();
    expect(sent).toContain("۳ نفر در صف");
    const [listed] = await h.app.deps.store.deliveries.recentBroadcasts(1);
    expect(listed!.segment.provinces).toEqual(["kermanshah"]);
    const paused = await post("/console/broadcasts/control", { _csrf: csrf, id: listed!.id, action: "pause" }, cookie);
    expect(await paused.text()).toContain("متوقف");
    expect((await h.app.deps.store.deliveries.getBroadcast(listed!.id))!.status).toBe("paused");
    // A national admin's broadcast is not theirs to control.
    const { cookie: national } = await signIn((await linkFor(ADMIN))!);
    const nationalCsrf = await csrfOf(national);
    await post("/console/broadcasts", { _csrf: nationalCsrf, text: "سراسری", step: "send" }, national);
    const [theirs] = await h.app.deps.store.deliveries.recentBroadcasts(1);
    expect(
      (await post("/console/broadcasts/control", { _csrf: csrf, id: theirs!.id, action: "cancel" }, cookie)).status,
    ).toBe(403);
    expect((await h.app.deps.store.deliveries.getBroadcast(theirs!.id))!.status).toBe("running");
    // «فردا ساعت ۱۰» is understood, and the broadcast is listed as scheduled, with its hour.
    const later = await (
      await post("/console/broadcasts", form({ step: "send", when: "فردا ساعت ۱۰", text: "برای فردا" }), cookie)
    ).text();
    expect(later).toContain("زمان‌بندی‌شده برای");
    // And the national one is not in their list (it covers every province).
    expect(await (await get("/console/broadcasts", cookie)).text()).not.toContain("سراسری");
    await post("/console/broadcasts/control", { _csrf: csrf, id: listed!.id, action: "cancel" }, cookie);
    expect((await h.app.deps.store.deliveries.getBroadcast(listed!.id))!.status).toBe("cancelled");
    expect(await auditActions()).toEqual(
      expect.arrayContaining([
        "broadcast.create:ok",
        "broadcast.pause:ok",
        "broadcast.cancel:refused",
        "broadcast.cancel:ok",
      ]),
    );
  });

  it("roles and invites: a provincial admin invites and revokes inside their province only", async () => {
    await importSampleData(h.app.deps.store);
    const admin = await h.staff("provincial_admin", "kermanshah");
    const coordinator = await h.staff("centre_coordinator", "KSH-POS-01");
    const elsewhere = await h.staff("centre_coordinator", "GLS-POS-01");
    const { cookie } = await signIn((await linkFor(admin))!);
    const page = await (await get("/console/roles", cookie)).text();
    // Their province's centres to invite to; not another province's, nor a provincial role.
    expect(page).toContain('value="centre_coordinator|KSH-POS-01"');
    expect(page).not.toContain("GLS-POS-01");
    expect(page).not.toContain('value="provincial_admin|');
    const csrf = await csrfOf(cookie);
    const made = await (
      await post("/console/roles/invite", { _csrf: csrf, target: "centre_coordinator|KSH-POS-01" }, cookie)
    ).text();
    expect(made).toContain("?start=inv_");
    // A hand-made invitation to another province: refused and audited.
    expect(
      (await post("/console/roles/invite", { _csrf: csrf, target: "centre_coordinator|GLS-POS-01" }, cookie)).status,
    ).toBe(403);
    // Withdraw the open invitation, then revoke the coordinator's role.
    const withdraw = /action="\/console\/roles\/withdraw"[\s\S]*?name="handle" value="([^"]+)"/.exec(made)![1]!;
    expect((await post("/console/roles/withdraw", { _csrf: csrf, handle: withdraw }, cookie)).status).toBe(200);
    expect(await h.app.deps.store.access.openInvites(new Date())).toEqual([]);
    const listed = await (await get("/console/roles", cookie)).text();
    const handles = [...listed.matchAll(/action="\/console\/roles\/revoke"[\s\S]*?name="handle" value="([^"]+)"/g)].map(
      (m) => m[1]!,
    );
    expect(handles.length).toBeGreaterThan(0);
    for (const handle of handles) await post("/console/roles/revoke", { _csrf: csrf, handle }, cookie);
    const ref = (u: { id: number }) => ({ platform: "telegram" as const, userId: String(u.id) });
    expect(await h.app.deps.store.access.grantsOf(ref(coordinator))).toEqual([]);
    // Not another province's coordinator, whatever handle is sent.
    expect(await h.app.deps.store.access.grantsOf(ref(elsewhere))).toHaveLength(1);
    expect((await post("/console/roles/revoke", { _csrf: csrf, handle: "AAAAAAAAAAAA" }, cookie)).status).toBe(403);
    expect(await auditActions()).toEqual(
      expect.arrayContaining([
        "invite.create:ok",
        "invite.create:refused",
        "invite.withdraw:ok",
        "role.revoke:ok",
        "role.revoke:refused",
      ]),
    );
  });

  it("needs: a centre coordinator posts one, sees its offers with score and why, and closes it; not another centre's", async () => {
    await importSampleData(h.app.deps.store);
    const coordinator = await h.staff("centre_coordinator", "KSH-POS-01");
    const other = await h.staff("centre_coordinator", "GLS-POS-01");
    for (let i = 0; i < 2; i++) await storedVolunteer(h, {}, "KSH-POS-01", "telegram");
    const { cookie } = await signIn((await linkFor(coordinator))!);
    const csrf = await csrfOf(cookie);
    const form = new URLSearchParams({
      _csrf: csrf,
      centre: "KSH-POS-01",
      role: "neighbourhood_helper",
      wanted: "2",
      start: "0",
      days: "30",
      reach: "province",
      notes: "کارت ملی همراه داشته باشید",
    });
    form.append("slot", "sat.morning");
    const posted = await fetch(base + "/console/needs", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: form.toString(),
    });
    expect(await posted.text()).toContain("۲ داوطلب مناسب در نوبت اول");
    const [need] = await h.app.deps.store.needs.list({ centreCodes: ["KSH-POS-01"] });
    const details = await (await get(`/console/needs/${need!.id}`, cookie)).text();
    expect(details).toContain("در انتظار پاسخ");
    expect(details).toContain("امتیاز");
    expect(details.match(/HM-T/g)).toHaveLength(2);
    // Without a slot: told what is missing, nothing posted.
    const missing = await post(
      "/console/needs",
      { _csrf: csrf, centre: "KSH-POS-01", role: "tutor", wanted: "1" },
      cookie,
    );
    expect(await missing.text()).toContain("دست‌کم یک زمان");
    expect(await h.app.deps.store.needs.list({ centreCodes: ["KSH-POS-01"] })).toHaveLength(1);
    // Another centre's coordinator: neither its page nor its closing.
    const { cookie: theirs } = await signIn((await linkFor(other))!);
    expect((await get(`/console/needs/${need!.id}`, theirs)).status).toBe(403);
    expect((await post("/console/needs/close", { _csrf: await csrfOf(theirs), need: need!.id }, theirs)).status).toBe(
      403,
    );
    // Edit: more people and a later end; an unreadable date and a count of zero are refused with a reason.
    const edited = await post(
      "/console/needs/edit",
      { _csrf: csrf, need: need!.id, wanted: "3", end: "1406-01-15", notes: "" },
      cookie,
    );
    expect(await edited.text()).toContain("تغییرها ذخیره شد");
    expect((await h.app.deps.store.needs.get(need!.id))!).toMatchObject({ wanted: 3, notes: null });
    expect(
      await (
        await post("/console/needs/edit", { _csrf: csrf, need: need!.id, wanted: "3", end: "فردا" }, cookie)
      ).text(),
    ).toContain("به شمسی");
    expect(
      await (
        await post("/console/needs/edit", { _csrf: csrf, need: need!.id, wanted: "0", end: "1406-01-15" }, cookie)
      ).text(),
    ).toContain("۱ تا ۵۰");
    const { cookie: theirs2 } = await signIn((await linkFor(other))!);
    expect(
      (
        await post(
          "/console/needs/edit",
          { _csrf: await csrfOf(theirs2), need: need!.id, wanted: "9", end: "1406-01-15" },
          theirs2,
        )
      ).status,
    ).toBe(403);
    expect((await h.app.deps.store.needs.get(need!.id))!.wanted).toBe(3);
    // Closing asks first, with the need's name; nothing changes until it is confirmed.
    const asked = await (await post("/console/needs/close", { _csrf: csrf, need: need!.id }, cookie)).text();
    expect(asked).toContain("بسته شود؟");
    expect(asked).toContain('name="confirmed"');
    expect((await h.app.deps.store.needs.get(need!.id))!.status).not.toBe("closed");
    const closed = await post("/console/needs/close", { _csrf: csrf, need: need!.id, confirmed: "1" }, cookie);
    const closedPage = await closed.text();
    expect(closedPage).toContain("نیاز بسته شد");
    expect((await h.app.deps.store.needs.get(need!.id))!.status).toBe("closed");
    // The list shows each need's dates, and a closed need can be posted again: asked first, then a new need from today.
    expect(closedPage).toMatch(/از [^<]*۱۴۰[۵۶] تا [^<]*۱۴۰[۵۶]/);
    expect(closedPage).toContain('action="/console/needs/again"');
    const again = await (await post("/console/needs/again", { _csrf: csrf, need: need!.id }, cookie)).text();
    expect(again).toContain("دوباره ثبت شود؟");
    expect(await h.app.deps.store.needs.list({ centreCodes: ["KSH-POS-01"] })).toHaveLength(1);
    expect(
      (await post("/console/needs/again", { _csrf: await csrfOf(theirs2), need: need!.id, confirmed: "1" }, theirs2))
        .status,
    ).toBe(403);
    const reposted = await post("/console/needs/again", { _csrf: csrf, need: need!.id, confirmed: "1" }, cookie);
    expect(await reposted.text()).toMatch(/نیاز ثبت شد/);
    const needs = await h.app.deps.store.needs.list({ centreCodes: ["KSH-POS-01"] });
    expect(needs).toHaveLength(2);
    const fresh = needs.find((n) => n.id !== need!.id)!;
    expect(fresh).toMatchObject({ status: expect.stringMatching(/open|partly_filled/), wanted: 3, role: need!.role });
    // An open need is not posted again (it is still looking).
    expect(
      await (await post("/console/needs/again", { _csrf: csrf, need: fresh.id, confirmed: "1" }, cookie)).text(),
    ).toContain("دوباره ثبت می‌شود");
    expect(await h.app.deps.store.needs.list({ centreCodes: ["KSH-POS-01"] })).toHaveLength(2);
    expect(await auditActions()).toEqual(
      expect.arrayContaining(["need.post:ok", "need.view:refused", "need.close:ok", "need.post:refused"]),
    );
  });

  it("campaigns and Ramadan: vows, messages sent, the centres' ranking with its method; not for a centre", async () => {
    await importSampleData(h.app.deps.store);
    const created = await h.app.deps.store.campaigns.create(ramadanCampaign(h.app.deps.i18n, { hijriYear: 1448 }));
    const v = await storedVolunteer(h, {}, "KSH-POS-01", "telegram");
    await h.app.deps.store.campaigns.pledge(created.slug, v.person.id, 10);
    const { firstDay } = campaignWindow(created);
    await h.app.deps.store.centres.reportAction({
      centreCode: "KSH-POS-01",
      kind: "iftar",
      date: firstDay,
      participants: 40,
      reportedBy: "telegram:1",
    });
    const { cookie } = await signIn((await linkFor(ADMIN))!);
    const page = await (await get("/console/campaigns", cookie)).text();
    expect(page).toContain(created.title);
    expect(page).toContain("نذر خدمت: ۱ نفر، ۱۰ ساعت");
    expect(page).toContain("روش امتیاز");
    expect(page).toMatch(/۱\. مرکز مثبت زندگی/);
    expect(page).toContain("data:image/png;base64,");
    // The ranking is drawn twice: narrow for a phone, wide for a laptop.
    expect(page).toMatch(/<source media="\(max-width: 40rem\)" srcset="data:image\/png;base64,/);
    // The actions the centres reported, and (for a national admin) the end-of-campaign summary.
    expect(page).toContain("افطاری");
    expect(page).toContain("۴۰ نفر");
    expect(page).toContain("جمع‌بندی پویش");
    const provincial = await h.staff("provincial_admin", "golestan");
    const { cookie: golestan } = await signIn((await linkFor(provincial))!);
    const theirPage = await (await get("/console/campaigns", golestan)).text();
    expect(theirPage).not.toContain("افطاری"); // Kermanshah's action is outside Golestan
    expect(theirPage).not.toContain("جمع‌بندی پویش");
    const coordinator = await h.staff("centre_coordinator", "KSH-POS-01");
    const { cookie: theirs } = await signIn((await linkFor(coordinator))!);
    expect((await get("/console/campaigns", theirs)).status).toBe(403);
    expect(await auditActions()).toEqual(expect.arrayContaining(["indicators.read:ok", "indicators.read:refused"]));
  });

  it("a need posted in quiet hours says its first wave waits for the morning", async () => {
    await h.close();
    const hour = Number(
      new Intl.DateTimeFormat("en-GB", { hour: "numeric", hourCycle: "h23", timeZone: "Asia/Tehran" }).format(
        new Date(),
      ),
    );
    h = await createHarness({ env: { ADMIN_IDS: `telegram:${ADMIN.id}`, QUIET_HOURS: `${hour}-${(hour + 2) % 24}` } });
    base = `http://127.0.0.1:${await h.app.server.listen(0, "127.0.0.1")}`;
    await importSampleData(h.app.deps.store);
    await storedVolunteer(h, {}, "KSH-POS-01", "telegram");
    const coordinator = await h.staff("centre_coordinator", "KSH-POS-01");
    const { cookie } = await signIn((await linkFor(coordinator))!);
    const form = new URLSearchParams({
      _csrf: await csrfOf(cookie),
      centre: "KSH-POS-01",
      role: "neighbourhood_helper",
      wanted: "1",
      start: "0",
      days: "30",
      reach: "province",
    });
    form.append("slot", "sat.morning");
    const res = await fetch(base + "/console/needs", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: form.toString(),
    });
    expect(await res.text()).toContain("ساعت استراحت");
  });

  it("works the same from Bale: the link comes as text, the session is the Bale account's", async () => {
    const admin = await h.staff("provincial_admin", "kermanshah", "bale");
    const link = await linkFor(admin, "bale");
    expect(link).toBeDefined();
    const { cookie } = await signIn(link!);
    const page = await (await get("/console/", cookie)).text();
    expect(page).toContain("در بله");
    expect(page).toContain("مدیر ستاد استان");
  });
  it("lists, for a headquarters' scope, the volunteers whose county is typed text, with the certain county where there is one", async () => {
    await storedVolunteer(h, { province: "golestan", county: "گنبدکاووس" });
    await storedVolunteer(h, { province: "golestan", county: "ناکجاآباد" });
    await storedVolunteer(h, { province: "kermanshah", county: "جای دیگر" });
    await storedVolunteer(h, { province: "golestan", county: "gorgan" });
    const { cookie } = await signIn((await linkFor(ADMIN))!);
    expect(await (await get("/console/volunteers", cookie)).text()).toContain("/console/volunteers/counties");
    const page = await (await get("/console/volunteers/counties", cookie)).text();
    expect(page).toContain("(۳ نفر)");
    expect(page).toContain("گنبدکاووس");
    expect(page).toContain("گنبد کاووس"); // the certain county
    expect(page).toContain("ناکجاآباد");
    // A provincial admin sees their province's only; a centre's coordinator is refused.
    const provincial = await h.staff("provincial_admin", "kermanshah");
    const own = await (
      await get("/console/volunteers/counties", (await signIn((await linkFor(provincial))!)).cookie)
    ).text();
    expect(own).toContain("جای دیگر");
    expect(own).not.toContain("ناکجاآباد");
    const centre = await h.staff("centre_coordinator", "KSH-POS-01");
    expect((await get("/console/volunteers/counties", (await signIn((await linkFor(centre))!)).cookie)).status).toBe(
      403,
    );
  });
  it("a centre's coordinator lands on their day: sessions today and hours waiting, linked to the attendance page", async () => {
    await importSampleData(h.app.deps.store);
    const coordinator = await h.staff("centre_coordinator", "KSH-POS-01");
    const { cookie } = await signIn((await linkFor(coordinator))!);
    const page = await (await get("/console/", cookie)).text();
    expect(page).toContain("امروز در مراکز شما");
    expect(page).toMatch(/امروز ۰ نوبت خدمت · ۰ ساعت خدمت در انتظار تأیید شما/);
    expect(page).toContain("/console/attendance?centre=KSH-POS-01");
  });
});
