import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Platform } from "../../src/platforms/capabilities.js";
import { createHarness, newUser, TOKENS, type Harness } from "../support/harness.js";
import { expectPersian, textsAndLabels } from "../support/persian.js";

const ADMIN = { id: 4242, first_name: "Admin" };

describe("coordinator broadcast in the bot", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ env: { ADMIN_IDS: `telegram:${ADMIN.id}`, TELEGRAM_BROADCAST_RATE: "1000" } });
  });
  afterEach(() => h.close());

  async function volunteer(province: string, platform: Platform = "telegram", roles: string[] = []) {
    const user = newUser();
    h.sim.openChat(TOKENS[platform], user);
    const { person } = await h.app.deps.store.people.ensure({
      platform,
      userId: String(user.id),
      chatId: String(user.id),
    });
    await h.app.deps.store.people.update(person.id, { registeredAt: new Date(), province, roles });
    return user;
  }

  it("composes, segments, previews, sends, and reports progress with pause/resume/cancel", async () => {
    const a = await volunteer("golestan");
    const b = await volunteer("golestan", "telegram", ["mother_helper"]);
    await volunteer("kermanshah");
    await h.say("telegram", ADMIN, "/broadcast");
    expect(h.last("telegram", ADMIN).text).toContain("متن پیام پویش");
    await h.say("telegram", ADMIN, "«سلام محله» این ماه در مرکز مثبت زندگی گرگان برگزار می‌شود.");
    await h.tap("telegram", ADMIN, "r:bn");
    await h.tap("telegram", ADMIN, "r:bt:golestan");
    await h.tap("telegram", ADMIN, "r:bn"); // provinces
    await h.tap("telegram", ADMIN, "r:bn"); // counties of Golestan: all
    await h.tap("telegram", ADMIN, "r:bn"); // skills: all
    await h.tap("telegram", ADMIN, "r:bn"); // roles: all
    const preview = await h.tap("telegram", ADMIN, "r:bn"); // more filters: none
    expect(preview.join("\n")).toContain("۲ گیرنده");
    expect(preview.join("\n")).toContain("«سلام محله»");
    // The line announcing the preview comes once, before it; the question after it asks to send.
    expect(preview.filter((m) => m.includes("پیش‌نمایش پیام در پیام بعدی"))).toHaveLength(1);
    expect(preview.at(-1)).toContain("بفرستیم؟");
    await h.tap("telegram", ADMIN, "r:bu");
    const queued = await h.tap("telegram", ADMIN, "r:bs");
    expect(queued.join()).toContain("۲ نفر در صف");
    const [broadcast] =
      (await h.app.deps.store.people.segment({ provinces: ["golestan"] })).length === 2 ? [true] : [false];
    expect(broadcast).toBe(true);

    while ((await h.app.engine.runOnce()) > 0);
    for (const u of [a, b])
      expect(h.sim.botMessages(TOKENS.telegram, u.id).map((m) => m.text)).toEqual([
        expect.stringContaining("سلام محله"),
      ]);
    await h.app.deps.broadcasts.tick();
    const progress = h.sim.botMessages(TOKENS.telegram, ADMIN.id).at(-1)!;
    expect(progress.text).toMatch(/فرستاده: ۲[\s\S]*پایان ارسال/);
    // The composer, every filter screen, the preview and the progress read as Persian, buttons too.
    expectPersian(textsAndLabels(h.sim.botMessages(TOKENS.telegram, ADMIN.id)));
  });

  it("pauses and cancels a running broadcast from its progress message", async () => {
    for (let i = 0; i < 3; i++) await volunteer("khuzestan");
    await h.say("telegram", ADMIN, "/broadcast");
    await h.say("telegram", ADMIN, "test");
    for (let i = 0; i < 5; i++) await h.tap("telegram", ADMIN, "r:bn");
    // Urgent, so that quiet hours cannot be why nothing is sent while paused.
    await h.tap("telegram", ADMIN, "r:bu");
    await h.tap("telegram", ADMIN, "r:bs");
    await h.app.deps.broadcasts.tick();
    const id = (
      h.sim.botMessages(TOKENS.telegram, ADMIN.id).at(-1)!.reply_markup as {
        inline_keyboard: { callback_data: string }[][];
      }
    ).inline_keyboard[0]![0]!.callback_data.split(":")[2]!;
    await h.tap("telegram", ADMIN, `bc:pause:${id}`);
    expect((await h.app.deps.store.deliveries.getBroadcast(id))!.status).toBe("paused");
    expect(await h.app.engine.runOnce()).toBe(0);
    await h.tap("telegram", ADMIN, `bc:cancel:${id}`);
    expect(await h.app.deps.store.deliveries.progress(id)).toMatchObject({ cancelled: 3, sent: 0 });
    expect(h.sim.botMessages(TOKENS.telegram, ADMIN.id).at(-1)!.text).toContain("لغو شده");
  });

  it("schedules at a Jalali time, refusing a past or unreadable one", async () => {
    await volunteer("golestan");
    await h.say("telegram", ADMIN, "/broadcast");
    await h.say("telegram", ADMIN, "later");
    for (let i = 0; i < 5; i++) await h.tap("telegram", ADMIN, "r:bn");
    await h.tap("telegram", ADMIN, "r:bw");
    expect(await h.say("telegram", ADMIN, "فردا")).toEqual([expect.stringContaining("نفهمیدم")]);
    expect(await h.say("telegram", ADMIN, "1400-01-01 10:00")).toEqual([expect.stringContaining("گذشته")]);
    expect((await h.say("telegram", ADMIN, "1499-12-01 20:00")).join()).toContain("زمان‌بندی شد");
    expect(await h.app.engine.runOnce()).toBe(0);
  });

  it("narrows by county, skill, platform, language, vow takers, source and date", async () => {
    const { ramadanCampaign } = await import("../../src/services/campaigns.js");
    await h.app.deps.store.campaigns.create(ramadanCampaign(h.app.deps.i18n, { hijriYear: 1448 }));
    const target = await volunteer("golestan");
    const person = (await h.app.deps.store.people.findByIdentity({ platform: "telegram", userId: String(target.id) }))!;
    await h.app.deps.store.people.update(person.id, { county: "gorgan", skills: ["cooking"], source: "centre-12" });
    await h.app.deps.store.campaigns.pledge("ramadan-1448", person.id, 10);
    const other = await volunteer("golestan");
    const otherPerson = (await h.app.deps.store.people.findByIdentity({
      platform: "telegram",
      userId: String(other.id),
    }))!;
    await h.app.deps.store.people.update(otherPerson.id, { county: "gorgan", skills: ["cooking"] });
    await h.say("telegram", ADMIN, "/broadcast");
    await h.say("telegram", ADMIN, "narrow");
    await h.tap("telegram", ADMIN, "r:bn");
    await h.tap("telegram", ADMIN, "r:bt:golestan");
    await h.tap("telegram", ADMIN, "r:bn");
    await h.tap("telegram", ADMIN, "r:bt:golestan.gorgan");
    await h.tap("telegram", ADMIN, "r:bn");
    await h.tap("telegram", ADMIN, "r:bt:cooking");
    await h.tap("telegram", ADMIN, "r:bn");
    await h.tap("telegram", ADMIN, "r:bn");
    await h.tap("telegram", ADMIN, "r:mp");
    await h.tap("telegram", ADMIN, "r:ml");
    // The vow takers' button names the campaign by its title, not its slug.
    const more = JSON.stringify(h.last("telegram", ADMIN).reply_markup);
    const title = (await h.app.deps.store.campaigns.get("ramadan-1448"))!.title;
    expect(more).toContain(title);
    expect(more).not.toContain("نذرکنندگان ramadan-1448");
    await h.tap("telegram", ADMIN, "r:mv");
    await h.tap("telegram", ADMIN, "r:ms");
    expect(await h.say("telegram", ADMIN, "centre 12")).toEqual([expect.stringContaining("حروف لاتین")]);
    await h.say("telegram", ADMIN, "centre-12");
    await h.tap("telegram", ADMIN, "r:md");
    await h.say("telegram", ADMIN, "1400-01-01");
    const preview = await h.tap("telegram", ADMIN, "r:bn");
    expect(preview.join()).toContain("۱ گیرنده");
  });

  it("reaches veterans: marked ones and those registered three years or more", async () => {
    const marked = await volunteer("golestan");
    const old = await volunteer("golestan");
    await volunteer("golestan");
    const people = h.app.deps.store.people;
    await people.update((await people.findByIdentity({ platform: "telegram", userId: String(marked.id) }))!.id, {
      veteranMarkedAt: new Date(),
    });
    await people.update((await people.findByIdentity({ platform: "telegram", userId: String(old.id) }))!.id, {
      registeredAt: new Date("2020-03-20T00:00:00Z"),
    });
    await h.say("telegram", ADMIN, "/broadcast");
    await h.say("telegram", ADMIN, "شب افطاری پیشکسوتان");
    for (let i = 0; i < 4; i++) await h.tap("telegram", ADMIN, "r:bn");
    await h.tap("telegram", ADMIN, "r:mx");
    expect((await h.tap("telegram", ADMIN, "r:bn")).join()).toContain("۲ گیرنده");
  });

  it("carries a photo, a link button and an «I'm in» button, and counts the answers", async () => {
    const v = await volunteer("golestan");
    await h.say("telegram", ADMIN, "/broadcast");
    await h.say("telegram", ADMIN, "افطاری محله، پنجشنبه");
    await h.tap("telegram", ADMIN, "r:bp");
    h.sim.sendPhoto(TOKENS.telegram, ADMIN, "iftar-photo");
    await h.deliver("telegram");
    await h.tap("telegram", ADMIN, "r:bl");
    expect(await h.say("telegram", ADMIN, "برنامه\nhttp://insecure.example")).toEqual([
      expect.stringContaining("https://"),
    ]);
    await h.say("telegram", ADMIN, "برنامه افطاری\nhttps://example.org/iftar");
    await h.tap("telegram", ADMIN, "r:bi");
    for (let i = 0; i < 5; i++) await h.tap("telegram", ADMIN, "r:bn");
    const preview = h.sim.calls.filter((c) => c.method === "sendPhoto").at(-1)!;
    expect(preview.params).toMatchObject({ photo: "iftar-photo", caption: "افطاری محله، پنجشنبه" });
    await h.tap("telegram", ADMIN, "r:bu");
    await h.tap("telegram", ADMIN, "r:bs");
    while ((await h.app.engine.runOnce()) > 0);
    const sent = h.sim.calls.filter((c) => c.method === "sendPhoto" && Number(c.params.chat_id) === v.id);
    expect(sent).toHaveLength(1);
    const keyboard = (
      sent[0]!.params.reply_markup as { inline_keyboard: { text: string; url?: string; callback_data?: string }[][] }
    ).inline_keyboard;
    expect(keyboard[0]![0]).toMatchObject({ url: "https://example.org/iftar" });
    const imIn = keyboard[1]![0]!.callback_data!;
    const message = h.sim.botMessages(TOKENS.telegram, v.id).at(-1)!;
    const first = h.sim.press(TOKENS.telegram, v, message.message_id, imIn);
    await h.deliver("telegram");
    const again = h.sim.press(TOKENS.telegram, v, message.message_id, imIn);
    await h.deliver("telegram");
    expect(h.sim.bot(TOKENS.telegram).callbackAnswers.get(first)).toMatchObject({
      text: expect.stringContaining("ممنون"),
    });
    expect(h.sim.bot(TOKENS.telegram).callbackAnswers.get(again)).toMatchObject({
      text: expect.stringContaining("پیش‌تر"),
    });
    await h.app.deps.broadcasts.tick();
    expect(h.sim.botMessages(TOKENS.telegram, ADMIN.id).at(-1)!.text).toContain("«من هستم»: ۱");
  });

  it("refuses non-coordinators, on the command and on forged control buttons", async () => {
    const citizen = newUser();
    expect(await h.say("telegram", citizen, "/broadcast")).toEqual([
      expect.stringContaining("فقط برای هماهنگ‌کنندگان"),
    ]);
    // The same user id on Bale is not the Telegram admin.
    expect(await h.say("bale", ADMIN, "/broadcast")).toEqual([expect.stringContaining("فقط برای هماهنگ‌کنندگان")]);
    await h.say("telegram", citizen, "/help");
    expect(
      await h.answerTo(
        "telegram",
        citizen,
        h.last("telegram", citizen).message_id,
        "bc:cancel:00000000-0000-0000-0000-000000000000",
      ),
    ).toMatchObject({
      show_alert: true,
      text: expect.stringContaining("هماهنگ‌کنندگان"),
    });
  });

  it("a provincial admin broadcasts only inside the province, and controls only their own broadcasts", async () => {
    const inside = await volunteer("kermanshah");
    const outside = await volunteer("golestan");
    const provincial = await h.staff("provincial_admin", "kermanshah");
    await h.say("telegram", provincial, "/broadcast");
    await h.say("telegram", provincial, "پیام ستاد استان");
    await h.tap("telegram", provincial, "r:bn"); // no extras
    const provinces = (
      h.last("telegram", provincial).reply_markup as { inline_keyboard: { callback_data: string }[][] }
    ).inline_keyboard
      .flat()
      .map((b) => b.callback_data);
    expect(provinces.filter((d) => d.startsWith("r:bt:"))).toEqual(["r:bt:kermanshah"]);
    // A province outside, pressed with forged data: not a choice here.
    const forged = await h.answerTo("telegram", provincial, h.last("telegram", provincial).message_id, "r:bt:golestan");
    expect(forged).toMatchObject({ text: expect.stringContaining("معتبر نیست") });
    // None chosen on the four filter screens (provinces, skills, roles, the rest): the whole province.
    for (let i = 0; i < 4; i++) await h.tap("telegram", provincial, "r:bn");
    await h.tap("telegram", provincial, "r:bu");
    expect((await h.tap("telegram", provincial, "r:bs")).join()).toContain("۱ نفر در صف");
    while ((await h.app.engine.runOnce()) > 0);
    expect(h.sim.botMessages(TOKENS.telegram, inside.id).map((m) => m.text)).toEqual(["پیام ستاد استان"]);
    expect(h.sim.botMessages(TOKENS.telegram, outside.id)).toEqual([]);
    const created = (await h.app.deps.store.access.auditLog({ limit: 5 })).find(
      (r) => r.action === "broadcast.create",
    )!;
    expect(created).toMatchObject({ actor: `telegram:${provincial.id}`, scope: "kermanshah", outcome: "ok" });

    // Another province's admin cannot pause it; a citizen cannot even start.
    const other = await h.staff("provincial_admin", "golestan");
    await h.say("telegram", other, "/help");
    const answer = await h.answerTo(
      "telegram",
      other,
      h.last("telegram", other).message_id,
      `bc:pause:${created.target}`,
    );
    expect(answer).toMatchObject({ show_alert: true });
    expect((await h.app.deps.store.deliveries.getBroadcast(created.target!))!.status).not.toBe("paused");
    expect((await h.say("telegram", newUser(), "/broadcast")).join()).toContain("هماهنگ‌کنندگان");
  });
});
