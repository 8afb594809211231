/**
 * Screenshots of the playground for the docs: a registration, /report,
 * /audit and a broadcast held by quiet hours, in Chromium (Debian's, through
 * playwright-core). `npx tsx scripts/screenshots.ts [outDir]` (docs/screenshots by default).
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { localHour } from "../src/domain/quiet-hours.js";
import { freePort, startHamdel, stopHamdel, waitFor } from "../test/support/process.js";

const out = process.argv[2] ?? "docs/screenshots";
mkdirSync(out, { recursive: true });
const port = await freePort();
// Quiet hours that hold now (one hour from this one), so the broadcast shows how it waits.
const hour = localHour(new Date(), "Asia/Tehran");
const running = startHamdel({
  DATA_DIR: mkdtempSync(join(tmpdir(), "hamdel-shots-")),
  PORT: String(port),
  ADMIN_IDS: "telegram:90001",
  QUIET_HOURS: `${hour}-${(hour + 1) % 24}`,
});
await waitFor("playground", () => (running.output().includes("playground ready") ? true : undefined), 30_000);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage({ viewport: { width: 480, height: 960 }, locale: "fa-IR" });
  await page.goto(`http://127.0.0.1:${port}/`);
  const lastBot = () => page.locator(".msg.bot").last();
  const say = async (text: string) => {
    await page.fill("#text", text);
    await page.click("#send");
  };
  const expectBot = (text: string) => lastBot().filter({ hasText: text }).waitFor({ timeout: 15_000 });
  const click = (name: string) => lastBot().getByRole("button", { name, exact: true }).click();

  // A citizen registers: the typical path.
  await say("/start");
  await expectBot("اگر موافقید");
  await say("زهرا کریمی");
  await expectBot("شماره همراه");
  await page.locator("#reply-keyboard").getByRole("button", { name: "📱 ارسال شماره من" }).click();
  await expectBot("کد ملی");
  await say("۴۵۱۲۳۴۵۶۷۱");
  await expectBot("سال تولد");
  await say("۱۳۶۸");
  await expectBot("جنسیت");
  await click("زن");
  await expectBot("استان");
  await click("گلستان");
  await expectBot("شهرستان");
  await click("گرگان");
  await expectBot("محله");
  await say("شهرک بهاران");
  await expectBot("چه کارهایی");
  await click("مراقبت از نوزاد و شیرخوار");
  await lastBot().getByRole("button", { name: "✅ مراقبت از نوزاد و شیرخوار" }).waitFor();
  await click("✔️ تمام");
  await expectBot("نقش");
  await click("✔️ تمام");
  await expectBot("زمان");
  await click("عصرها");
  await lastBot().getByRole("button", { name: "✅ عصرها" }).waitFor();
  await click("۴ ساعت");
  await expectBot("ثبت‌نام شما کامل شد");
  await page.screenshot({ path: `${out}/registration.png` });

  // The national admin: /report, /audit, and a broadcast that quiet hours hold.
  await page.selectOption("#user", { label: "هماهنگ‌کننده ستاد ۹۰۰۰۱ (هماهنگ‌کننده)" });
  await say("/report");
  await page.locator(".msg.bot", { hasText: "گام به گام" }).waitFor({ timeout: 15_000 });
  await page.screenshot({ path: `${out}/report.png` });
  await say("/audit");
  await page.locator(".msg.bot", { hasText: "آخرین اقدامات" }).waitFor({ timeout: 15_000 });
  await page.screenshot({ path: `${out}/audit.png` });
  await say("/broadcast");
  await expectBot("متن پیام پویش");
  await say("سلام! فردا صبح در مرکز مثبت زندگی محله منتظرتان هستیم.");
  for (let i = 0; i < 5; i++) {
    const next = lastBot().getByRole("button", { name: "ادامه ◀", exact: true });
    if ((await next.count()) === 0) break;
    await next.click();
    await page.waitForTimeout(400);
  }
  await click("📣 همین حالا بفرست");
  await page.locator(".msg.bot", { hasText: "ساعت‌های آرامش" }).waitFor({ timeout: 20_000 });
  await page.screenshot({ path: `${out}/broadcast-quiet-hours.png` });
  console.log(`screenshots in ${out}: registration, report, audit, broadcast-quiet-hours`);
} finally {
  await browser.close();
  await stopHamdel(running, "SIGTERM");
}
