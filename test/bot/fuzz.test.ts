import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { createHarness, TOKENS, type Harness } from "../support/harness.js";

/** A small deterministic PRNG, so a failure can be replayed with its seed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 2 ** 32;
}

const ALPHABETS = [
  "سلام مریم کاظمی ۰۹۱۲ ي ك",
  "abcXYZ 123 /start /help /cancel /profile /delete /pledge /broadcast",
  "😀🙏🏽\u200c\u200d\u202e\u0000\uFEFF",
  "٠١٢٣٤٥٦٧٨٩ ۰۱۲۳",
];

/** A random non-text message: photo, voice, document, video, poll, dice, a reply or a forward. */
function mediaOf(pick: <T>(xs: readonly T[]) => T, text: () => string): Record<string, unknown> {
  const file = { file_id: "f", file_unique_id: "u", file_size: 10 };
  return pick<Record<string, unknown>>([
    { photo: [{ ...file, width: 10, height: 10 }], caption: text() },
    { voice: { ...file, duration: 3 } },
    { document: { ...file, file_name: text().slice(0, 30) || "x.pdf" } },
    { video: { ...file, width: 1, height: 1, duration: 1 } },
    { dice: { emoji: "🎲", value: 3 } },
    {
      poll: {
        id: "p",
        question: text() || "?",
        options: [],
        total_voter_count: 0,
        is_closed: false,
        is_anonymous: true,
        type: "regular",
        allows_multiple_answers: false,
      },
    },
    { text: text(), reply_to_message: { message_id: 1, date: 1, chat: { id: 1, type: "private", first_name: "x" } } },
    { text: text(), forward_origin: { type: "hidden_user", sender_user_name: "x", date: 1 } },
    { text: text(), entities: [{ type: "bold", offset: 0, length: 500 }] },
  ]);
}

/**
 * Random updates of every kind — text of any script and length, commands,
 * stickers, contacts, locations, forged callback data, edits, group and
 * channel posts — must never throw out of the bot, and every private message
 * gets an answer.
 */
describe("fuzz: random updates never crash the bot", () => {
  let h: Harness;
  const errors: string[] = [];
  beforeAll(async () => {
    const logger = createLogger("error", { write: (line: string) => void errors.push(line) });
    h = await createHarness({ logger });
  });
  afterAll(() => h.close());

  it("handles 10,000 random updates on both platforms", async () => {
    const rand = prng(20261125);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const text = () => {
      const alphabet = pick(ALPHABETS);
      const n = rand() < 0.05 ? 4100 + Math.floor(rand() * 200) : Math.floor(rand() * 40);
      return Array.from({ length: n }, () => pick([...alphabet])).join("") || "x";
    };
    let updateId = 1_000_000;
    for (let i = 0; i < 10_000; i++) {
      const platform = pick(["telegram", "bale"] as const);
      const bot = h.app.bots.get(platform)!;
      const user = { id: 70_000 + Math.floor(rand() * 25), first_name: text().slice(0, 20) || "u", is_bot: false };
      h.sim.openChat(TOKENS[platform], user);
      const chat = { id: user.id, type: "private" as const, first_name: user.first_name };
      const base = { message_id: i + 1, date: 1, chat, from: user };
      const kind = rand();
      let update: Record<string, unknown>;
      if (kind < 0.45)
        update = {
          message: {
            ...base,
            text:
              rand() < 0.3
                ? pick([
                    "/start",
                    "/help",
                    "/cancel",
                    "/profile",
                    "/delete",
                    "/stop",
                    "/pledge",
                    "/language",
                    "/broadcast",
                  ]) + (rand() < 0.3 ? " " + text() : "")
                : text(),
          },
        };
      else if (kind < 0.55)
        update = {
          message: {
            ...base,
            sticker: {
              file_id: "s",
              file_unique_id: "s",
              type: "regular",
              width: 1,
              height: 1,
              is_animated: false,
              is_video: false,
            },
          },
        };
      else if (kind < 0.6)
        update = {
          message: {
            ...base,
            contact: { phone_number: text().slice(0, 15), first_name: "x", user_id: rand() < 0.5 ? user.id : 1 },
          },
        };
      else if (kind < 0.62)
        update = { message: { ...base, location: { latitude: rand() * 180 - 90, longitude: rand() * 360 - 180 } } };
      else if (kind < 0.65) update = { message: { ...base, ...mediaOf(pick, text) } };
      else if (kind < 0.85) {
        const messages = h.sim.botMessages(TOKENS[platform], user.id);
        const data =
          rand() < 0.5
            ? text().slice(0, 64)
            : pick([
                "r:back",
                "r:consent:yes",
                "r:p:tehran",
                "r:s:cooking",
                "r:sd",
                "r:ap:afternoons",
                "del:yes",
                "lang:en",
                "pl:10:x",
                "bc:cancel:1",
                "in:zz",
                "optout:campaigns",
              ]);
        update = {
          callback_query: {
            id: String(i),
            from: user,
            chat_instance: "c",
            data,
            // The newest message, or a stale one from earlier in the chat.
            ...(messages.length ? { message: { ...(rand() < 0.5 ? messages.at(-1)! : pick(messages)), chat } } : {}),
          },
        };
      } else if (kind < 0.88) update = { edited_message: { ...base, edit_date: 2, text: text() } };
      else if (kind < 0.92)
        update = {
          message: {
            ...base,
            chat: { id: -100 - user.id, type: pick(["group", "supergroup"]), title: "g" },
            text: text(),
          },
        };
      else if (kind < 0.95)
        update = pick([
          { channel_post: { message_id: i, date: 1, chat: { id: -200, type: "channel", title: "c" }, text: text() } },
          {
            edited_channel_post: {
              message_id: i,
              date: 1,
              edit_date: 2,
              chat: { id: -200, type: "channel", title: "c" },
              text: text(),
            },
          },
        ]);
      else if (kind < 0.97)
        update = { inline_query: { id: String(i), from: user, query: text().slice(0, 256), offset: "" } };
      else
        update = {
          my_chat_member: {
            chat,
            from: user,
            date: 1,
            old_chat_member: { status: "member", user: { id: 1001, is_bot: true, first_name: "bot" } },
            new_chat_member: {
              status: pick(["kicked", "member"]),
              until_date: 0,
              user: { id: 1001, is_bot: true, first_name: "bot" },
            },
          },
        };
      const before = h.sim.calls.length;
      await expect(bot.handleUpdate({ update_id: updateId++, ...update } as never)).resolves.toBeUndefined();
      const msg = update.message as { chat: { type: string } } | undefined;
      if (msg?.chat.type === "private") {
        // Every private message gets an answer (a reply, or an edit of the current prompt).
        const answered = h.sim.calls
          .slice(before)
          .some(
            (c) =>
              ["sendMessage", "editMessageText", "sendPhoto"].includes(c.method) &&
              Number(c.params.chat_id) === user.id,
          );
        expect(answered, JSON.stringify(update).slice(0, 300)).toBe(true);
      }
    }
    // Nothing reached the error boundary from bad input (platform errors aside).
    expect(errors.filter((l) => l.includes("update failed")).join("\n")).toBe("");
  }, 300_000);
});
