import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBroadcast } from "../../src/services/broadcast.js";
import { createHarness, newUser, TOKENS, type Harness } from "../support/harness.js";
import { register } from "../support/registration.js";

describe("«I'm in»", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  it("counts only the broadcast's recipients: a forged or forwarded button counts nothing", async () => {
    const recipient = newUser();
    const outsider = newUser();
    await register(h, "telegram", recipient);
    await register(h, "telegram", outsider, { phone: "+989121110099", nid: "4512345671" });
    const store = h.app.deps.store;
    const recipientId = (await store.people.findByIdentity({ platform: "telegram", userId: String(recipient.id) }))!.id;
    // A broadcast to the recipient alone (by source): the outsider never got it.
    await store.people.setSourceIfEmpty(recipientId, "salam");
    const { broadcast } = await createBroadcast(store, {
      text: "برنامه محله",
      segment: { sources: ["salam"] },
      urgent: true,
      notBefore: new Date(0),
      createdBy: null,
      imIn: true,
    });
    while ((await h.app.engine.runOnce()) > 0);
    const forged = await h.answerTo(
      "telegram",
      outsider,
      h.last("telegram", outsider).message_id,
      `in:${broadcast.id}`,
    );
    expect(forged).toMatchObject({ text: expect.stringContaining("معتبر نیست") });
    expect(await store.deliveries.responses(broadcast.id)).toBe(0);
    const message = h.sim.botMessages(TOKENS.telegram, recipient.id).at(-1)!;
    expect(await h.answerTo("telegram", recipient, message.message_id, `in:${broadcast.id}`)).toMatchObject({
      text: expect.stringContaining("ثبت شد"),
    });
    expect(await store.deliveries.responses(broadcast.id)).toBe(1);
  });
});
