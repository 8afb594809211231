import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PLATFORMS } from "../../src/platforms/capabilities.js";
import { createHarness, newUser, TOKENS, type Harness } from "../support/harness.js";
import { addCampaigns } from "../support/sample.js";

const PERSIAN = /[\u0600-\u06FF]/;

describe.each(PLATFORMS)("minimal features on %s", (platform) => {
  let h: Harness;
  const token = TOKENS[platform];
  beforeEach(async () => {
    h = await createHarness();
    await addCampaigns(h.app.deps.store, "ramadan-1448", "centre_111", "hello_mahalle");
  });
  afterEach(async () => {
    await h.close();
  });

  it("/start welcomes in Persian by name and creates the person", async () => {
    const user = newUser("زهرا");
    const [reply] = await h.say(platform, user, "/start");
    expect(reply).toMatch(PERSIAN);
    expect(reply).toContain("زهرا");
    expect(reply).toContain("همدل");
    const person = await h.app.deps.store.people.findByIdentity({ platform, userId: String(user.id) });
    expect(person).toMatchObject({
      source: null,
      identities: [expect.objectContaining({ platform, chatId: String(user.id) })],
    });
  });

  it("/start <payload> records the deep-link source, and the first source wins", async () => {
    const user = newUser();
    const [first] = await h.say(platform, user, "/start ramadan-1448");
    expect(first).toContain("ramadan-1448");
    const [again] = await h.say(platform, user, "/start centre_111");
    expect(again).not.toContain("centre_111");
    const person = await h.app.deps.store.people.findByIdentity({ platform, userId: String(user.id) });
    expect(person!.source).toBe("ramadan-1448");
    expect(await h.app.deps.store.people.count()).toBe(1);
  });

  it("a returning person with no source yet gets the payload's source", async () => {
    const user = newUser();
    await h.say(platform, user, "/start");
    await h.say(platform, user, "/start hello_mahalle");
    const person = await h.app.deps.store.people.findByIdentity({ platform, userId: String(user.id) });
    expect(person!.source).toBe("hello_mahalle");
  });

  it("a malformed payload is not stored and the person is told, politely", async () => {
    const user = newUser();
    const [reply] = await h.say(platform, user, "/start <script>alert(1)</script>");
    expect(reply).toContain("پیوند دعوت معتبر نیست");
    const person = await h.app.deps.store.people.findByIdentity({ platform, userId: String(user.id) });
    expect(person!.source).toBeNull();
  });

  it("/help lists the commands in Persian", async () => {
    const [reply] = await h.say(platform, newUser(), "/help");
    expect(reply).toContain("/language");
    expect(reply).toContain("راهنما");
  });

  it("answers anything unhandled politely: text, unknown commands, stickers", async () => {
    const user = newUser();
    expect(await h.say(platform, user, "سلام، چطور داوطلب شوم؟")).toEqual([expect.stringContaining("/help")]);
    expect(await h.say(platform, user, "/nonsense")).toEqual([expect.stringContaining("/help")]);
    h.sim.sendSticker(token, user);
    await h.deliver(platform);
    expect(h.texts(platform, user)).toHaveLength(3);
  });

  it("answers a forged callback instead of leaving the button spinning", async () => {
    const user = newUser();
    await h.say(platform, user, "/help");
    const [message] = h.sim.botMessages(token, user.id);
    const id = h.sim.press(token, user, message!.message_id, "admin:grant:national");
    await h.deliver(platform);
    expect(h.sim.bot(token).callbackAnswers.get(id)).toMatchObject({ text: expect.stringMatching(PERSIAN) });
  });
});

