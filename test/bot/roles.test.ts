import { parse } from "csv-parse/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { invitePayload } from "../../src/domain/invite.js";
import { centreLabel } from "../../src/format.js";
import { createInvite, INVITE_TTL_MS, redeemInvite } from "../../src/services/invites.js";
import { harnessWithSample } from "../support/sample.js";
import { createHarness, newUser, TOKENS, type Harness } from "../support/harness.js";

const ADMIN = { id: 4343, first_name: "Admin" };

/** Roles × actions: who may invite whom, redeeming links, listing and revoking — including every refusal. */
describe("coordinator roles: invitations, /roles, scope", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harnessWithSample(ADMIN);
  });
  afterEach(() => h.close());

  const linkIn = (texts: string[]) =>
    /https:\/\/t\.me\/\w+\?start=(inv_[a-z0-9]{12}_[A-Za-z0-9_-]{16})/.exec(texts.join("\n"))?.[1];
  const actor = (userId: number) => h.app.deps.actors.of({ platform: "telegram", userId: String(userId) });
  /** The buttons of the newest message in a telegram user's chat. */
  const buttons = (user: { id: number }) =>
    (
      h.sim.botMessages(TOKENS.telegram, user.id).at(-1)!.reply_markup as {
        inline_keyboard: { text: string; callback_data: string }[][];
      }
    ).inline_keyboard.flat();

  it("a national admin invites a centre coordinator; the link works once", async () => {
    await h.say("telegram", ADMIN, "/invite");
    await h.tap("telegram", ADMIN, "r:c:2"); // centre coordinator
    // Centres in several provinces: the province first, then its centres, each with its county, in Persian order.
    const kermanshah = buttons(ADMIN).find((b) => b.text === "کرمانشاه")!;
    await h.tap("telegram", ADMIN, kermanshah.callback_data);
    const t = h.app.deps.i18n.t("fa");
    const centres = (await h.app.deps.store.centres.listCentres({ province: "kermanshah" }))
      .map((c) => ({ code: c.code, label: centreLabel(t, c) }))
      .sort((a, b) => new Intl.Collator("fa").compare(a.label, b.label));
    expect(
      buttons(ADMIN)
        .map((b) => b.text)
        .filter((b) => !b.includes("بازگشت")),
    ).toEqual(centres.map((c) => c.label));
    const index = centres.findIndex((c) => c.code === "KSH-POS-01");
    const payload = linkIn(await h.tap("telegram", ADMIN, `r:c:${index}`));
    expect(payload).toBeDefined();
    const coordinator = newUser("هماهنگ‌کننده");
    expect((await h.say("telegram", coordinator, `/start ${payload}`)).join()).toContain(
      "هماهنگ‌کننده مرکز — مرکز مثبت زندگی الهیه",
    );
    expect((await actor(coordinator.id)).grants.map((g) => `${g.role}@${g.scope}`)).toEqual([
      "centre_coordinator@KSH-POS-01",
    ]);
    // The invitation is not a registration source, and the link is one-time.
    const person = await h.app.deps.store.people.findByIdentity({
      platform: "telegram",
      userId: String(coordinator.id),
    });
    expect(person!.source).toBeNull();
    expect((await h.say("telegram", newUser(), `/start ${payload}`)).join()).toContain("پیش‌تر استفاده شده");
    const log = (await h.app.deps.store.access.auditLog({ limit: 10 })).map((r) => `${r.action}:${r.outcome}`);
    expect(log).toEqual(expect.arrayContaining(["invite.create:ok", "invite.redeem:ok", "invite.redeem:refused"]));
  });

  it("an invitation carries a link for each platform (Bale's first) and twelve digits; typed on Bale in Persian, they give the role", async () => {
    await h.say("telegram", ADMIN, "/invite");
    await h.tap("telegram", ADMIN, "r:c:1"); // provincial admin
    const provinces = h.sim.botMessages(TOKENS.telegram, ADMIN.id).at(-1)!;
    const golestan = (
      provinces.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard
      .flat()
      .find((b) => b.text === "گلستان")!;
    const made = (await h.tap("telegram", ADMIN, golestan.callback_data)).join("\n");
    const bale = made.indexOf("بله: https://ble.ir/");
    const telegram = made.indexOf("تلگرام: https://t.me/");
    expect(bale).toBeGreaterThanOrEqual(0);
    expect(bale).toBeLessThan(telegram);
    const buttons = JSON.stringify(h.sim.botMessages(TOKENS.telegram, ADMIN.id).at(-1)!.reply_markup);
    expect(buttons).toContain("https://ble.ir/");
    expect(buttons).toContain("https://t.me/");
    const code = /([۰-۹]{4} [۰-۹]{4} [۰-۹]{4})/.exec(made)?.[1];
    expect(code).toBeDefined();

    // Wrong digits: refused (and counted); the right ones, typed without spaces, on the other platform: the role.
    const invited = newUser("دعوت‌شده");
    h.sim.openChat(TOKENS.bale, invited);
    expect((await h.say("bale", invited, "۱۱۱۱ ۲۲۲۲ ۳۳۳۳")).join()).toContain("معتبر نیست");
    expect((await h.say("bale", invited, code!.replaceAll(" ", ""))).join()).toContain("مدیر ستاد استان — گلستان");
    const grants = await h.app.deps.actors.of({ platform: "bale", userId: String(invited.id) });
    expect(grants.grants.map((g) => `${g.role}@${g.scope}`)).toEqual(["provincial_admin@golestan"]);
    // Used once: the same digits again name nothing open.
    expect((await h.say("bale", newUser(), code!)).join()).toContain("معتبر نیست");
    // Five tries a day per account, right or wrong.
    const guesser = newUser();
    for (let i = 0; i < 5; i++) await h.say("telegram", guesser, `${i}00000000000`);
    expect((await h.say("telegram", guesser, "123412341234")).join()).toContain("چند بار کد دعوت نادرست");
  });

  it("/roles names a coordinator by their messenger's name once they have written to the bot, never a citizen", async () => {
    const staff = await h.staff("centre_coordinator", "KSH-POS-01");
    const before = (await h.say("telegram", ADMIN, "/roles")).join();
    expect(before).toMatch(/کاربر [۰-۹]+ در تلگرام/);
    // `newUser()` is named «مریم» by the messenger; their /start keeps it (they gave no name of their own).
    await h.say("telegram", staff, "/start");
    expect((await h.say("telegram", ADMIN, "/roles")).join()).toContain("مریم (تلگرام)");
    // A citizen who declines the registration leaves no name behind.
    const citizen = newUser("شهروند");
    await h.say("telegram", citizen, "/start");
    await h.tap("telegram", citizen, "r:consent:no");
    const person = await h.app.deps.store.people.findByIdentity({ platform: "telegram", userId: String(citizen.id) });
    expect(person!.firstName).toBeNull();
  });

  it("refuses forged and expired links", async () => {
    const admin = await actor(ADMIN.id);
    const made = await createInvite(h.app.deps.invites, admin, "provincial_admin", "golestan");
    if (!made.ok) throw new Error("not made");
    const { payload } = made.value;
    const forged = payload.slice(0, -1) + (payload.endsWith("A") ? "B" : "A");
    const user = newUser();
    expect((await h.say("telegram", user, `/start ${forged}`)).join()).toContain("معتبر نیست");
    expect(
      (await h.say("telegram", user, `/start ${invitePayload("abcdefghijkl", () => "x".repeat(16))}`)).join(),
    ).toContain("معتبر نیست");
    const later = { ...h.app.deps.invites, now: () => new Date(Date.now() + INVITE_TTL_MS + 1000) };
    expect(await redeemInvite(later, payload, { platform: "telegram", userId: String(user.id) })).toEqual({
      ok: false,
      error: "expired",
    });
    expect((await actor(user.id)).grants).toEqual([]);
    // Two people racing for one link: one wins.
    const again = await createInvite(h.app.deps.invites, admin, "provincial_admin", "golestan");
    if (!again.ok) throw new Error("not made");
    const results = await Promise.all(
      [1, 2, 3].map((i) =>
        redeemInvite(h.app.deps.invites, again.value.payload, { platform: "bale", userId: String(9000 + i) }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("a provincial admin invites only inside the province, and sees and revokes only its roles", async () => {
    const { store } = h.app.deps;
    const provincial = await h.staff("provincial_admin", "kermanshah");
    const a = await actor(provincial.id);
    expect(await createInvite(h.app.deps.invites, a, "centre_coordinator", "GLS-POS-01")).toEqual({
      ok: false,
      error: "forbidden",
    });
    expect(await createInvite(h.app.deps.invites, a, "provincial_admin", "kermanshah")).toEqual({
      ok: false,
      error: "forbidden",
    });
    expect(await createInvite(h.app.deps.invites, a, "national_admin", "*")).toEqual({
      ok: false,
      error: "forbidden",
    });
    expect((await createInvite(h.app.deps.invites, a, "institution_operator", "INST-KSH-01")).ok).toBe(true);
    // The role menu offers only centre and institution roles; the centre list only Kermanshah's.
    await h.say("telegram", provincial, "/invite");
    const menu = h.last("telegram", provincial).reply_markup as { inline_keyboard: { text: string }[][] };
    expect(menu.inline_keyboard.flat().map((b) => b.text)).toEqual(["هماهنگ‌کننده مرکز", "کارشناس مؤسسه میانی"]);
    await h.tap("telegram", provincial, "r:c:0");
    const list = (
      h.last("telegram", provincial).reply_markup as { inline_keyboard: { text: string }[][] }
    ).inline_keyboard
      .flat()
      .map((b) => b.text);
    const kermanshah = (await store.centres.listCentres({ province: "kermanshah" }))
      .map((c) => centreLabel(h.app.deps.i18n.t("fa"), c))
      .sort(new Intl.Collator("fa").compare);
    expect(list.filter((t) => !t.includes("بازگشت"))).toEqual(kermanshah);
    await h.say("telegram", provincial, "/cancel");

    await store.access.grant({
      platform: "bale",
      userId: "71",
      role: "centre_coordinator",
      scope: "KSH-POS-02",
      grantedBy: "test",
    });
    await store.access.grant({
      platform: "bale",
      userId: "72",
      role: "centre_coordinator",
      scope: "GLS-POS-01",
      grantedBy: "test",
    });
    const roles = (await h.say("telegram", provincial, "/roles")).join();
    // Accounts by name, or (no name yet) as «کاربر ۷۱ در بله»: never «bale:71».
    expect(roles).toContain("کاربر ۷۱ در بله");
    expect(roles).not.toContain("کاربر ۷۲ در بله");
    expect(roles).not.toContain("bale:");
    const lines = h.texts("telegram", provincial).at(-1)!.split("\n").slice(2);
    const kb = h.last("telegram", provincial).reply_markup as { inline_keyboard: { callback_data: string }[][] };
    const buttons = kb.inline_keyboard.flat().map((b) => b.callback_data);
    // Kermanshah's: bale:71 and the sample data's two staff accounts; not Golestan's, not the admin's own role.
    expect(buttons).toHaveLength(3);
    expect(lines).toHaveLength(3);
    // The national admin sees the Golestan grant too; its button, forged into the provincial admin's chat, is refused.
    await h.say("telegram", ADMIN, "/roles");
    const adminLines = h.texts("telegram", ADMIN).at(-1)!.split("\n").slice(2);
    const adminButtons = (
      h.last("telegram", ADMIN).reply_markup as { inline_keyboard: { callback_data: string }[][] }
    ).inline_keyboard
      .flat()
      .map((b) => b.callback_data);
    const golestan = adminButtons[adminLines.findIndex((l) => l.includes("کاربر ۷۲ در بله"))]!;
    expect(buttons).not.toContain(golestan);
    const pm = h.last("telegram", provincial).message_id;
    expect(await h.answerTo("telegram", provincial, pm, golestan)).toMatchObject({ show_alert: true });
    expect(await store.access.list({ scope: "GLS-POS-01" })).toHaveLength(1);
    // Its own province's grant: revoked, and audited.
    const mine = buttons[lines.findIndex((l) => l.includes("کاربر ۷۱ در بله"))]!;
    expect(await h.answerTo("telegram", provincial, pm, mine)).toMatchObject({ text: "نقش لغو شد." });
    expect(await store.access.list({ scope: "KSH-POS-02" })).toEqual([]);
    const log = (await store.access.auditLog({ limit: 10 })).map((r) => `${r.action}:${r.outcome}:${r.actor}`);
    expect(log).toEqual(
      expect.arrayContaining([
        `role.revoke:ok:telegram:${provincial.id}`,
        `role.revoke:refused:telegram:${provincial.id}`,
        `invite.create:refused:telegram:${provincial.id}`,
      ]),
    );
  });

  it("citizens are refused every admin command", async () => {
    const citizen = newUser();
    expect((await h.say("telegram", citizen, "/invite")).join()).toContain("مدیران ستاد");
    expect((await h.say("telegram", citizen, "/roles")).join()).toContain("مدیران ستاد");
    const answer = await h.answerTo("telegram", citizen, h.last("telegram", citizen).message_id, "rv:AAAAAAAAAAAA");
    expect(answer).toMatchObject({ show_alert: true });
    expect((await h.app.deps.store.access.auditLog({ limit: 5 })).map((r) => `${r.action}:${r.outcome}`)).toContain(
      "role.revoke:refused",
    );
  });
});

describe("/audit: the action log for national admins", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ env: { ADMIN_IDS: `telegram:${ADMIN.id}` } });
  });
  afterEach(() => h.close());

  it("shows the latest actions and sends the whole log as CSV with a BOM, Persian intact", async () => {
    const { store } = h.app.deps;
    await store.access.audit({
      actor: "telegram:1",
      action: "need.post",
      scope: "KSH-POS-01",
      target: "n1",
      outcome: "ok",
      details: { note: "مرکز الهیه، «مثبت زندگی»" },
    });
    await store.access.audit({
      actor: "bale:2",
      action: "offer.approve",
      scope: "INST-KSH-01",
      target: "o1",
      outcome: "refused",
      details: null,
    });
    h.sim.openChat(TOKENS.telegram, ADMIN);
    const replies = await h.say("telegram", ADMIN, "/audit");
    // In Persian: the action's name, not its code; who, by name and platform; Jalali dates in Tehran time.
    expect(replies.join("\n")).toContain("تأیید معرفی");
    expect(replies.join("\n")).not.toContain("offer.approve");
    expect(replies.join("\n")).toContain("کاربر ۲ در بله");
    const doc = h.last("telegram", ADMIN);
    expect(doc.document?.file_name).toMatch(/^hamdel-audit-14\d\d-\d\d-\d\d\.csv$/);
    const bytes = doc.file!.bytes;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes.toString("utf8"), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r["اقدام"])).toEqual(["تأیید معرفی", "ثبت نیاز"]);
    expect(rows.map((r) => r["نتیجه"])).toEqual(["رد شد", "انجام شد"]);
    expect(rows[0]!["زمان"]).toMatch(/^۱۴[۰-۹]{2}\/[۰-۹]{2}\/[۰-۹]{2} [۰-۹]{2}:[۰-۹]{2}$/);
    expect(JSON.parse(rows[1]!["جزئیات"]!)).toEqual({ note: "مرکز الهیه، «مثبت زندگی»" });
  });

  it("refuses everyone else, and records the refusal", async () => {
    const provincial = await h.staff("provincial_admin", "golestan");
    expect((await h.say("telegram", provincial, "/audit")).join()).toContain("فقط برای مدیران ستاد ملی");
    expect((await h.say("telegram", newUser(), "/audit")).join()).toContain("فقط برای مدیران ستاد ملی");
    const log = await h.app.deps.store.access.auditLog({ limit: 5 });
    expect(log.filter((r) => r.action === "audit.read" && r.outcome === "refused")).toHaveLength(2);
  });
});
