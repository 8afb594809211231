import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { conversationNamespace } from "../../src/services/erasure.js";
import { pushTo } from "../../src/services/broadcast.js";
import { createHarness, newUser, TOKENS, type Harness } from "../support/harness.js";
import { PHONE, register } from "../support/registration.js";

/** `/delete` through the bot: the person's conversations on every platform go with their data. */
describe("/delete", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  const stateOf = (platform: "telegram" | "bale", chatId: number) =>
    h.app.deps.state.storage(conversationNamespace(platform)).read(String(chatId));

  it("clears the conversation state of every chat the person had, not only the current one", async () => {
    const user = newUser("مریم");
    await register(h, "telegram", user);
    // Linked on Bale by the same shared number, then halfway through /language there.
    await h.say("bale", user, "/start");
    await h.tap("bale", user, "r:consent:yes");
    await h.say("bale", user, "مریم احمدی");
    await h.contact("bale", user, PHONE);
    await h.tap("bale", user, "r:link:yes");
    await h.say("bale", user, "/language");
    expect(await stateOf("bale", user.id)).toBeDefined();
    // And halfway through /language on Telegram too, where /delete is sent.
    await h.say("telegram", user, "/language");
    expect(await stateOf("telegram", user.id)).toBeDefined();

    await h.say("telegram", user, "/delete");
    const done = await h.tap("telegram", user, "del:yes");
    expect(done.join()).toContain("اطلاعات شما پاک شد");
    expect(await stateOf("bale", user.id)).toBeUndefined();
    expect(await stateOf("telegram", user.id)).toBeUndefined();
    const person = (await h.app.deps.store.people.findByIdentity({ platform: "bale", userId: String(user.id) }))!;
    expect(person).toBeNull();
  });

  it("a message queued before /delete is never sent", async () => {
    const user = newUser();
    await register(h, "telegram", user);
    const person = (await h.app.deps.store.people.findByIdentity({ platform: "telegram", userId: String(user.id) }))!;
    await pushTo(h.app.deps.store, person.id, "پیشنهاد خدمت تازه");
    await h.say("telegram", user, "/delete");
    await h.tap("telegram", user, "del:yes");
    const before = h.sim.botMessages(TOKENS.telegram, user.id).length;
    while ((await h.app.engine.runOnce()) > 0);
    expect(
      h.sim
        .botMessages(TOKENS.telegram, user.id)
        .slice(before)
        .map((m) => m.text),
    ).toEqual([]);
    expect(h.texts("telegram", user).join()).not.toContain("پیشنهاد خدمت تازه");
  });
});
