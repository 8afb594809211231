import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, newUser, TOKENS, type Harness } from "../support/harness.js";
import { expectPersian, textsAndLabels } from "../support/persian.js";
import { walk } from "../support/registration.js";

const ADMIN = { id: 7171, first_name: "Admin" };

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
      availability: { tap: ["r:ap:afternoons", "r:h:4"] },
    });
    await h.say("telegram", user, "/profile");
    await h.say("telegram", user, "/help");
    const messages = h.sim.botMessages(TOKENS.telegram, user.id);
    expect(messages.length).toBeGreaterThan(14);
    // Texts and buttons.
    expectPersian(textsAndLabels(messages));
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
      expectPersian(await h.say("telegram", ADMIN, command));
    }
  });
});
