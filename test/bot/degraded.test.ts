import { afterEach, describe, expect, it } from "vitest";
import { createHarness, newUser, type Harness } from "../support/harness.js";
import { hasRedisServer, privateRedis, storeOutage } from "../support/faults.js";
import { waitFor } from "../support/process.js";
import { REGISTER_ANSWERS, walk } from "../support/registration.js";

/**
 * Degraded modes: the store unreachable (readiness fails, people are asked
 * to try again shortly, nothing they were told was saved is lost), and Redis
 * unreachable (the bot keeps answering from this process, and goes back to
 * Redis when it returns).
 */

const ports = new WeakMap<Harness, number>();
/** Serves the app's HTTP routes (health, metrics) without starting its bots. */
const serve = async (h: Harness) => ports.set(h, await h.app.server.listen(0, "127.0.0.1"));
const readiness = async (h: Harness) => {
  const port = ports.get(h)!;
  const res = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, string> } };
};
const metric = async (h: Harness, line: string) => {
  const text = await h.app.deps.metrics.registry.metrics();
  return text.split("\n").find((l) => l.startsWith(line));
};

describe("store unreachable", () => {
  let h: Harness;
  afterEach(() => h.close());

  it("fails readiness, asks to try again shortly, keeps the step, and goes on when it is back", async () => {
    h = await createHarness();
    await serve(h);
    const outage = storeOutage(h.app.deps.store);
    const user = newUser("ژیلا");
    await h.say("telegram", user, "/start");
    await h.tap("telegram", user, "r:consent:yes");
    expect(h.last("telegram", user).text).toContain("نام و نام خانوادگی");

    outage.down = true;
    expect(await readiness(h)).toMatchObject({ status: 503, body: { status: "not ready" } });
    expect((await readiness(h)).body.checks.store).toMatch(/^down/);
    // Inside the registration: the answer is not taken, and the user is told so.
    expect(await h.say("telegram", user, "ژیلا کریمی")).toEqual([expect.stringContaining("کمی بعد دوباره")]);
    // Outside any conversation (a new person): the same answer, never a generic apology.
    const other = newUser();
    expect(await h.say("bale", other, "/start")).toEqual([expect.stringContaining("کمی بعد دوباره")]);
    expect(await metric(h, 'hamdel_dependency_up{dependency="store"}')).toMatch(/ 0$/);
    // A button pressed meanwhile: the callback is answered with the same words.
    const prompt = h.last("telegram", user);
    const answer = await h.answerTo("telegram", user, prompt.message_id, "r:back");
    expect(answer).toMatchObject({ text: expect.stringContaining("کمی بعد دوباره") });

    outage.down = false;
    expect(await readiness(h)).toMatchObject({ status: 200, body: { status: "ready" } });
    // The same step, asked again: the answer now goes through to the next step.
    expect(await h.say("telegram", user, "ژیلا کریمی")).toEqual(
      expect.arrayContaining([expect.stringContaining("شماره همراه")]),
    );
    const person = await h.app.deps.store.people.findByIdentity({ platform: "telegram", userId: String(user.id) });
    expect(await h.app.deps.store.people.getDraft(person!.id)).toMatchObject({ firstName: "ژیلا", lastName: "کریمی" });
  });

  it("a registration whose final save fails stays at its last step, and completes on the next try", async () => {
    h = await createHarness();
    // Reads still work; writes fail (a primary lost, a locked file).
    const outage = storeOutage(h.app.deps.store, /^(update|saveDraft|ping)$/);
    const user = newUser();
    // Everything up to the last step (when one is free), then the store goes away just before its answer.
    const steps = await walk(h, "telegram", user, "availability", REGISTER_ANSWERS());
    expect(steps.at(-1)).toContain("چه زمان‌هایی آزادید");
    await h.tap("telegram", user, "r:ag");
    await h.tap("telegram", user, "r:a:sat.morning");
    outage.down = true;
    const refused = await h.tap("telegram", user, "r:h:4");
    // (The step's own message may come first: the harness counts it when its edit falls in a new second.)
    expect(refused.filter((t) => !t.includes("چه زمان‌هایی آزادید"))[0]).toContain("کمی بعد دوباره");
    // …and the step is asked again, with its buttons and the choice already made.
    expect(refused.at(-1)).toContain("چه زمان‌هایی آزادید");
    const again = h.last("telegram", user).reply_markup as {
      inline_keyboard: { text: string; callback_data: string }[][];
    };
    expect(again.inline_keyboard.flat().find((b) => b.callback_data === "r:a:sat.morning")?.text).toContain("✅");
    outage.down = false;
    const done = await h.tap("telegram", user, "r:h:4");
    expect(done.join("\n")).toContain("ثبت‌نام شما کامل شد");
    const person = await h.app.deps.store.people.findByIdentity({ platform: "telegram", userId: String(user.id) });
    expect(person?.volunteerCode).toMatch(/^HM-/);
  });
});

describe.skipIf(!hasRedisServer())("Redis unreachable", () => {
  let h: Harness;
  let redis: Awaited<ReturnType<typeof privateRedis>>;
  afterEach(async () => {
    await h.close();
    await redis.kill();
  });

  it("keeps answering mid-conversation, reports itself degraded, and returns to Redis when it is back", async () => {
    redis = await privateRedis();
    h = await createHarness({ env: { REDIS_URL: redis.url } });
    await serve(h);
    expect(h.app.deps.state.kind).toBe("redis");
    const user = newUser("ترانه");
    await h.say("bale", user, "/start");
    await h.tap("bale", user, "r:consent:yes");

    await redis.kill();
    await waitFor("degraded", () => (h.app.deps.state.available() ? undefined : true));
    expect(await readiness(h)).toMatchObject({ status: 200, body: { status: "degraded" } });
    expect((await readiness(h)).body.checks.state).toMatch(/^degraded/);
    expect(await metric(h, 'hamdel_dependency_up{dependency="state"}')).toMatch(/ 0$/);
    // The conversation goes on from where it was (its state was in Redis, is now read from... this process).
    expect((await h.say("bale", user, "ترانه صالحی")).join("\n")).toContain("شماره همراه");
    await h.contact("bale", user, "+989121112233");
    expect(h.last("bale", user).text).toContain("کد ملی");
    // A duplicate update is still dropped (claims kept in this process meanwhile).
    const replayed = {
      update_id: 777_001,
      message: {
        message_id: 1,
        date: 1,
        chat: { id: user.id, type: "private" as const, first_name: "x" },
        from: { id: user.id, is_bot: false, first_name: "x" },
        text: "/help",
      },
    };
    const bot = h.app.bots.get("bale")!;
    const before = h.sim.calls.length;
    await bot.handleUpdate(replayed as never);
    await bot.handleUpdate(replayed as never);
    expect(h.sim.calls.slice(before).filter((c) => c.method === "sendMessage")).toHaveLength(1);

    await redis.start();
    await waitFor("back on Redis", () => (h.app.deps.state.available() ? true : undefined), 10_000);
    expect(await readiness(h)).toMatchObject({ status: 200, body: { status: "ready" } });
    // The answers given during the outage are kept: the next step follows on.
    expect((await h.say("bale", user, "0012345679")).join("\n")).toContain("سال تولد");
    const person = await h.app.deps.store.people.findByIdentity({ platform: "bale", userId: String(user.id) });
    expect(await h.app.deps.store.people.getDraft(person!.id)).toMatchObject({
      firstName: "ترانه",
      phone: "09121112233",
      nationalId: "0012345679",
    });
  }, 30_000);
});
