import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { chromium } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.js";
import { addDaysIso, isoDateIn } from "../../src/domain/jalali.js";
import { centreAccount, personAccount } from "../../src/domain/ledger.js";
import { weekdayOf } from "../../src/domain/sessions.js";
import { createLogger } from "../../src/logger.js";
import { startBotApiServer, type RunningBotApi, type SimUser } from "../../src/playground/bot-api/index.js";
import { checkByHand, serviceTick } from "../../src/services/service-day/index.js";
import { answerOffer, decideOffer, postNeed, runWave } from "../../src/services/matching/index.js";
import type { Platform } from "../../src/platforms/capabilities.js";
import { BALE_TOKEN, TELEGRAM_TOKEN, testConfig } from "../support/config.js";
import { newUser, TOKENS, type Harness } from "../support/harness.js";
import { waitFor } from "../support/process.js";
import { expectPersian, textsAndLabels } from "../support/persian.js";
import { importSampleData } from "../support/sample.js";
import { storedVolunteer } from "../support/volunteer.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);

/**
 * The day of service end to end, over HTTP: the bots poll a Bot-API server
 * and the delivery engine sends through it; the coordinator works in the
 * console, the public checks a certificate on /verify. Only the clock is the
 * test's: each step moves it to where a day of service would be, and runs
 * the tick the app runs every minute.
 */
