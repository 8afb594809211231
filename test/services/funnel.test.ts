import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { funnelCommand } from "../../src/cli/funnel.js";
import { registrationFunnel } from "../../src/services/funnel.js";
import { createHarness, newUser, type Harness } from "../support/harness.js";
import { register, walk } from "../support/registration.js";

const ADMIN = { id: 6161, first_name: "Admin" };

/** The registration funnel from the store, after real conversations that stopped at different steps. */
describe("the registration funnel", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ env: { ADMIN_IDS: `telegram:${ADMIN.id}` } });
    await register(h, "telegram", newUser()); // registered (Golestan)
    await walk(h, "telegram", newUser(), "phone"); // stopped at the phone
    // Stopped at the skills (Golestan); its own phone and national ID.
    await walk(h, "bale", newUser(), "skills", { phone: "09351112233", national_id: "4512345671" });
    await h.say("telegram", newUser(), "/start"); // read the consent, went no further
  });
  afterEach(() => h.close());

  const byStep = (rows: Awaited<ReturnType<typeof registrationFunnel>>) =>
    Object.fromEntries(rows.map((r) => [r.step, [r.reached, r.left]]));

  it("counts, per step, who reached it and who stopped there", async () => {
    const rows = byStep(await registrationFunnel(h.app.deps.store, null));
    expect(rows).toMatchObject({
      consent: [4, 1],
      name: [3, 0],
      phone: [3, 1],
      national_id: [2, 0],
      province: [2, 0],
      skills: [2, 1],
      roles: [1, 0],
      availability: [1, 0],
      registered: [1, 0],
    });
    // Within a province: only those past the province step, in it.
    expect(byStep(await registrationFunnel(h.app.deps.store, null, ["golestan"]))).toMatchObject({
      consent: [2, 0],
      skills: [2, 1],
      registered: [1, 0],
    });
    expect(byStep(await registrationFunnel(h.app.deps.store, null, ["tehran"]))).toMatchObject({
      consent: [0, 0],
      registered: [0, 0],
    });
    // Since tomorrow: nobody.
    expect(byStep(await registrationFunnel(h.app.deps.store, new Date(Date.now() + 86_400_000)))).toMatchObject({
      consent: [0, 0],
    });
  });

  it("a coordinator's /start greets them as one (roles and scopes), and counts in the funnel only once they choose to register", async () => {
    const coordinator = await h.staff("centre_coordinator", "KSH-POS-01");
    const greeting = (await h.say("telegram", coordinator, "/start")).join();
    expect(greeting).toContain("نقش‌های شما در همدل");
    expect(greeting).toContain("هماهنگ‌کننده مرکز");
    expect(greeting).not.toContain("پیش از ثبت‌نام");
    expect((await h.say("telegram", ADMIN, "/start")).join()).toContain("مدیر ستاد ملی");
    // On Bale too: a coordinator there is greeted the same way.
    const onBale = await h.staff("institution_operator", "INST-KSH-01", "bale");
    const baleGreeting = (await h.say("bale", onBale, "/start")).join();
    expect(baleGreeting).toContain("نقش‌های شما در همدل");
    expect(baleGreeting).not.toContain("پیش از ثبت‌نام");
    const counts = async () => byStep(await registrationFunnel(h.app.deps.store, null, null, h.app.deps.actors.admins));
    expect((await counts()).consent).toEqual([4, 1]);
    // Their choice: the registration starts, and they count from then on.
    expect((await h.tap("telegram", coordinator, "st:reg")).join()).toContain("پیش از ثبت‌نام");
    await h.say("telegram", coordinator, "مریم احمدی");
    expect((await counts()).consent).toEqual([5, 1]);
    expect((await counts()).phone).toEqual([4, 2]);
  });

  it("the CLI prints it, and refuses a bad date", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { log: (m: string) => out.push(m), error: (m: string) => err.push(m) };
    expect(await funnelCommand([], io, h.config)).toBe(0);
    expect(out).toContain("consent\t4\t1");
    expect(out).toContain("phone\t3\t1");
    expect(out).toContain("registered\t1\t0");
    expect(await funnelCommand(["--since", "1499-99-99"], io, h.config)).toBe(2);
    expect(await funnelCommand(["--since", "1400-01-01"], io, h.config)).toBe(0);
    expect(out.filter((l) => l.startsWith("consent\t")).at(-1)).toBe("consent\t4\t1");
  });

  it("a national admin's /report shows the same funnel, in Persian", async () => {
    const replies = await h.say("telegram", ADMIN, "/report");
    const funnel = replies.find((r) => r.includes("گام به گام"))!;
    expect(funnel).toContain("• رضایت و نام: رسیده ۴ نفر، مانده همان‌جا ۱ نفر");
    expect(funnel).toContain("• مهارت‌ها: رسیده ۲ نفر، مانده همان‌جا ۱ نفر");
    expect(funnel).toContain("✅ ثبت‌نام کامل: ۱ نفر");
  });
});
