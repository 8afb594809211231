import { readdirSync, readFileSync } from "node:fs";
import { digits, isolateCommands } from "../../src/format.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COMMANDS, menuOf, type CommandName } from "../../src/bot/commands.js";
import { createInvite } from "../../src/services/invites.js";
import { harnessWithSample } from "../support/sample.js";
import { newUser, TOKENS, type Harness } from "../support/harness.js";

const ADMIN = { id: 5151, first_name: "Admin" };
const EVERYONE = [
  "start",
  "profile",
  "pledge",
  "request",
  "hours",
  "schedule",
  "checks",
  "certificate",
  "stop",
  "resume",
  "language",
  "delete",
  "cancel",
  "help",
];

/** The one command registry: the router answers every command in it, and the menus show each person theirs. */
describe("command registry", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harnessWithSample(ADMIN);
  });
  afterEach(() => h.close());

  it("every registered command is answered, for a national admin and for a citizen; others get the polite unknown", async () => {
    // As Telegram receives it: its commands isolated (`commandAfterIsolate`).
    const unhandled = isolateCommands(h.app.deps.i18n.t("fa")("unhandled.text"));
    const citizen = newUser("شهروند");
    for (const user of [ADMIN, citizen])
      for (const name of Object.keys(COMMANDS)) {
        const replies = await h.say("telegram", user, `/${name}`);
        expect(replies.length, `/${name}`).toBeGreaterThan(0);
        expect(replies, `/${name}`).not.toContain(unhandled);
        await h.say("telegram", user, "/cancel");
      }
    expect(await h.say("telegram", newUser("تازه"), "/nosuchcommand")).toEqual([unhandled]);
  });

  it("/help lists the asker's own commands: a citizen's, a centre coordinator's, a national admin's", async () => {
    const citizen = (await h.say("telegram", newUser(), "/help")).join();
    for (const c of ["/hours", "/pledge", "/request", "/profile"]) expect(citizen).toContain(c);
    for (const c of ["/broadcast", "/audit", "/need"]) expect(citizen).not.toContain(c);
    const coordinator = (await h.say("telegram", await h.staff("centre_coordinator", "KSH-POS-01"), "/help")).join();
    expect(coordinator).toContain("/need");
    expect(coordinator).not.toContain("/audit");
    const admin = (await h.say("telegram", ADMIN, "/help")).join();
    for (const c of ["/broadcast", "/audit", "/report", "/roles", "/need"]) expect(admin).toContain(c);
    // Grouped: the role's commands under its name first, then everyone's; an operator's include /approvals.
    const heading = coordinator.indexOf("ویژهٔ نقش شما (هماهنگ‌کننده مرکز):");
    expect(heading).toBeGreaterThanOrEqual(0);
    expect(heading).toBeLessThan(coordinator.indexOf("برای همه:"));
    expect(coordinator.indexOf("/need")).toBeLessThan(coordinator.indexOf("برای همه:"));
    expect(citizen).not.toContain("ویژهٔ نقش شما");
    const operator = (await h.say("telegram", await h.staff("institution_operator", "INST-KSH-01"), "/help")).join();
    expect(operator).toContain("/approvals");
    expect(operator).not.toContain("/need ");
  });

  it("every command a feature routes is in the registry", () => {
    const dir = "src/bot/features/";
    const routed = readdirSync(dir).flatMap((f) =>
      [...readFileSync(dir + f, "utf8").matchAll(/\.command\(\s*"([a-z_]+)"/g)].map((m) => m[1]!),
    );
    expect(routed.length).toBeGreaterThan(10);
    for (const name of routed) expect(Object.keys(COMMANDS), name).toContain(name);
  });

  it("menus: everyone's by default, in Persian and English; each role holder's own through a chat scope", async () => {
    const { menus } = h.app;
    await menus.registerDefault("telegram");
    const citizen = newUser("شهروند");
    h.sim.openChat(TOKENS.telegram, citizen);
    expect(h.sim.menuOf(TOKENS.telegram, citizen.id)).toEqual(EVERYONE);
    expect(h.sim.menuOf(TOKENS.telegram, citizen.id, "en")).toEqual(EVERYONE);
    const english = h.sim.bot(TOKENS.telegram).commands.get("default|en")!;
    expect(english.find((c) => c.command === "help")?.description).toBe(h.app.deps.i18n.t("en")("commands.help"));

    const coordinator = await h.staff("centre_coordinator", "KSH-POS-01");
    const operator = await h.staff("institution_operator", "INST-KSH-01");
    await menus.refreshHolders("telegram");
    const centre = h.sim.menuOf(TOKENS.telegram, coordinator.id);
    expect(centre).toEqual(expect.arrayContaining([...EVERYONE, "need", "needs", "action", "checkin"]));
    expect(centre).not.toContain("broadcast");
    expect(centre).not.toContain("approvals");
    expect(h.sim.menuOf(TOKENS.telegram, operator.id)).toEqual(menuOf(["institution_operator"]));
    expect(h.sim.menuOf(TOKENS.telegram, operator.id)).toContain("approvals");
    // ADMIN_IDS count as a national admin: every command but the institutions' own approvals.
    expect(h.sim.menuOf(TOKENS.telegram, ADMIN.id)).toEqual(
      (Object.keys(COMMANDS) as CommandName[]).filter((c) => c !== "approvals"),
    );
    expect(h.sim.menuOf(TOKENS.telegram, citizen.id)).toEqual(EVERYONE);
    // Bale has no command menu: nothing was asked of it.
    expect(h.sim.bot(TOKENS.bale).commands.size).toBe(0);
  });

  it("a redeemed invitation gives the new coordinator their menu; a revoke takes it away", async () => {
    await h.app.menus.registerDefault("telegram");
    const admin = await h.app.deps.actors.of({
      platform: "telegram",
      userId: String(ADMIN.id),
    });
    const made = await createInvite(h.app.deps.invites, admin, "provincial_admin", "kermanshah");
    if (!made.ok) throw new Error("no invite");
    const person = newUser("هماهنگ‌کننده");
    await h.say("telegram", person, `/start ${made.value.payload}`);
    expect(h.sim.menuOf(TOKENS.telegram, person.id)).toEqual(menuOf(["provincial_admin"]));
    expect(h.sim.menuOf(TOKENS.telegram, person.id)).toContain("broadcast");

    await h.say("telegram", ADMIN, "/roles");
    const lines = h.texts("telegram", ADMIN).at(-1)!.split("\n").slice(2);
    const kb = h.last("telegram", ADMIN).reply_markup as { inline_keyboard: { callback_data: string }[][] };
    const button =
      kb.inline_keyboard.flat()[
        lines.findIndex((l) => l.includes(`کاربر ${digits("fa", String(person.id))} در تلگرام`))
      ]!;
    await h.answerTo("telegram", ADMIN, h.last("telegram", ADMIN).message_id, button.callback_data);
    expect(await h.app.deps.store.access.grantsOf({ platform: "telegram", userId: String(person.id) })).toEqual([]);
    expect(h.sim.menuOf(TOKENS.telegram, person.id)).toEqual(EVERYONE);
  });

  it("a chat the platform does not know (never opened) costs a warning, not an error", async () => {
    await h.app.deps.store.access.grant({
      platform: "telegram",
      userId: "987654",
      role: "centre_coordinator",
      scope: "KSH-POS-01",
      grantedBy: "test",
    });
    await expect(h.app.menus.refresh({ platform: "telegram", userId: "987654" })).resolves.toBeUndefined();
    expect(h.sim.bot(TOKENS.telegram).commands.has("chat:987654|")).toBe(false);
  });
});
