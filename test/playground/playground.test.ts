import { Api, InputFile } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { createI18n } from "../../src/i18n.js";
import { CHATS_FILE, Playground, PLAYGROUND_TOKENS, playgroundConfig } from "../../src/playground/index.js";
import { HttpServer } from "../../src/server/http.js";
import { tempDir, testConfig } from "../support/config.js";
import { existsSync, statSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import type { Store } from "../../src/store/port/index.js";

describe("playground web API", () => {
  const logger = createLogger("silent");
  const server = new HttpServer(logger);
  const pg = new Playground(testConfig({ ADMIN_IDS: "bale:555" }));
  let base: string;
  let tg: Api;

  beforeAll(async () => {
    // A store in which persona 10002 chose Golestan (a draft), and everyone else nothing yet.
    const store = {
      people: {
        findByIdentity: async (ref: { userId: string }) =>
          ref.userId === "10002" ? { id: "p2", province: null } : null,
        getDraft: async () => ({ v: 1, province: "golestan" }),
      },
    } as unknown as Store;
    pg.mount(server, logger, store, await createI18n());
    base = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}`;
    tg = new Api(PLAYGROUND_TOKENS.telegram, { apiRoot: base });
  });
  afterAll(() => server.close());

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${base}/playground/api/${path}`, { method: "POST", body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it("points both bots at this server, in polling mode", () => {
    const config = playgroundConfig(
      testConfig({ BOT_MODE: "webhook", PUBLIC_URL: "https://x.org", WEBHOOK_SECRET: "abcdefghijklmnop" }),
      8123,
    );
    expect(config.mode).toBe("polling");
    expect(config.bots.map((b) => [b.platform, b.apiRoot])).toEqual([
      ["telegram", "http://127.0.0.1:8123"],
      ["bale", "http://127.0.0.1:8123"],
    ]);
  });

  it("lists citizens and the sample data's staff for both platforms, and ADMIN_IDS coordinators for theirs", async () => {
    const state = (await (await fetch(`${base}/playground/api/state`)).json()) as {
      users: { id: number; role: string; platform?: string }[];
      markdown: Record<string, boolean>;
    };
    expect(state.markdown).toEqual({ telegram: false, bale: true });
    expect(state.users).toEqual([
      expect.objectContaining({ id: 10001, role: "citizen" }),
      expect.objectContaining({ id: 10002, role: "citizen" }),
      // The staff personas on every messenger (their roles are granted on each when the sample loads).
      ...[20001, 20002, 20003].map((id) => expect.objectContaining({ id, role: "coordinator" })),
      expect.objectContaining({ id: 555, role: "coordinator", platform: "bale" }),
    ]);
    expect(state.users.filter((u) => u.id >= 20001 && u.id <= 20003).map((u) => u.platform)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    // Named in Persian: no English on the page.
    expect((state.users as { id: number; first_name?: string }[]).find((u) => u.id === 555)?.first_name).toBe(
      "هماهنگ‌کننده ستاد ۵۵۵",
    );
  });

  it("serves the Vazirmatn font the page asks for, from the vazirmatn package", async () => {
    const css = await (await fetch(`${base}/playground/style.css`)).text();
    expect(css).toContain('url("/playground/vazirmatn.woff2")');
    const font = await fetch(`${base}/playground/vazirmatn.woff2`);
    expect(font.status).toBe(200);
    expect(font.headers.get("content-type")).toBe("font/woff2");
    expect(
      Buffer.from(await font.arrayBuffer())
        .subarray(0, 4)
        .toString("latin1"),
    ).toBe("wOF2");
  });

  /** A request with the headers a browser page would send (node:http: fetch cannot set Host). */
  const browser = (method: string, path: string, headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const req = request(`${base}${path}`, { method, headers }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on("error", reject);
      req.end(method === "POST" ? JSON.stringify({ platform: "telegram", user: 10001, text: "سلام" }) : undefined);
    });

  it("refuses other sites' pages: a cross-site POST (Origin, Sec-Fetch-Site) and a Host that is not its own (DNS rebinding)", async () => {
    const port = new URL(base).port;
    let offset = 0;
    /** How many updates reached the bot since the last call (and confirms them, as a bot does). */
    const sent = async () => {
      const updates = await tg.getUpdates({ timeout: 0, offset });
      offset = (updates.at(-1)?.update_id ?? offset - 1) + 1;
      await tg.getUpdates({ timeout: 0, offset });
      return updates.length;
    };
    await sent();
    // A page on evil.example posting to the playground: refused, nothing reaches the bot.
    expect(await browser("POST", "/playground/api/send", { origin: "https://evil.example" })).toBe(403);
    expect(await browser("POST", "/playground/api/send", { origin: "null" })).toBe(403);
    expect(await browser("POST", "/playground/api/send", { "sec-fetch-site": "cross-site" })).toBe(403);
    expect(
      await browser("POST", `/bot${PLAYGROUND_TOKENS.telegram}/getUpdates`, { origin: "https://evil.example" }),
    ).toBe(403);
    // A rebound name: even its GETs are refused (the page could read the chats).
    expect(await browser("GET", "/playground/api/state", { host: `evil.example:${port}` })).toBe(421);
    expect(
      await browser("POST", "/playground/api/send", {
        host: `evil.example:${port}`,
        origin: `http://evil.example:${port}`,
      }),
    ).toBe(421);
    expect(await sent()).toBe(0);
    // The page itself, by any loopback name; a form on a no-referrer page (Origin: null, but same-origin) too.
    expect(await browser("POST", "/playground/api/send", { origin: "null", "sec-fetch-site": "same-origin" })).toBe(
      200,
    );
    expect(await browser("POST", "/playground/api/send", { origin: base, "sec-fetch-site": "same-origin" })).toBe(200);
    expect(
      await browser("POST", "/playground/api/send", { host: `localhost:${port}`, origin: `http://localhost:${port}` }),
    ).toBe(200);
    expect(await browser("GET", "/playground/api/state", { host: `[::1]:${port}` })).toBe(200);
    expect(await sent()).toBe(3);
  });

  it("turns the page's actions into updates for the bot, and refuses bad ones", async () => {
    expect((await post("send", { platform: "telegram", user: 10001, text: "سلام" })).status).toBe(200);
    expect((await post("contact", { platform: "telegram", user: 10001 })).status).toBe(200);
    expect((await post("location", { platform: "telegram", user: 10001, lat: 36.8, lon: 54.4 })).status).toBe(200);
    const updates = await tg.getUpdates({ timeout: 0 });
    expect(
      updates.map((u) => u.message?.text ?? u.message?.contact?.phone_number ?? u.message?.location?.latitude),
    ).toEqual(["سلام", "09120010001", 36.8]);
    expect((await post("send", { platform: "whatsapp", user: 10001, text: "x" })).status).toBe(400);
    expect((await post("send", { platform: "telegram", user: 10001, text: "  " })).status).toBe(400);
    expect((await post("press", { platform: "telegram", user: 10001, messageId: 999_999, data: "x" })).status).toBe(
      400,
    );
    expect((await post("users", { name: "" })).status).toBe(400);
    expect((await post("users", { name: "نیما" })).body.user).toMatchObject({ first_name: "نیما", role: "citizen" });
  });

  it("reads each action's body against its schema: a wrong type, a point off the globe, a body that is not JSON", async () => {
    const before = (await tg.getUpdates({ timeout: 0 })).at(-1)?.update_id ?? 0;
    const bad = [
      await post("location", { platform: "telegram", user: 10001, lat: "north", lon: 54.4 }),
      await post("location", { platform: "telegram", user: 10001, lat: 91, lon: 54.4 }),
      await post("send", { platform: "telegram", user: 10001, text: 5 }),
      await post("send", { platform: "telegram", user: 10001, text: "x".repeat(4097) }),
      await post("press", { platform: "telegram", user: 10001, messageId: "first", data: "x" }),
      await post("users", { name: ["نیما"] }),
    ];
    expect(bad.map((r) => r.status)).toEqual([400, 400, 400, 400, 400, 400]);
    for (const r of bad) expect(typeof r.body.error).toBe("string");
    const junk = await fetch(`${base}/playground/api/send`, { method: "POST", body: "{platform:" });
    expect(junk.status).toBe(400);
    expect(((await junk.json()) as { error: string }).error).toMatch(/JSON/);
    expect((await post("nothing", { platform: "telegram", user: 10001 })).status).toBe(404);
    // Nothing reached the bot.
    expect((await tg.getUpdates({ offset: before + 1, timeout: 0 })).length).toBe(0);
  });

  it("shows what the bot sent, photos included, in the chat history", async () => {
    const png = Buffer.from("89504e470d0a1a0a0000", "hex");
    await tg.sendPhoto(10001, new InputFile(png, "chart.png"), { caption: "نمودار" });
    const history = (await (await fetch(`${base}/playground/api/history?platform=telegram&user=10001`)).json()) as {
      messages: { fromBot: boolean; photo: string | null; caption: string | null }[];
    };
    const photo = history.messages.find((m) => m.photo)!;
    expect(photo).toMatchObject({ fromBot: true, caption: "نمودار" });
    const file = await fetch(base + photo.photo);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(png);
    const page = await (await fetch(`${base}/`)).text();
    expect(page).toContain('lang="fa" dir="rtl"');
  });

  it("the location button puts a persona in the province it chose (its capital), else in Tehran", async () => {
    const before = await tg.getUpdates({ offset: -1 }).catch(() => []);
    const offset = before.at(-1) ? before.at(-1)!.update_id + 1 : undefined;
    expect((await post("location", { platform: "telegram", user: 10002 })).status).toBe(200);
    expect((await post("location", { platform: "telegram", user: 10001 })).status).toBe(200);
    const updates = await tg.getUpdates({ offset, timeout: 0 });
    const points = updates.map((u) => u.message?.location).filter(Boolean);
    expect(points.at(-2)).toMatchObject({ latitude: 36.84, longitude: 54.43 });
    expect(points.at(-1)).toMatchObject({ latitude: 35.6892, longitude: 51.389 });
  });
});

describe("the playground's simulated platform", () => {
  it("keeps its chats in DATA_DIR across a restart, so registered people stay reachable", async () => {
    const config = testConfig({ DATA_DIR: tempDir() });
    const first = new Playground(config);
    const user = first.users.find((u) => u.role === "citizen")!;
    first.sim.sendText(PLAYGROUND_TOKENS.telegram, user, "سلام");
    await new Promise((r) => setTimeout(r, 1300));
    expect(existsSync(join(config.dataDir, CHATS_FILE))).toBe(true);
    expect(statSync(join(config.dataDir, CHATS_FILE)).mode & 0o777).toBe(0o600);
    const again = new Playground(config);
    expect(again.sim.history(PLAYGROUND_TOKENS.telegram, user.id).map((m) => m.text)).toEqual(["سلام"]);
    // The bot can write to the chat again: it is known.
    const api = again.sim;
    expect(() => api.botMessages(PLAYGROUND_TOKENS.telegram, user.id)).not.toThrow();
    const next = again.sim.sendText(PLAYGROUND_TOKENS.telegram, user, "دوباره");
    expect(next.message_id).toBeGreaterThan(again.sim.history(PLAYGROUND_TOKENS.telegram, user.id)[0]!.message_id);
  });
});