describe("/language", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const prompt = (platform: "telegram" | "bale", userId: number) => {
    const message = h.sim.botMessages(TOKENS[platform], userId).at(-1)!;
    const keyboard = (message.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] })
      .inline_keyboard;
    return { message, buttons: keyboard.flat() };
  };

  it("switches to English, remembers it, and keeps Persian for others", async () => {
    const user = newUser();
    await h.say("telegram", user, "/language");
    const { message, buttons } = prompt("telegram", user.id);
    expect(buttons.map((b) => b.text)).toEqual(["فارسی", "English", "انصراف"]);
    const english = buttons.find((b) => b.text === "English")!;
    const answerId = h.sim.press(TOKENS.telegram, user, message.message_id, english.callback_data);
    await h.deliver("telegram");
    expect(h.sim.bot(TOKENS.telegram).callbackAnswers.has(answerId)).toBe(true);
    expect(h.texts("telegram", user).at(-1)).toContain("English");
    expect(await h.say("telegram", user, "/help")).toEqual([expect.stringContaining("Hamdel commands")]);
    expect(await h.say("telegram", newUser(), "/help")).toEqual([expect.stringContaining("فرمان‌های همدل")]);
    const person = await h.app.deps.store.people.findByIdentity({ platform: "telegram", userId: String(user.id) });
    expect(person!.language).toBe("en");
  });

  it("re-prompts on text, lets /help through, and /cancel leaves it unchanged", async () => {
    const user = newUser();
    await h.say("bale", user, "/language");
    expect(await h.say("bale", user, "انگلیسی")).toEqual([expect.stringContaining("دکمه")]);
    expect(await h.say("bale", user, "/help")).toEqual([expect.stringContaining("فرمان‌های همدل")]);
    expect(await h.say("bale", user, "/cancel")).toEqual([expect.stringContaining("لغو شد")]);
    expect(await h.say("bale", user, "/cancel")).toEqual([expect.stringContaining("کاری در جریان نیست")]);
    expect(await h.say("bale", user, "hello")).toEqual([expect.stringContaining("متوجه")]);
  });

  it("rejects forged language data inside the conversation and waits on", async () => {
    const user = newUser();
    await h.say("telegram", user, "/language");
    const { message } = prompt("telegram", user.id);
    expect(await h.answerTo("telegram", user, message.message_id, "lang:xx")).toMatchObject({
      text: expect.stringContaining("معتبر نیست"),
    });
    h.sim.press(TOKENS.telegram, user, message.message_id, "lang:en");
    await h.deliver("telegram");
    const person = await h.app.deps.store.people.findByIdentity({ platform: "telegram", userId: String(user.id) });
    expect(person!.language).toBe("en");
  });

  it("a language button still works after a restart, whatever state survived", async () => {
    const user = newUser();
    await h.say("bale", user, "/language");
    const { message } = prompt("bale", user.id);
    await h.close();
    h = await createHarness({ config: h.config, sim: h.sim });
    h.sim.press(TOKENS.bale, user, message.message_id, "lang:en");
    await h.deliver("bale");
    expect(h.texts("bale", user).at(-1)).toContain("English");
    expect(
      (await h.app.deps.store.people.findByIdentity({ platform: "bale", userId: String(user.id) }))!.language,
    ).toBe("en");
  });
});

describe("reachability", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const memberUpdate = (user: { id: number; first_name: string }, status: "kicked" | "member") => ({
    update_id: 900_000 + user.id + (status === "member" ? 1 : 0),
    my_chat_member: {
      chat: { id: user.id, type: "private", first_name: user.first_name },
      from: { ...user, is_bot: false },
      date: 1,
      old_chat_member: {
        status: status === "kicked" ? "member" : "kicked",
        user: { id: 1001, is_bot: true, first_name: "Hamdel" },
      },
      new_chat_member: {
        status,
        user: { id: 1001, is_bot: true, first_name: "Hamdel" },
        ...(status === "kicked" ? { until_date: 0 } : {}),
      },
    },
  });

  it("marks a person unreachable when they block the bot mid-registration, without replying", async () => {
    const user = newUser();
    await h.say("telegram", user, "/start");
    const before = h.sim.calls.length;
    await h.app.bots.get("telegram")!.handleUpdate(memberUpdate(user, "kicked") as never);
    expect(h.sim.calls.slice(before).filter((c) => c.method === "sendMessage")).toEqual([]);
    const person = await h.app.deps.store.people.findByIdentity({ platform: "telegram", userId: String(user.id) });
    expect(person!.identities[0]!.reachable).toBe(false);
    await h.app.bots.get("telegram")!.handleUpdate(memberUpdate(user, "member") as never);
    const back = await h.app.deps.store.people.findByIdentity({ platform: "telegram", userId: String(user.id) });
    expect(back!.identities[0]!.reachable).toBe(true);
  });
});
