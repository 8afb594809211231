import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, newUser, type Harness } from "../support/harness.js";
import { PHONE, register } from "../support/registration.js";
import type { SimUser } from "../../src/playground/bot-api/simulator.js";

/** Two platforms' registrations are linked only when both numbers were shared from the platform. */
describe("linking accounts by phone", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  const toPhone = async (user: SimUser) => {
    await h.say("bale", user, "/start");
    await h.tap("bale", user, "r:consent:yes");
    await h.say("bale", user, "Ali Rezaei");
  };
  const personOf = (platform: "telegram" | "bale", user: SimUser) =>
    h.app.deps.store.people.findByIdentity({ platform, userId: String(user.id) });

  /** Registers on Telegram with the number typed by hand (not shared). */
  async function registerTyped(user: SimUser) {
    await h.say("telegram", user, "/start");
    await h.tap("telegram", user, "r:consent:yes");
    await h.say("telegram", user, "مریم احمدی");
    await h.say("telegram", user, PHONE);
    const person = (await personOf("telegram", user))!;
    // The rest of the profile straight into the store: the phone step is what is under test.
    await h.app.deps.store.people.update(person.id, {
      phone: PHONE,
      phoneVerified: false,
      registeredAt: new Date(),
      volunteerCode: "HM-TYPED1",
    });
  }

  it("a shared number does not take over a registration whose number was typed", async () => {
    const victim = newUser("مریم");
    await registerTyped(victim);
    expect((await personOf("telegram", victim))!.phoneVerified).toBe(false);
    const claimant = newUser("Ali");
    await toPhone(claimant);
    const reply = (await h.contact("bale", claimant, PHONE)).join("\n");
    expect(reply).toContain("در ثبت‌نام دیگری به کار رفته است");
    expect(reply).not.toContain("تلگرام");
    expect(reply).not.toContain("مریم");
    expect(reply).not.toContain("HM-TYPED1");
    // No link offered, nothing moved: two people, each with their own account.
    expect((await personOf("bale", claimant))!.id).not.toBe((await personOf("telegram", victim))!.id);
    expect((await personOf("telegram", victim))!.identities).toHaveLength(1);
  });

  it("a typed number never claims a registration whose number was shared", async () => {
    const owner = newUser("مریم");
    await register(h, "telegram", owner);
    expect((await personOf("telegram", owner))!.phoneVerified).toBe(true);
    const claimant = newUser("Ali");
    await toPhone(claimant);
    const reply = (await h.say("bale", claimant, PHONE)).join("\n");
    expect(reply).toContain("در ثبت‌نام دیگری به کار رفته است");
    expect(reply).not.toContain("تلگرام");
    expect((await personOf("telegram", owner))!.identities).toHaveLength(1);
  });

  it("both shared: linking is offered, and the linked person keeps the verified number", async () => {
    const user = newUser("مریم");
    await register(h, "telegram", user);
    await toPhone(user);
    expect((await h.contact("bale", user, PHONE)).join()).toContain("پیش‌تر در تلگرام ثبت‌نام شده است");
    await h.tap("bale", user, "r:link:yes");
    const linked = (await personOf("bale", user))!;
    expect(linked.identities.map((i) => i.platform).sort()).toEqual(["bale", "telegram"]);
    expect(linked.phoneVerified).toBe(true);
  });
});
