import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { personAccount } from "../../src/domain/ledger.js";
import { isoDateIn } from "../../src/domain/jalali.js";
import {
  answerOffer,
  decideOffer,
  institutionFor,
  postNeed,
  reportHours,
  reviewRequest,
  submitRequest,
} from "../../src/services/matching/index.js";
import type { PersonPatch } from "../../src/store/port/index.js";
import { createHarness, newUser, TOKENS, type Harness } from "../support/harness.js";
import { storedVolunteer } from "../support/volunteer.js";
import { importSampleData } from "../support/sample.js";

describe("the time bank trusts only the server", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
    await importSampleData(h.app.deps.store);
  });
  afterEach(() => h.close());

  const volunteer = (patch: PersonPatch = {}) => storedVolunteer(h, patch);
  const actor = (userId: number) => h.app.deps.actors.of({ platform: "telegram", userId: String(userId) });
  const deliverAll = async () => {
    while ((await h.app.engine.runOnce()) > 0);
  };

  /** A citizen's request, reviewed, accepted by a helper and approved by their institution. */
  async function approvedRequest() {
    const d = h.app.deps.matching;
    const coordinator = await h.staff("centre_coordinator", "KSH-POS-01");
    const operator = await h.staff("institution_operator", "INST-KSH-01");
    const helper = await volunteer();
    const citizen = await volunteer({ skills: ["tutoring"], roles: [] });
    const today = isoDateIn(new Date(), h.config.timeZone);
    const submitted = await submitRequest(d, citizen.person, `telegram:${citizen.user.id}`, {
      skills: ["cooking"],
      wanted: 1,
      startDate: today,
      endDate: today,
      slots: ["sat.morning"],
      notes: null,
    });
    if (!submitted.ok) throw new Error("request refused");
    await reviewRequest(d, await actor(coordinator.id), submitted.value.id, true);
    const [offer] = await h.app.deps.store.needs.offers(submitted.value.id);
    await answerOffer(d, helper.person, offer!.id, "accept");
    await decideOffer(d, await actor(operator.id), offer!.id, true, null);
    return { helper, citizen, offer: offer! };
  }

  it("/needs buttons are checked by the service: another centre's need, forged or unknown, is neither shown nor closed", async () => {
    const d = h.app.deps.matching;
    const { store } = h.app.deps;
    const mine = await h.staff("centre_coordinator", "KSH-POS-01");
    const other = await h.staff("centre_coordinator", "KSH-POS-02");
    const today = isoDateIn(new Date(), h.config.timeZone);
    const posted = await postNeed(d, await actor(mine.id), {
      centreCode: "KSH-POS-01",
      role: "neighbourhood_helper",
      skills: [],
      wanted: 1,
      startDate: today,
      endDate: today,
      slots: ["sat.morning"],
      reach: "province",
      notes: null,
    });
    if (!posted.ok) throw new Error(posted.error);
    const needId = posted.value.id;
    // The other centre's coordinator has a chat with the bot; the buttons are made by hand.
    const shown = await h.say("telegram", other, "/needs");
    // Their board is empty: the need is another centre's.
    expect(shown.join("\n")).not.toContain("۱.");
    const [message] = h.sim.botMessages(TOKENS.telegram, other.id).slice(-1);
    const refused = h.app.deps.i18n.t("fa")("need.refused");
    for (const data of [
      `nd:v:${needId}`,
      `nd:c:${needId}`,
      "nd:v:00000000-0000-4000-8000-000000000000",
      "nd:c:00000000-0000-4000-8000-000000000000",
    ])
      expect((await h.answerTo("telegram", other, message!.message_id, data))?.text, data).toBe(refused);
    expect((await store.needs.get(needId))!.status).toBe("open");
    const log = (await store.access.auditLog({ limit: 50 })).filter((r) => r.outcome === "refused");
    expect(log.map((r) => `${r.action}:${r.target}`)).toEqual(
      expect.arrayContaining([
        `need.view:${needId}`,
        `need.close:${needId}`,
        "need.view:00000000-0000-4000-8000-000000000000",
        "need.close:00000000-0000-4000-8000-000000000000",
      ]),
    );
    // The centre's own coordinator sees it and closes it; a second close says it cannot be closed.
    const own = await h.say("telegram", mine, "/needs");
    expect(own.join("\n")).toContain("۱.");
    const [list] = h.sim.botMessages(TOKENS.telegram, mine.id).slice(-1);
    // It asks first; the confirmation closes; a second confirmation, or a close asked again, says it cannot be.
    await h.answerTo("telegram", mine, list!.message_id, `nd:c:${needId}`);
    expect((await store.needs.get(needId))!.status).toBe("open");
    const [confirm] = h.sim.botMessages(TOKENS.telegram, mine.id).slice(-1);
    expect((await h.answerTo("telegram", mine, confirm!.message_id, `nd:x:${needId}`))?.text).toBe(
      h.app.deps.i18n.t("fa")("needs.closed"),
    );
    expect((await h.answerTo("telegram", mine, list!.message_id, `nd:x:${needId}`))?.text).toBe(
      h.app.deps.i18n.t("fa")("needs.not_closable"),
    );
    expect((await h.answerTo("telegram", mine, list!.message_id, `nd:c:${needId}`))?.text).toBe(
      h.app.deps.i18n.t("fa")("needs.not_closable"),
    );
    // A confirmation forged for another centre's need is refused as the close is.
    expect((await h.answerTo("telegram", other, message!.message_id, `nd:x:${needId}`))?.text).toBe(refused);
  });

  it("a requester's confirmation credits the stored report; minutes and day in a button are not read", async () => {
    const { helper, citizen, offer } = await approvedRequest();
    const { store } = h.app.deps;
    await deliverAll();
    // A forged confirmation in the old shape (offer, minutes, day) is refused as a button.
    const forged = await h.answerTo(
      "telegram",
      citizen.user,
      h.last("telegram", citizen.user).message_id,
      `hc:${offer.id}:480:20261201`,
    );
    expect(forged).toMatchObject({ text: expect.stringContaining("معتبر نیست") });
    expect(await store.ledger.balance(personAccount(helper.person.id))).toBe(0);

    // Two hours reported; then, the same day, three: only the latest report can be confirmed.
    const first = await reportHours(h.app.deps.matching, await actor(helper.user.id), helper.person, offer.id, 120);
    const second = await reportHours(h.app.deps.matching, await actor(helper.user.id), helper.person, offer.id, 180);
    expect([first, second].map((r) => r.ok && r.value.status)).toEqual([
      "sent_for_confirmation",
      "sent_for_confirmation",
    ]);
    await deliverAll();
    const buttons = h.sim
      .botMessages(TOKENS.telegram, citizen.user.id)
      .flatMap(
        (m) =>
          (m.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard ?? [],
      )
      .flat()
      .map((b) => b.callback_data!)
      .filter((data) => data.startsWith("hc:"));
    expect(buttons).toHaveLength(2);
    for (const data of buttons) expect(data).toMatch(/^hc:[0-9a-f-]{36}$/);
    // The confirmation messages, found before a press takes their buttons away.
    const ids = new Map(
      buttons.map((data) => {
        const m = h.sim
          .botMessages(TOKENS.telegram, citizen.user.id)
          .find((x) => JSON.stringify(x.reply_markup ?? {}).includes(data))!;
        return [data, m.message_id] as const;
      }),
    );
    const message = (data: string) => ({ message_id: ids.get(data)! });
    // The superseded report credits nothing; the helper cannot confirm their own; the requester's confirm credits 3 h.
    await h.answerTo("telegram", citizen.user, message(buttons[0]!).message_id, buttons[0]!);
    expect(await store.ledger.balance(personAccount(helper.person.id))).toBe(0);
    h.sim.openChat(TOKENS.telegram, helper.user);
    await h.answerTo("telegram", helper.user, h.last("telegram", helper.user).message_id, buttons[1]!);
    expect(await store.ledger.balance(personAccount(helper.person.id))).toBe(0);
    await h.answerTo("telegram", citizen.user, message(buttons[1]!).message_id, buttons[1]!);
    expect(await store.ledger.balance(personAccount(helper.person.id))).toBe(180);
    // Pressed again: credited once.
    await h.answerTo("telegram", citizen.user, message(buttons[1]!).message_id, buttons[1]!);
    expect(await store.ledger.given(personAccount(helper.person.id))).toBe(180);
    expect(await store.ledger.total()).toBe(0);
  });
});

