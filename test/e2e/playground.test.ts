import { existsSync, mkdirSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../support/config.js";
import { freePort, personInDataDir, startHamdel, stopHamdel, waitFor, type Running } from "../support/process.js";
import { SIMULATED_STAFF } from "../../src/playground/data/simulated-users.js";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`Playground browser test skipped: ${CHROMIUM} is missing (.ci/run installs it).`);

/**
 * `npm start` with no token, driven from a real (headless) Chromium the way a
 * person would: typing and clicking through a whole registration.
 */
// A browser beside another test file on two cores: a step may take several seconds.
describe.skipIf(!hasChromium)(
  `playground in a browser${hasChromium ? "" : " (skipped: no chromium)"}`,
  { timeout: 60_000 },
  () => {
    let running: Running;
    let browser: Browser;
    let page: Page;
    let base: string;
    const dataDir = tempDir();

    beforeAll(async () => {
      const port = await freePort();
      running = startHamdel({ DATA_DIR: dataDir, PORT: String(port), ADMIN_IDS: "telegram:777" });
      await waitFor("playground", () => (running.output().includes("playground ready") ? true : undefined));
      base = `http://127.0.0.1:${port}`;
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
      });
      page = await browser.newPage({ viewport: { width: 480, height: 900 }, locale: "fa-IR" });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await stopHamdel(running, "SIGTERM");
    });

    const lastBot = () => page.locator(".msg.bot").last();
    const say = async (text: string) => {
      await page.fill("#text", text);
      await page.click("#send");
    };
    /** Waits until the newest bot message contains `text` (playwright-core has no web-first assertions). */
    const expectBot = (text: string) =>
      page.waitForFunction(
        (t) => {
          // Runs in the page: the newest bot message.
          const doc = (
            globalThis as unknown as {
              document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> };
            }
          ).document;
          const all = doc.querySelectorAll(".msg.bot");
          return all[all.length - 1]?.textContent?.includes(t) ?? false;
        },
        text,
        { timeout: 10_000 },
      );
    const click = (name: string) => lastBot().getByRole("button", { name, exact: true }).click();

    it("opens on Bale; offers both personas, the sample data's staff and the coordinator from ADMIN_IDS", async () => {
      await page.goto(base);
      expect(await page.getAttribute("html", "dir")).toBe("rtl");
      // Bale first, as invitations list it: the messenger most volunteers will use.
      expect(await page.getByRole("tab", { name: "بله" }).getAttribute("aria-selected")).toBe("true");
      // The staff personas are on Bale too (the ADMIN_IDS coordinator is on its own platform only).
      expect(await page.locator("#user option").allTextContents()).toEqual([
        "زهرا",
        "علی",
        ...SIMULATED_STAFF.map((s) => `${s.name} (هماهنگ‌کننده)`),
      ]);
      // A chat never started says what to do, and «شروع» starts it.
      await page.selectOption("#user", { label: "علی" });
      await page.locator(".start-hint", { hasText: "هنوز شروع نشده" }).waitFor();
      await page.locator(".start-hint").getByRole("button", { name: "شروع" }).click();
      await expectBot("اگر موافقید");
      expect(await page.locator(".start-hint").count()).toBe(0);
      // The Bale persona renders plain text as Markdown, as Bale is reported to.
      await say("*پررنگ* و _کج_");
      await page.locator(".msg.me b", { hasText: "پررنگ" }).waitFor();
      await page.locator(".msg.me i", { hasText: "کج" }).waitFor();
      await page.getByRole("tab", { name: "تلگرام" }).click();
      expect(await page.locator("#user option").allTextContents()).toEqual([
        "زهرا",
        "علی",
        ...SIMULATED_STAFF.map((s) => `${s.name} (هماهنگ‌کننده)`),
        "هماهنگ‌کننده ستاد ۷۷۷ (هماهنگ‌کننده)",
      ]);
    });

    it("a Bale coordinator is greeted as one; the page's clock moves the bot's day ahead, never back", async () => {
      await page.goto(base);
      await page.getByRole("tab", { name: "بله" }).click();
      await page.selectOption("#user", String(SIMULATED_STAFF[0]!.id));
      await say("/start");
      await expectBot("نقش‌های شما در همدل");
      const before = await page.locator("#now").getAttribute("datetime");
      await page.getByRole("button", { name: "+۱ روز" }).click();
      await page.locator(`#now:not([datetime="${before}"])`).waitFor();
      const after = await page.locator("#now").getAttribute("datetime");
      expect(Date.parse(after!) - Date.parse(before!)).toBeGreaterThanOrEqual(24 * 3_600_000);
      const post = (body: unknown) =>
        fetch(`${base}/playground/api/clock`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      for (const bad of [{ hours: -1 }, { hours: 0 }, { hours: 10_000 }, { hours: "x" }])
        expect((await post(bad)).status, JSON.stringify(bad)).toBe(400);
      const clock = (await (await fetch(`${base}/playground/api/clock`)).json()) as { shiftedHours: number };
      expect(clock.shiftedHours).toBe(24);
    });

    it("completes a registration on Bale by typing and clicking, and the profile is stored", async () => {
      await page.goto(base);
      await page.selectOption("#user", { label: "زهرا" });
      await say("/start KSH-POS-01");
      await expectBot("اگر موافقید");
      await click("✅ موافقم");
      await expectBot("نام و نام خانوادگی");
      await say("زهرا کریمی");
      await page.locator("#reply-keyboard").getByRole("button", { name: "📱 ارسال شماره من" }).click();
      await expectBot("کد ملی");
      // The shared contact's bubble: a Persian label, the number left to right in its own box (not «…98+»).
      const contact = page
        .locator(".msg.me")
        .filter({ has: page.locator("bdi.contact") })
        .last();
      expect(await contact.locator("bdi.contact").getAttribute("dir")).toBe("ltr");
      expect(await contact.textContent()).toMatch(/شمارهٔ همراه: \+?\d+$/);
      await page.locator("#reply-keyboard").waitFor({ state: "hidden" });
      await say("۰۰۱۲۳۴۵۶۷۹");
      await expectBot("سال تولد");
      await click("۱۳۶۰ تا ۱۳۶۹");
      await click("۱۳۶۸");
      await expectBot("جنسیت");
      await click("زن");
      await click("گلستان");
      await expectBot("شهرستان");
      await click("گرگان");
      await expectBot("محله");
      await page.locator("#reply-keyboard").getByRole("button", { name: "📍 ارسال موقعیت" }).click();
      await expectBot("موقعیت شما ثبت شد");
      expect(await page.locator(".msg.me bdi.location").last().textContent()).toMatch(/^\d+\.\d{4}, \d+\.\d{4}$/);
      await say("شهرک بهاران");
      await expectBot("چه کارهایی");
      await click("مراقبت از نوزاد و شیرخوار");
      await lastBot().getByRole("button", { name: "✅ مراقبت از نوزاد و شیرخوار" }).waitFor();
      await click("✔️ تمام");
      await expectBot("نقش");
      // «مادریار» is ticked already: infant care suggests it.
      await lastBot().getByRole("button", { name: "✅ مادریار — شیرخوارگاه" }).waitFor();
      await click("✔️ تمام");
      await expectBot("زمان");
      await click("عصرها");
      await lastBot().getByRole("button", { name: "✅ عصرها" }).waitFor();
      await click("۴ ساعت");
      await expectBot("ثبت‌نام شما کامل شد");
      // A command in the bot's text is tappable, as the platform found it (its bot_command entity).
      await lastBot().locator("a.command", { hasText: "/profile" }).click();
      await expectBot("پرونده داوطلبی شما");
      mkdirSync("test-results", { recursive: true });
      await page.screenshot({ path: "test-results/playground.png", fullPage: false });

      await stopHamdel(running, "SIGTERM");
      const person = await personInDataDir(dataDir, { platform: "bale", userId: "10001" });
      expect(person).toMatchObject({
        firstName: "زهرا",
        lastName: "کریمی",
        nationalId: "0012345679",
        birthYear: 1368,
        province: "golestan",
        county: "gorgan",
        neighbourhood: "شهرک بهاران",
        // The location button puts her in the province she chose (Golestan: Gorgan).
        location: { lat: 36.84, lon: 54.43 },
        skills: ["infant_care"],
        roles: ["mother_helper"],
        source: "KSH-POS-01",
      });
      expect(person!.volunteerCode).toMatch(/^HM-/);
    }, 90_000);
  },
);
