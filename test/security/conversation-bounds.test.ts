import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  MAX_TEXT_LENGTH,
  WRONG_ANSWERS_BEFORE_END,
  WRONG_ANSWERS_BEFORE_REPROMPT,
} from "../../src/bot/conversations/kit/limits.js";
import { conversationNamespace } from "../../src/services/erasure.js";
import { createHarness, newUser, TOKENS, type Harness } from "../support/harness.js";

/** What a conversation keeps stays bounded, whatever a person sends. */
describe("conversation state is bounded", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  const stateSize = async (userId: number) => {
    const value = await h.app.deps.state.storage(conversationNamespace("telegram")).read(String(userId));
    return value === undefined ? 0 : JSON.stringify(value).length;
  };

  it("1,000 junk messages inside /language: the state stays small, and nothing is kept once it has ended", async () => {
    const user = newUser();
    await h.say("telegram", user, "/language");
    const junk = "ن".repeat(MAX_TEXT_LENGTH - 10);
    const sizes: number[] = [];
    for (let i = 0; i < 1000; i++) {
      await h.say("telegram", user, `${i} ${junk}`);
      sizes.push(await stateSize(user.id));
    }
    // At most a few kept answers of at most MAX_TEXT_LENGTH characters, sealed.
    expect(Math.max(...sizes)).toBeLessThan(WRONG_ANSWERS_BEFORE_END * MAX_TEXT_LENGTH * 4);
    // What each update costs is the state it replays: after the conversation ended (a few answers in), none at all,
    // for every one of the rest. (This was a wall-clock comparison, which a busy CI machine broke twice; the size
    // is what made late updates slow when the state grew, and it is exact.)
    expect(sizes.slice(WRONG_ANSWERS_BEFORE_END * 4)).toEqual(sizes.slice(WRONG_ANSWERS_BEFORE_END * 4).map(() => 0));
    // It ended politely, once, after the re-prompt with the buttons.
    const texts = h.texts("telegram", user);
    expect(texts.filter((t) => t.includes("این گفتگو را فعلاً بستم"))).toHaveLength(1);
    const prompts = h.sim
      .botMessages(TOKENS.telegram, user.id)
      .filter((m) => JSON.stringify(m.reply_markup ?? {}).includes("lang:en"));
    expect(prompts).toHaveLength(1 + Math.floor((WRONG_ANSWERS_BEFORE_END - 1) / WRONG_ANSWERS_BEFORE_REPROMPT));
  });

  it("a registration step re-asks with its buttons, then ends keeping what was answered; /start resumes", async () => {
    const user = newUser();
    await h.say("telegram", user, "/start");
    await h.tap("telegram", user, "r:consent:yes");
    await h.say("telegram", user, "مریم احمدی");
    // The phone step: junk in a row.
    for (let i = 1; i <= WRONG_ANSWERS_BEFORE_END; i++) {
      const replies = await h.say("telegram", user, `junk ${i}`);
      if (i === WRONG_ANSWERS_BEFORE_REPROMPT) expect(replies.join()).toContain("شماره همراه خود را");
      if (i === WRONG_ANSWERS_BEFORE_END) expect(replies.join()).toContain("این گفتگو را فعلاً بستم");
    }
    expect(await stateSize(user.id)).toBe(0);
    const person = (await h.app.deps.store.people.findByIdentity({ platform: "telegram", userId: String(user.id) }))!;
    expect(await h.app.deps.store.people.getDraft(person.id)).toMatchObject({ firstName: "مریم", lastName: "احمدی" });
    expect((await h.say("telegram", user, "/start")).join()).toContain("شماره همراه خود را");
  });

  it("a text longer than any answer is refused before a conversation keeps it", async () => {
    const user = newUser();
    await h.say("telegram", user, "/language");
    const before = await stateSize(user.id);
    const reply = await h.say("telegram", user, "x".repeat(MAX_TEXT_LENGTH + 1));
    expect(reply.join()).toContain("بیش از");
    expect(await stateSize(user.id)).toBe(before);
  });
});