describe("the approving institution", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
    await importSampleData(h.app.deps.store);
  });
  afterEach(() => h.close());

  const personIn = async (province: string | null, source: string | null) => {
    const { store } = h.app.deps;
    const { person } = await store.people.ensure({ platform: "telegram", userId: String(newUser().id), chatId: "1" });
    if (source) await store.people.setSourceIfEmpty(person.id, source);
    return store.people.update(person.id, { province, county: null });
  };

  it("comes from a centre of the volunteer's own province, never from another province's code", async () => {
    const { store } = h.app.deps;
    const kermanshahCentre = (await store.centres.getCentre("KSH-POS-01"))!;
    const golestanCentre = (await store.centres.getCentre("GLS-POS-01"))!;
    // A Golestan volunteer who opened a Kermanshah centre's link: Golestan's institution decides.
    const visitor = await personIn("golestan", "KSH-POS-01");
    const golestanFirst = (await store.centres.listInstitutions({ province: "golestan" }))[0]!.code;
    expect(await institutionFor(store, visitor, kermanshahCentre)).toBe(golestanFirst);
    expect(golestanFirst).not.toBe(kermanshahCentre.institutionCode);
    // Registered through a centre of their own province: that centre's institution.
    const local = await personIn("kermanshah", "KSH-POS-01");
    expect(await institutionFor(store, local, golestanCentre)).toBe(kermanshahCentre.institutionCode);
    // No province of their own: the need's province's, whatever their source says.
    const unknown = await personIn(null, "KSH-POS-01");
    expect(await institutionFor(store, unknown, golestanCentre)).toBe(golestanCentre.institutionCode);
  });
});
