import { existsSync, mkdirSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/config.js";
import { join } from "node:path";
import { makeLinkToken } from "../../src/console/links.js";
import { PiiCipher, resolvePiiKey } from "../../src/security/pii.js";
import { freePort, startHamdel, stopHamdel, waitFor, withDataDir, type Running } from "../support/process.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`Console browser test skipped: ${CHROMIUM} is missing (.ci/run installs it).`);

/**
 * The console as a coordinator meets it: `npm start` with no token (the
 * playground), the persona's «open console» button, the link the bot sends,
 * and the console in the same Chromium. Screenshots go to test-results/.
 */
// A browser beside another test file on two cores: a step may take several seconds.
describe.skipIf(!hasChromium)(
  `the console in a browser${hasChromium ? "" : " (skipped: no chromium)"}`,
  { timeout: 60_000 },
  () => {
    let running: Running;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let base: string;
    let dataDir: string;

    beforeAll(async () => {
      const port = await freePort();
      dataDir = tempDir();
      // The playground's two citizens, registered volunteers of KSH-POS-01 (written before it starts, so indexed).
      await withDataDir(dataDir, async (store) => {
        for (const [userId, firstName] of [
          ["10001", "زهرا"],
          ["10002", "علی"],
        ] as const) {
          const { person } = await store.people.ensure(
            { platform: "telegram", userId, chatId: userId },
            { source: "KSH-POS-01" },
          );
          await store.people.update(person.id, {
            firstName,
            lastName: "کرمانشاهی",
            phone: `0918${userId}0`,
            province: "kermanshah",
            county: "kermanshah",
            neighbourhood: "الهیه",
            roles: ["neighbourhood_helper"],
            skills: ["cooking"],
            availability: { slots: ["sat.morning"], hoursPerWeek: 4 },
            volunteerCode: `HM-PG${userId}`,
            registeredAt: new Date(),
          });
        }
      });
      // Quiet hours off: a need's first wave goes out whatever the time of the run.
      running = startHamdel({ DATA_DIR: dataDir, PORT: String(port), ADMIN_IDS: "telegram:777", QUIET_HOURS: "off" });
      await waitFor("playground", () => (running.output().includes("playground ready") ? true : undefined));
      // Five more registered volunteers in Kermanshah, and one in Golestan, written into the running playground's store.
      await withDataDir(dataDir, async (store) => {
        const { person } = await store.people.ensure({ platform: "telegram", userId: "950", chatId: "950" });
        await store.people.update(person.id, {
          firstName: "سارا",
          lastName: "گرگانی",
          province: "golestan",
          county: "gorgan",
          registeredAt: new Date(),
        });
        for (let i = 0; i < 5; i++) {
          const userId = String(900 + i);
          const { person } = await store.people.ensure({ platform: "telegram", userId, chatId: userId });
          await store.people.update(person.id, {
            firstName: "نرگس",
            lastName: "کرمانشاهی",
            province: "kermanshah",
            county: "kermanshah",
            registeredAt: new Date(),
          });
        }
      });
      base = `http://127.0.0.1:${port}`;
      // The two citizens have written to the bot (their chats exist), as registered volunteers have.
      for (const user of [10001, 10002])
        await fetch(`${base}/playground/api/send`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ platform: "telegram", user, text: "سلام" }),
        });
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
      context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: "fa-IR" });
      page = await context.newPage();
      mkdirSync("test-results", { recursive: true });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await stopHamdel(running, "SIGTERM");
    });

    /**
     * The playground on its Telegram tab (it opens on Bale): these tests sign in as the ADMIN_IDS coordinator,
     * whom the configuration names on Telegram.
     */
    const home = async () => {
      await page.goto(base);
      await page.getByRole("tab", { name: "تلگرام" }).click();
      await page.locator('[data-persona="telegram"][aria-selected="true"]').waitFor();
    };
    const persona_ = (label: string) => persona(label);
    const persona = async (label: string) => {
      const value = await page.locator("#user option", { hasText: label }).first().getAttribute("value");
      // Its chat is on screen before anything is read from it (the history's response alone is not enough:
      // until the page draws it, the previous persona's chat is still there to be matched).
      await page.selectOption("#user", value!);
      await page.locator(`#chat[data-user="telegram:${value}"]`).waitFor({ state: "attached" });
    };
    /** On the link's page (one button: fetching the link spends nothing), signs in; the overview follows by itself. */
    const signIn = async (tab: Page) => {
      await tab.getByRole("button", { name: "ورود به پیشخوان" }).click();
      await tab.waitForURL(/\/console\/$/);
    };
    /** The console link in the persona's newest bot message, after pressing «open console». */
    const consoleLink = async () => {
      const before = await page.locator(".msg.bot a.link").count();
      await page.click("#console");
      await page.waitForFunction(`document.querySelectorAll(".msg.bot a.link").length > ${before}`);
      return page.locator(".msg.bot a.link").last();
    };
    /**
     * The console, opened in a new tab from the link the bot just sent. By its address, not a click: pushes still
     * arriving redraw the chat, and a click aimed at the link could land on what scrolled under it. (The first test
     * clicks, as a person does.)
     */
    const openConsole = async () => {
      const href = (await (await consoleLink()).getAttribute("href"))!;
      const tab = await context.newPage();
      await tab.goto(href);
      return tab;
    };

    it("a national admin opens the console from the bot's link, composes a broadcast to a segment, sees its count, sends it", async () => {
      await home();
      await persona("هماهنگ‌کننده ستاد");
      const link = await consoleLink();
      const href = (await link.getAttribute("href"))!;
      const [tab] = await Promise.all([context.waitForEvent("page"), link.click()]);
      // The sign-in page moves on to the overview by itself.
      await signIn(tab);
      await tab.locator("h1", { hasText: "نمای کلی" }).waitFor();
      expect(await tab.getAttribute("html", "dir")).toBe("rtl");
      await tab.screenshot({ path: "test-results/console-overview.png", fullPage: true });

      await tab.getByRole("link", { name: "پیام‌های پویش" }).click();
      await tab.fill("textarea[name=text]", "«سلام محله» این هفته در مرکز مثبت زندگی الهیه برگزار می‌شود.");
      await tab.getByLabel("کرمانشاه", { exact: true }).check();
      // The live count (the one static script) follows the segment.
      // (A locator, not an evaluated string: the console's CSP allows no eval, for tests too.)
      // Eight: the five written above, the two citizens, and the playground's demo «مادریار» (a document to review).
      await tab.locator("#count", { hasText: "۸ گیرنده" }).waitFor();
      await tab.getByRole("button", { name: "پیش‌نمایش و شمارش" }).click();
      await tab.locator(".previews figure").first().waitFor();
      expect(await tab.locator(".previews figcaption").allTextContents()).toEqual(["تلگرام", "بله"]);
      await tab.screenshot({ path: "test-results/console-broadcast.png", fullPage: true });
      await tab.getByRole("button", { name: "ارسال", exact: true }).click();
      await tab.locator(".notice[role=status]").waitFor();
      expect(await tab.locator(".notice[role=status]").textContent()).toContain("۸ نفر در صف");
      expect(await tab.locator("tbody tr").count()).toBeGreaterThan(0);

      // The same link a second time: refused.
      const again = await context.newPage();
      const res = await again.goto(href);
      expect(res!.status()).toBe(403);
      expect(await again.locator("main").textContent()).toContain("پیش‌تر به کار رفته");
      await again.close();

      // Logout ends the session.
      await tab.getByRole("button", { name: "خروج" }).click();
      expect(await tab.locator("main").textContent()).toContain("خارج شدید");
      const after = await tab.goto(`${new URL(href).origin}/console/`);
      expect(after!.status()).toBe(401);
      await tab.close();
    });

    it("every page fits a phone (390 px) and a laptop (1366 px): nothing wider than the screen; screenshots in docs/", async () => {
      mkdirSync("docs/screenshots", { recursive: true });
      const widths: Record<string, number> = {};
      const charts: string[] = [];
      for (const [persona, pages] of [
        [
          "هماهنگ‌کننده ستاد",
          [
            "",
            "volunteers",
            "volunteers/counties",
            "needs",
            "attendance",
            "broadcasts",
            "campaigns",
            "checks",
            "roles",
            "audit",
          ],
        ],
        ["کارشناس", ["approvals", "checks", "checks/document"]],
      ] as const) {
        await home();
        await persona_(persona);
        const tab = await openConsole();
        await signIn(tab);
        const origin = new URL(tab.url()).origin;
        for (const [w, h] of [
          [390, 844],
          [1366, 768],
        ] as const) {
          await tab.setViewportSize({ width: w, height: h });
          for (const key of pages) {
            // «checks/document»: the review queue's first document (the playground's demo «مادریار»), as opened from it.
            const path =
              key === "checks/document"
                ? await (async () => {
                    await tab.goto(`${origin}/console/checks`);
                    return (await tab.locator(".cards a").first().getAttribute("href"))!;
                  })()
                : `/console/${key}`;
            expect((await tab.goto(`${origin}${path}`))!.status(), key).toBe(200);
            // The document, not the viewport: a page wider than the screen scrolls sideways as a whole.
            const wide = await tab.evaluate(
              () =>
                (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
                  .documentElement.scrollWidth,
            );
            widths[`${key || "overview"}@${w}`] = wide;
            // Charts: drawn narrow for a phone and for the overview's columns, wide across a laptop's page.
            const drawn = await tab.evaluate(
              `[...document.querySelectorAll(".charts img, img.chart")].map((i) => i.naturalWidth)`,
            );
            if (key === "") charts.push(...(drawn as number[]).map((n) => `overview@${w}:${n}`));
            const name = (key || "overview").replace("/", "-");
            await tab.screenshot({ path: `docs/screenshots/console-${name}-${w}.png`, fullPage: true });
          }
        }
        await tab.close();
      }
      const tooWide = Object.entries(widths).filter(([k, v]) => v > Number(k.split("@")[1]));
      expect(tooWide).toEqual([]);
      // (The campaigns page draws its ranking as a picture, narrow under 40rem: test/console/console.test.ts.)
      expect(charts).toEqual([...Array(3).fill("overview@390:480"), ...Array(3).fill("overview@1366:480")]);
    });

    it("an invitation's link opens inside the playground, as the messenger would", async () => {
      await home();
      await persona("هماهنگ‌کننده ستاد");
      await page.fill("#text", "/invite");
      await page.click("#send");
      await page.locator(".msg.bot button", { hasText: "مدیر ستاد استان" }).last().click();
      await page.locator(".msg.bot button", { hasText: "گلستان" }).last().click();
      await botSays("پیوند دعوت یک‌بار مصرف");
      // Both messengers' links, Bale's first; the Telegram one, clicked, is sent to the bot as /start inv_…
      const links = await page.locator(".msg.bot").last().locator("a.link").allTextContents();
      expect(links.map((l) => new URL(l).host)).toEqual(["ble.ir", "t.me"]);
      await page.locator(".msg.bot").last().locator("a.link", { hasText: "t.me" }).click();
      await page.locator(".msg.me", { hasText: "/start inv_" }).waitFor();
      await botSays("مدیر ستاد استان — گلستان");
    });

    it("a citizen persona has no console button, and /console tells them what it is for", async () => {
      await home();
      await persona("زهرا");
      expect(await page.locator("#console").isHidden()).toBe(true);
      await page.fill("#text", "/console");
      await page.click("#send");
      await page.waitForFunction(
        `[...document.querySelectorAll(".msg.bot")].some((m) => m.textContent.includes("پیشخوان برای هماهنگ‌کنندگان"))`,
      );
    });

    it("an institution operator's console shows the approvals page, not the headquarters' pages", async () => {
      await home();
      await persona("کارشناس");
      const tab = await openConsole();
      await signIn(tab);
      await tab.locator("h1", { hasText: "نمای کلی" }).waitFor();
      const menu = await tab.locator("header nav a").allTextContents();
      expect(menu).toEqual(["نمای کلی", "تأیید معرفی‌ها", "بررسی مدارک"]);
      await tab.getByRole("link", { name: "تأیید معرفی‌ها" }).click();
      expect(await tab.locator("main").textContent()).toContain("در انتظار");
      // A headquarters page asked for by hand: refused.
      const res = await tab.goto(`${new URL(tab.url()).origin}/console/volunteers`);
      expect(res!.status()).toBe(403);
      await tab.screenshot({ path: "test-results/console-refused.png" });
      await tab.close();
    });

    /** Waits until the persona's chat shows a bot message containing `text`. */
    const botSays = (text: string) =>
      page.waitForFunction(
        `[...document.querySelectorAll(".msg.bot")].some((m) => m.textContent.includes(${JSON.stringify(text)}))`,
        undefined,
        { timeout: 15_000 },
      );

    it("a centre posts a need in the console; two volunteers accept in the chat; the operator approves both at once; each is told", async () => {
      await home();
      await persona("هماهنگ‌کننده مرکز");
      let tab = await openConsole();
      await signIn(tab);
      await tab.getByRole("link", { name: "نیازها" }).click();
      await tab.selectOption("select[name=role]", "neighbourhood_helper");
      await tab.fill("input[name=wanted]", "2");
      await tab.locator("input[name=slot][value='sat.morning']").check();
      await tab.getByRole("button", { name: /ثبت و جست‌وجوی داوطلب/ }).click();
      expect(await tab.locator(".notice[role=status]").textContent()).toContain("۲ داوطلب مناسب");
      await tab.close();

      for (const name of ["زهرا", "علی"]) {
        await persona(name);
        await botSays("درخواست همیاری");
        await page
          .locator(".msg.bot")
          .filter({ hasText: "درخواست همیاری" })
          .last()
          .getByRole("button", { name: /می‌پذیرم|پذیرفتن/ })
          .click();
        await botSays("برای تأیید به مؤسسه");
      }

      await persona("کارشناس");
      tab = await openConsole();
      await signIn(tab);
      await tab.getByRole("link", { name: "تأیید معرفی‌ها" }).click();
      const boxes = tab.locator("input[name=offer]");
      expect(await boxes.count()).toBe(2);
      for (let i = 0; i < 2; i++) await boxes.nth(i).check();
      await tab.screenshot({ path: "test-results/console-approvals.png", fullPage: true });
      await tab.getByRole("button", { name: /تأیید انتخاب‌شده‌ها/ }).click();
      expect(await tab.locator(".notice[role=status]").textContent()).toContain("۲ تأیید");
      await tab.close();

      for (const name of ["زهرا", "علی"]) {
        await persona(name);
        await botSays("معرفی شما با تأیید");
      }
    });

    it("a provincial admin sees only their province; another province asked for by hand is refused and audited", async () => {
      await home();
      await persona("مدیر ستاد استان");
      const tab = await openConsole();
      await signIn(tab);
      expect(await tab.locator("main").textContent()).toContain("کرمانشاه");
      await tab.getByRole("link", { name: "داوطلبان" }).click();
      const table = await tab.locator("main").textContent();
      expect(table).toContain("کرمانشاهی");
      expect(table).not.toContain("گرگانی");
      // The province filter offers theirs only; a hand-made URL for Golestan is refused.
      expect(await tab.locator("select[name=province]").count()).toBe(0);
      const origin = new URL(tab.url()).origin;
      const refused = await tab.goto(`${origin}/console/volunteers?province=golestan`);
      expect(refused!.status()).toBe(403);
      expect(await tab.locator("main").textContent()).toContain("بیرون از محدوده");
      await tab.screenshot({ path: "test-results/console-outside-scope.png" });
      // Their broadcasts page counts only their province; the audit log is not theirs.
      expect((await tab.goto(`${origin}/console/audit`))!.status()).toBe(403);
      await tab.close();
      // The refusal is in the log, as a national admin reads it.
      await persona("هماهنگ‌کننده ستاد");
      const admin = await openConsole();
      await signIn(admin);
      await admin.goto(`${new URL(admin.url()).origin}/console/audit?outcome=refused`);
      expect(await admin.locator("main").textContent()).toContain("دیدن فهرست داوطلبان");
      await admin.close();
    });

    it("refuses, in the browser: an expired link, a form sent without its CSRF token, a role revoked mid-session", async () => {
      // A link made ten minutes ago, signed with this playground's own key.
      const cipher = new PiiCipher(resolvePiiKey(undefined, join(dataDir, "pii.key"), () => {}));
      const old = makeLinkToken(
        { sign: (p) => cipher.blindIndex("console-link", p) },
        { platform: "telegram", userId: "20003" },
        Date.now() - 10 * 60_000,
      );
      const expired = await context.newPage();
      expect((await expired.goto(`${base}/console/login?t=${old}`))!.status()).toBe(403);
      expect(await expired.locator("main").textContent()).toContain("کهنه شده");
      await expired.close();

      await home();
      await persona("مدیر ستاد استان");
      const tab = await openConsole();
      await signIn(tab);
      const origin = new URL(tab.url()).origin;
      // The browser's own session, a form without its token: refused, nothing changes.
      const forged = await context.request.post(`${origin}/console/logout`, { form: { x: "1" } });
      expect(forged.status()).toBe(403);
      expect(await forged.text()).toContain("از صفحه پیشخوان نیامده بود");
      expect((await tab.reload())!.status()).toBe(200);
      // The role revoked (from the command line, another process) while the page is open: the next request is refused.
      await withDataDir(dataDir, (store) =>
        store.access.revoke({ platform: "telegram", userId: "20003" }, "provincial_admin", "kermanshah"),
      );
      const after = await tab.goto(`${origin}/console/volunteers`);
      expect(after!.status()).toBe(403);
      expect(await tab.locator("main").textContent()).toContain("نقشی در همدل ندارد");
      await tab.close();
    });
  },
);