// A browser beside another test file on two cores: a step may take several seconds.
describe("the day of service, end to end over HTTP", { timeout: 60_000 }, () => {
  let api: RunningBotApi;
  let app: App;
  let base: string;
  let clock: Date;
  let coordinator: SimUser;
  let operator: SimUser;

  beforeEach(async () => {
    api = await startBotApiServer(createLogger("silent"));
    api.sim.addBot(TELEGRAM_TOKEN, "telegram");
    api.sim.addBot(BALE_TOKEN, "bale");
    const config = testConfig({
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
      BALE_BOT_TOKEN: BALE_TOKEN,
      BALE_API_ROOT: api.apiRoot,
      BALE_SEND_RATE: "1000",
      BALE_BROADCAST_RATE: "1000",
    });
    app = await createApp(config, { logger: createLogger("silent"), host: "127.0.0.1" });
    await importSampleData(app.deps.store);
    clock = new Date();
    app.deps.serviceDay.now = () => clock;
    base = `http://127.0.0.1:${await app.start()}`;
    coordinator = await staff("centre_coordinator", "KSH-POS-01", "telegram");
    operator = await staff("institution_operator", "INST-KSH-01", "telegram");
  }, 30_000);
  afterEach(async () => {
    await app.stop();
    await api.close();
  });

  const staff = async (role: "centre_coordinator" | "institution_operator", scope: string, platform: Platform) => {
    const user = newUser("هماهنگ‌کننده");
    api.sim.openChat(TOKENS[platform], user);
    await app.deps.store.access.grant({ platform, userId: String(user.id), role, scope, grantedBy: "test" });
    return user;
  };
  /** A registered volunteer in Kermanshah on Bale (the main platform), free in `slot`. */
  const volunteer = (slot: string) =>
    storedVolunteer(
      { sim: api.sim, app } as unknown as Harness,
      { availability: { slots: [slot as never], hoursPerWeek: 4 } },
      "KSH-POS-01",
      "bale",
    );

  const messages = (platform: Platform, user: SimUser) => api.sim.botMessages(TOKENS[platform], user.id);
  /** Waits for a bot message to the user containing `text` (after the first `after` messages). */
  const said = (platform: Platform, user: SimUser, text: string, after = 0) =>
    waitFor(`${platform} ${user.id}: «${text}»`, () =>
      messages(platform, user)
        .slice(after)
        .find((m) => (m.text ?? m.caption ?? "").includes(text)),
    );
  const press = async (platform: Platform, user: SimUser, data: string) => {
    const message = await waitFor(`button ${data}`, () =>
      [...messages(platform, user)].reverse().find((m) => JSON.stringify(m.reply_markup ?? {}).includes(`"${data}"`)),
    );
    api.sim.press(TOKENS[platform], user, message.message_id, data);
  };
  const type = (platform: Platform, user: SimUser, text: string) => {
    const count = messages(platform, user).length;
    api.sim.sendText(TOKENS[platform], user, text);
    return count;
  };
  /** Runs the minute's tick at the test's clock. */
  const tick = () => serviceTick(app.deps.serviceDay);

  /** Signs a coordinator into the console from the link the bot sends; the cookie and CSRF token. */
  const consoleSession = async (user: SimUser) => {
    const after = type("telegram", user, "/console");
    const link = await said("telegram", user, "/console/login", after);
    const token = /\/console\/login\?t=(\S+)/.exec(link.text!)![1]!;
    // The link's page has one button; pressing it (a POST) signs in.
    const res = await fetch(`${base}/console/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ t: token }).toString(),
      redirect: "manual",
    });
    const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
    const page = await (await fetch(`${base}/console/attendance`, { headers: { cookie } })).text();
    return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page)![1]!, page };
  };
  const post = (path: string, cookie: string, form: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) body.append(k, x);
    return fetch(base + path, {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
      redirect: "manual",
    });
  };

  it("need → approval → sessions → 48 h reminder confirmed → 2 h reminder → check-in by the centre's link → check-out → bulk approval → ledger once → /hours → certificate verified", async () => {
    const { store } = app.deps;
    const tz = app.deps.timeZone;
    // A morning three days from now: the need's one weekly slot, for a week.
    const day = addDaysIso(isoDateIn(clock, tz), 3);
    const slot = `${weekdayOf(day)}.morning`;
    const v = await volunteer(slot);

    // 1. The coordinator posts the need in the console.
    const coord = await consoleSession(coordinator);
    const posted = await post("/console/needs", coord.cookie, {
      _csrf: coord.csrf,
      centre: "KSH-POS-01",
      role: "neighbourhood_helper",
      wanted: "1",
      start: "0",
      days: "7",
      slot,
      reach: "province",
    });
    expect(posted.status).toBe(200);
    const [need] = await store.needs.list({ centreCodes: ["KSH-POS-01"] });
    expect(need).toMatchObject({ status: "open", slots: [slot] });

    // 2. The volunteer accepts on Bale; the institution approves in the chat; the sessions are made.
    await said("bale", v.user, "درخواست همیاری");
    const [offer] = await store.needs.offers(need!.id);
    await press("bale", v.user, `of:a:${offer!.id}`);
    await said("telegram", operator, "درخواست تأیید معرفی");
    await press("telegram", operator, `od:y:${offer!.id}`);
    const scheduled = await said("bale", v.user, "نوبت خدمت برای شما ثبت شد");
    const sessions = await store.sessions.list({ personId: v.person.id }, 10);
    expect(sessions).toHaveLength(1);
    const session = sessions[0]!;
    expect(session).toMatchObject({ date: day, part: "morning", centreCode: "KSH-POS-01", status: "scheduled" });
    expect(scheduled.text).toContain("صبح (۸ تا ۱۲)");

    // 3. 47 hours before: the 48-hour reminder, and «می‌آیم».
    clock = new Date(session.startsAt.getTime() - 47 * 3_600_000);
    expect(await tick()).toMatchObject({ d2: 1, h2: 0 });
    expect(await tick()).toMatchObject({ d2: 0 }); // once
    const reminder = await said("bale", v.user, "یادآوری نوبت خدمت");
    expect(reminder.text).toContain("مرکز");
    await press("bale", v.user, `ss:y:${session.id}`);
    await said("bale", v.user, "خبر دادیم که می‌آیید");
    expect((await store.sessions.get(session.id))!.status).toBe("confirmed");

    // 4. 1 h 50 before: the 2-hour reminder (its buttons: only the cancel, since they confirmed).
    clock = new Date(session.startsAt.getTime() - 110 * 60_000);
    expect(await tick()).toMatchObject({ h2: 1 });
    const twoHours = await said("bale", v.user, "دو ساعت دیگر نوبت خدمت شماست");
    expect(JSON.stringify(twoHours.reply_markup)).not.toContain(`ss:y:`);
    // The centre's link, as the console shows it under the poster; the poster itself is a PNG.
    const attendance = await (await fetch(`${base}/console/attendance`, { headers: { cookie: coord.cookie } })).text();
    const balePayload = /https:\/\/ble\.ir\/[^?"]+\?start=(ci_[A-Za-z0-9_-]+)/.exec(attendance)![1]!;
    const poster = await fetch(`${base}/console/attendance/poster.png?centre=KSH-POS-01`, {
      headers: { cookie: coord.cookie },
    });
    expect(poster.headers.get("content-type")).toBe("image/png");
    expect((await poster.arrayBuffer()).byteLength).toBeGreaterThan(5000);

    // Ten minutes after the start the volunteer scans the code: checked in; three hours after, checks out.
    clock = new Date(session.startsAt.getTime() + 10 * 60_000);
    let after = type("bale", v.user, `/start ${balePayload}`);
    await said("bale", v.user, "حضور شما در", after);
    expect((await store.sessions.get(session.id))!).toMatchObject({ status: "checked_in", checkInBy: "self" });
    clock = new Date(session.startsAt.getTime() + 3 * 3_600_000);
    after = messages("bale", v.user).length;
    await press("bale", v.user, `ss:o:${session.id}`);
    await said("bale", v.user, "خروج شما ثبت شد", after);
    // From 08:10 to 11:00: 170 minutes proposed.
    expect((await store.sessions.get(session.id))!).toMatchObject({ status: "checked_out", minutes: 170 });

    // Refused over HTTP: another centre's coordinator approving here, and a forged check-in link.
    const stranger = await staff("centre_coordinator", "GLS-POS-01", "telegram");
    const theirs = await consoleSession(stranger);
    const outside = await post("/console/attendance/approve", theirs.cookie, {
      _csrf: theirs.csrf,
      centre: "KSH-POS-01",
      which: "all",
    });
    expect(outside.status).toBe(403);
    after = type("bale", v.user, `/start ${balePayload.slice(0, -4)}AAAA`);
    await said("bale", v.user, "این پیوند ثبت حضور معتبر نیست", after);
    expect((await store.sessions.get(session.id))!.status).toBe("checked_out");

    // 5. The coordinator approves all at once in the console; 6. the ledger is credited once.
    const approved = await post("/console/attendance/approve", coord.cookie, {
      _csrf: coord.csrf,
      centre: "KSH-POS-01",
      which: "all",
    });
    expect(await approved.text()).toContain("۱ نوبت از ۱ داوطلب تأیید");
    const again = await post("/console/attendance/approve", coord.cookie, {
      _csrf: coord.csrf,
      centre: "KSH-POS-01",
      which: "all",
    });
    expect(await again.text()).toContain("چیزی برای تأیید نبود");
    expect(await store.ledger.balance(personAccount(v.person.id))).toBe(170);
    expect(await store.ledger.balance(centreAccount("KSH-POS-01"))).toBe(-170);
    expect(await store.ledger.total()).toBe(0);
    expect((await store.sessions.get(session.id))!.status).toBe("credited");
    await said("bale", v.user, "خدمت شما در بانک زمان ثبت شد");

    // 7. /hours shows it; /certificate sends a PDF whose code the public page and the CLI validate.
    after = type("bale", v.user, "/hours");
    const hours = (await said("bale", v.user, "خدمت داده", after)).text!;
    expect(hours).toContain("+۲٫۸۳ ساعت — خدمت در مرکز مثبت زندگی الهیه");
    after = type("bale", v.user, "/certificate");
    const certificate = await said("bale", v.user, "کد درستی‌سنجی", after);
    expect(certificate.file?.name).toMatch(/^hamdel-certificate-HMC-.+\.pdf$/);
    expect(certificate.file!.bytes.subarray(0, 5).toString()).toBe("%PDF-");
    const code = /HMC(-[0-9A-Z]{4}){4}/.exec(certificate.caption!)![0];
    const page = await fetch(`${base}/verify?code=${code}`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("این گواهی معتبر است");
    expect(html).toContain(`${v.person.firstName} ${v.person.lastName}`);
    expect(html).toContain("۲٫۸۳");
    // Only name, hours and validity: no phone, no code of the volunteer, no centre.
    expect(html).not.toContain(v.person.phone!);
    expect(html).not.toContain(v.person.volunteerCode!);
    expect(html).not.toContain("KSH-POS-01");
    const forged = await fetch(`${base}/verify?code=HMC-00000-00000`);
    expect(forged.status).toBe(404);
    expect(await forged.text()).toContain("پیدا نشد");
    const cli = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "certificate", "verify", code], {
      env: { ...process.env, DATA_DIR: app.config.dataDir, PII_KEY: app.config.piiKey, LOG_LEVEL: "silent" },
      encoding: "utf8",
    });
    expect(cli.stdout).toContain("valid");
    expect(cli.stdout).toContain("2.83 hours");
    expect(cli.status).toBe(0);

    // Everything the volunteer (on Bale) and the coordinator read along the way is Persian.
    expectPersian(textsAndLabels(messages("bale", v.user)), "bale");
    expectPersian(textsAndLabels(messages("telegram", coordinator)), "telegram");
    const actions = (await store.access.auditLog({ limit: 50 })).map((r) => `${r.action}:${r.outcome}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        "need.post:ok",
        "offer.approve:ok",
        "attendance.approve:ok",
        "attendance.approve:refused",
      ]),
    );
  }, 60_000);

  it.skipIf(!hasChromium)(
    `the attendance page in Chromium: the poster, the flagged session, a correction and approving the ticked one${hasChromium ? "" : " (skipped: no chromium)"}`,
    async () => {
      const { store } = app.deps;
      const tz = app.deps.timeZone;
      const day = addDaysIso(isoDateIn(clock, tz), 3);
      const slot = `${weekdayOf(day)}.morning`;
      // Two volunteers approved for the same morning (through the services: the chat's path is the test above).
      const me = await app.deps.actors.of({ platform: "telegram", userId: String(coordinator.id) });
      const need = await postNeed(app.deps.serviceDay, me, {
        centreCode: "KSH-POS-01",
        role: "neighbourhood_helper",
        skills: [],
        wanted: 2,
        startDate: isoDateIn(clock, tz),
        endDate: addDaysIso(isoDateIn(clock, tz), 6),
        slots: [slot as never],
        reach: "province",
        notes: null,
      });
      const people = [await volunteer(slot), await volunteer(slot)];
      await runWave(app.deps.serviceDay, need.ok ? need.value.id : "");
      const operatorActor = await app.deps.actors.of({
        platform: "telegram",
        userId: String(operator.id),
      });
      for (const v of people) {
        const offer = (await store.needs.offers(need.ok ? need.value.id : "")).find((o) => o.personId === v.person.id)!;
        await answerOffer(app.deps.serviceDay, v.person, offer.id, "accept");
        await decideOffer(app.deps.serviceDay, operatorActor, offer.id, true, null);
      }
      const [one, two] = await Promise.all(
        people.map(async (v) => (await store.sessions.list({ personId: v.person.id }, 1))[0]!),
      );
      // One came and left; the other came and never checked out (flagged after the grace).
      clock = new Date(one!.startsAt.getTime() + 5 * 60_000);
      await checkByHand(app.deps.serviceDay, me, one!.id, "in");
      await checkByHand(app.deps.serviceDay, me, two!.id, "in");
      clock = new Date(one!.startsAt.getTime() + 2 * 3_600_000 + 5 * 60_000);
      await checkByHand(app.deps.serviceDay, me, one!.id, "out");
      clock = new Date(one!.endsAt.getTime() + 4 * 3_600_000);
      await tick();

      const coord = await consoleSession(coordinator);
      const browser = await chromium.launch({ executablePath: CHROMIUM });
      try {
        const context = await browser.newContext({ locale: "fa-IR", viewport: { width: 1200, height: 1400 } });
        const [name, value] = coord.cookie.split("=") as [string, string];
        await context.addCookies([{ name, value, url: base }]);
        const page = await context.newPage();
        const errors: string[] = [];
        // What the page asked for and did not get (the browser's own /favicon.ico aside), and what the CSP refused.
        page.on("response", (r) => r.status() >= 400 && !r.url().endsWith("/favicon.ico") && errors.push(r.url()));
        page.on(
          "console",
          (m) => m.type() === "error" && !m.text().includes("Failed to load resource") && errors.push(m.text()),
        );
        const poster = page.waitForResponse((r) => r.url().includes("/console/attendance/poster.png"));
        await page.goto(`${base}/console/attendance`);
        expect((await poster).headers()["content-type"]).toBe("image/png");
        await expect.poll(() => page.locator("h1").textContent()).toContain("حضور و ساعت‌ها");
        expect(await page.locator("tr.flagged").count()).toBe(1);
        expect(await page.locator("tr.flagged").textContent()).toContain("خروج ثبت نشد");
        // Bale's code first (on the right), as the poster's caption lists them.
        expect(await page.locator("section li").first().textContent()).toContain("https://ble.ir/");
        mkdirSync("test-results", { recursive: true });
        await page.screenshot({ path: "test-results/console-attendance.png", fullPage: true });
        // The flagged one gets its hours with a reason; then the ticked one is approved.
        await page.selectOption('select[name="session"]', two!.id);
        await page.fill('input[name="minutes"]', "150");
        await page.fill('input[name="reason"]', "گوشی همراه نداشت؛ ساعت را خودم دیدم");
        await page.click("text=ثبت اصلاح");
        await expect.poll(() => page.locator("p.notice").textContent()).toContain("اصلاح ثبت شد");
        await page.check(`input[name="session"][value="${one!.id}"]`);
        await page.click("text=تأیید انتخاب‌شده‌ها");
        await expect.poll(() => page.locator("p.notice").textContent()).toContain("۱ نوبت از ۱ داوطلب تأیید");
        expect(await store.ledger.balance(personAccount(people[0]!.person.id))).toBe(120);
        expect(await store.ledger.balance(personAccount(people[1]!.person.id))).toBe(0);
        expect((await store.sessions.get(two!.id))!).toMatchObject({ status: "checked_out", minutes: 150 });
        expect(errors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
