import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, newUser, TOKENS, type Harness } from "../support/harness.js";
import { walk } from "../support/registration.js";

const ADMIN = { id: 7171, first_name: "Admin" };

/**
 * What a person reads, with what is meant to stay Latin taken out: runs
 * isolated left-to-right (codes, masked numbers), commands, emoji. What is
 * left must have no Latin digit and no Latin word.
 */
const readable = (text: string) =>
  text
    .replace(/\u2066[^\u2069]*\u2069/g, "")
    .replace(/\/[a-z_]+/g, "")
    .replace(/https?:\/\/\S+/g, "");

describe("every message a Persian speaker reads is Persian", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ env: { ADMIN_IDS: `telegram:${ADMIN.id}` } });
  });
  afterEach(() => h.close());

  it("the whole registration, the profile and /help: no Latin digit, no English word", async () => {
    const user = newUser("زهرا");
    await walk(h, "telegram", user, "summary", {
      consent: "زهرا محمدی",
      name: null,
      phone: { contact: "+989121110000" },
      national_id: "4512345671",
      birth_year: "1372",
      skills: { tap: ["r:s:infant_care", "r:s:childcare", "r:sd"] },
      availability: { tap: ["r:ap:evenings", "r:h:4"] },
    });
    await h.say("telegram", user, "/profile");
    await h.say("telegram", user, "/help");
    const texts = h.sim.botMessages(TOKENS.telegram, user.id).map((m) => m.text ?? m.caption ?? "");
    expect(texts.length).toBeGreaterThan(14);
    for (const text of texts) {
      expect(readable(text), text).not.toMatch(/[0-9]/);
      expect(readable(text), text).not.toMatch(/[A-Za-z]{2,}/);
    }
    // Buttons too.
    const labels = h.sim
      .botMessages(TOKENS.telegram, user.id)
      .flatMap((m) => (m.reply_markup as { inline_keyboard?: { text: string }[][] } | undefined)?.inline_keyboard ?? [])
      .flat()
      .map((b) => b.text);
    for (const label of labels) expect(readable(label), label).not.toMatch(/[0-9]|[A-Za-z]{2,}/);
  });

  it("a national admin's /audit, /roles, /report, /needs, /ramadan…: no Latin digit, no English word", async () => {
    h.sim.openChat(TOKENS.telegram, ADMIN);
    await h.staff("centre_coordinator", "KSH-POS-01");
    await h.app.deps.store.access.audit({
      actor: "bale:2",
      action: "need.post",
      scope: "kermanshah",
      target: null,
      outcome: "ok",
      details: null,
    });
    for (const command of ["/audit", "/roles", "/help", "/report", "/needs", "/ramadan", "/approvals", "/hours"]) {
      const replies = await h.say("telegram", ADMIN, command);
      for (const text of replies) {
        expect(readable(text), text).not.toMatch(/[0-9]/);
        expect(readable(text), text).not.toMatch(/[A-Za-z]{2,}/);
      }
    }
  });
});
