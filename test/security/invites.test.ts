import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { digits } from "../../src/format.js";
import { createInvite } from "../../src/services/invites.js";
import { createHash } from "node:crypto";
import { rolesCommand } from "../../src/cli/roles.js";
import { harnessWithSample } from "../support/sample.js";
import { newUser, TOKENS, type Harness } from "../support/harness.js";

const ADMIN = { id: 5353, first_name: "Admin" };

/** An invitation carries its maker's right to give the role: checked again when it is opened. */
describe("invitations are checked again when redeemed", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harnessWithSample(ADMIN);
  });
  afterEach(() => h.close());

  const actor = (userId: number) => h.app.deps.actors.of({ platform: "telegram", userId: String(userId) });

  /** A provincial admin of Kermanshah, with an open invitation they made for one of its centres. */
  async function provincialWithInvite() {
    const provincial = await h.staff("provincial_admin", "kermanshah");
    const made = await createInvite(h.app.deps.invites, await actor(provincial.id), "centre_coordinator", "KSH-POS-01");
    if (!made.ok) throw new Error("not made");
    return { provincial, payload: made.value.payload };
  }

  it("a maker who lost their role since gives nothing; revoking the role deletes their open invitations", async () => {
    const { provincial, payload } = await provincialWithInvite();
    // The role is taken away behind the invitation's back (the store directly): redemption re-checks.
    await h.app.deps.store.access.revoke(
      { platform: "telegram", userId: String(provincial.id) },
      "provincial_admin",
      "kermanshah",
    );
    const user = newUser();
    expect((await h.say("telegram", user, `/start ${payload}`)).join()).toContain("دیگر معتبر نیست");
    expect((await actor(user.id)).grants).toEqual([]);
    const log = await h.app.deps.store.access.auditLog({ limit: 5 });
    expect(log[0]).toMatchObject({ action: "invite.redeem", outcome: "refused", details: { reason: "withdrawn" } });
  });

  it("/roles revoking a role deletes the invitations its holder can no longer make", async () => {
    const { provincial } = await provincialWithInvite();
    await h.say("telegram", ADMIN, "/roles");
    const list = h.sim
      .botMessages(TOKENS.telegram, ADMIN.id)
      .find((m) => m.text?.includes(`کاربر ${digits("fa", String(provincial.id))} در تلگرام`))!;
    // The button's handle, as /roles makes it for this grant.
    const handle = createHash("sha256")
      .update(`telegram:${provincial.id}:provincial_admin:kermanshah`)
      .digest("base64url")
      .slice(0, 12);
    await h.answerTo("telegram", ADMIN, list.message_id, `rv:${handle}`);
    expect((await actor(provincial.id)).grants).toEqual([]);
    expect(await h.app.deps.store.access.openInvites(new Date())).toEqual([]);
  });

  it("the CLI's revoke-role deletes them too", async () => {
    const { provincial } = await provincialWithInvite();
    const out: string[] = [];
    const io = { log: (s: string) => void out.push(s), error: (s: string) => void out.push(s) };
    const code = await rolesCommand(
      "revoke",
      [`telegram:${provincial.id}`, "provincial_admin", "kermanshah"],
      io,
      h.app.config,
    );
    expect(code, out.join("\n")).toBe(0);
    expect(await h.app.deps.store.access.openInvites(new Date())).toEqual([]);
  });

  it("/roles lists the open invitations in scope, and each can be withdrawn (forged buttons refused)", async () => {
    const { payload } = await provincialWithInvite();
    const other = await h.staff("provincial_admin", "golestan");
    await createInvite(h.app.deps.invites, await actor(other.id), "centre_coordinator", "GLS-POS-01");
    // The Kermanshah admin sees only their province's invitation.
    const kermanshahAdmin = await h.staff("provincial_admin", "kermanshah");
    const replies = await h.say("telegram", kermanshahAdmin, "/roles");
    const invites = replies.find((r) => r.includes("پیوندهای دعوت"))!;
    expect(invites).toContain("مرکز مثبت زندگی الهیه");
    expect(invites).not.toContain("GLS");
    const message = h.sim
      .botMessages(TOKENS.telegram, kermanshahAdmin.id)
      .find((m) => m.text?.includes("پیوندهای دعوت"))!;
    const withdraw = (message.reply_markup as { inline_keyboard: { callback_data: string }[][] })
      .inline_keyboard[0]![0]!.callback_data;
    expect(await h.answerTo("telegram", kermanshahAdmin, message.message_id, "ri:AAAAAAAAAAAA")).toMatchObject({
      show_alert: true,
    });
    expect(await h.answerTo("telegram", kermanshahAdmin, message.message_id, withdraw)).toMatchObject({
      text: expect.stringContaining("لغو شد"),
    });
    expect((await h.app.deps.store.access.openInvites(new Date())).map((i) => i.scope)).toEqual(["GLS-POS-01"]);
    expect((await h.say("telegram", newUser(), `/start ${payload}`)).join()).toContain("معتبر نیست");
  });
});
