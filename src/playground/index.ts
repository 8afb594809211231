import { createRequire } from "node:module";
import { digits } from "../format.js";
import type { Store } from "../store/port/index.js";
import type { I18n } from "../i18n.js";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { capabilitiesOf, PLATFORMS, type Platform } from "../platforms/capabilities.js";
import { jsonRoute, sendJson, type HttpServer } from "../server/http.js";
import { z } from "zod";
import type { shiftedClock } from "../domain/clock.js";
import { mountBotApi } from "./bot-api/server.js";
import { BotApiSimulator, type SimMessage, type SimUser } from "./bot-api/simulator.js";
import { SIMULATED_CITIZENS, SIMULATED_STAFF } from "./data/simulated-users.js";
import { playgroundRequestGuard } from "./guard.js";

/**
 * The local playground: the bot runs unchanged against an in-process
 * Bot-API-compatible messenger (both platforms' personas), and a web chat
 * page lets people talk to it as several simulated users.
 */

/** Each platform's simulated bot token (`100001:playground-telegram-token`, `200002:…-bale-token`, …). */
export const PLAYGROUND_TOKENS = Object.fromEntries(
  PLATFORMS.map((p, i) => [p, `${(i + 1) * 100001}:playground-${p}-token`]),
) as Record<Platform, string>;

export interface PlaygroundUser extends SimUser {
  role: "citizen" | "coordinator";
  /** Only this platform (coordinators from ADMIN_IDS); citizens use both. */
  platform?: Platform;
  /** What the contact button shares. */
  phone: string;
}

/** The configuration `npm start` uses when no token is set: both bots, against this process. */
export function playgroundConfig(config: Config, port: number): Config {
  // The bots reach this process where it listens (any interface: through loopback).
  const host = config.playgroundHost;
  const local = host === "0.0.0.0" || host === "::" || host === "localhost" ? "127.0.0.1" : host;
  const apiRoot = `http://${local.includes(":") ? `[${local}]` : local}:${port}`;
  return {
    ...config,
    port,
    mode: "polling",
    bots: PLATFORMS.map((platform) => ({ platform, token: PLAYGROUND_TOKENS[platform], apiRoot })),
  };
}

const webDir = fileURLToPath(new URL("./web/", import.meta.url));
const STATIC: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/playground/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/playground/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
};

/** The page's Persian font, served from the `vazirmatn` package (one variable font, every weight). */
const FONT_FILE = createRequire(import.meta.url).resolve("vazirmatn/fonts/webfonts/Vazirmatn[wght].woff2");

/** Each province's capital, roughly: where the playground's location button puts a persona. */
const PROVINCE_CAPITALS: Record<string, { lat: number; lon: number }> = {
  alborz: { lat: 35.84, lon: 50.94 },
  ardabil: { lat: 38.25, lon: 48.29 },
  azarbaijan_east: { lat: 38.08, lon: 46.29 },
  azarbaijan_west: { lat: 37.55, lon: 45.07 },
  bushehr: { lat: 28.97, lon: 50.84 },
  chaharmahal: { lat: 32.33, lon: 50.86 },
  fars: { lat: 29.59, lon: 52.58 },
  gilan: { lat: 37.28, lon: 49.58 },
  golestan: { lat: 36.84, lon: 54.43 },
  hamadan: { lat: 34.8, lon: 48.51 },
  hormozgan: { lat: 27.18, lon: 56.27 },
  ilam: { lat: 33.64, lon: 46.42 },
  isfahan: { lat: 32.65, lon: 51.67 },
  kerman: { lat: 30.28, lon: 57.08 },
  kermanshah: { lat: 34.31, lon: 47.07 },
  khorasan_north: { lat: 37.47, lon: 57.33 },
  khorasan_razavi: { lat: 36.3, lon: 59.6 },
  khorasan_south: { lat: 32.87, lon: 59.22 },
  khuzestan: { lat: 31.32, lon: 48.67 },
  kohgiluyeh: { lat: 30.67, lon: 51.59 },
  kurdistan: { lat: 35.31, lon: 47.0 },
  lorestan: { lat: 33.49, lon: 48.36 },
  markazi: { lat: 34.09, lon: 49.69 },
  mazandaran: { lat: 36.56, lon: 53.06 },
  qazvin: { lat: 36.27, lon: 50.0 },
  qom: { lat: 34.64, lon: 50.88 },
  semnan: { lat: 35.58, lon: 53.39 },
  sistan_baluchestan: { lat: 29.5, lon: 60.86 },
  tehran: { lat: 35.6892, lon: 51.389 },
  yazd: { lat: 31.9, lon: 54.37 },
  zanjan: { lat: 36.68, lon: 48.48 },
};

/** Where the simulated platform keeps its chats, in DATA_DIR. */
export const CHATS_FILE = "playground-chats.json";

/** The page's requests are a chat message or a button press: small. */
export const PLAYGROUND_MAX_BODY = 16 * 1024;
/** The longest text message, as Telegram's Bot API allows (4,096 characters). */
const TEXT_MAX = 4096;
/** How far the page may move the clock in one step (two weeks: a need's whole first fortnight). */
const MAX_CLOCK_HOURS = 14 * 24;

/** The app's clock as the playground moves it, and what to run once it has moved. */
export interface PlaygroundClock {
  clock: ReturnType<typeof shiftedClock>;
  afterMove(): Promise<void>;
}

/** The simulated bot's username on a platform. */
const botUsername = (platform: Platform) => `hamdel_${platform}_bot`;

/** Whose chat an action is in: a platform, and a persona's id (a number, or its digits). */
const CHAT = { platform: z.enum(PLATFORMS), user: z.coerce.number().int().positive() };

/** A message as the web page draws it. */
function view(platform: Platform, userId: number, m: SimMessage) {
  const file = `/playground/api/file/${platform}/${userId}/${m.message_id}`;
  return {
    id: m.message_id,
    fromBot: m.from.is_bot,
    text: m.text ?? null,
    caption: m.caption ?? null,
    /** The commands the platform found in the text (UTF-16 offsets), tappable as in its clients. */
    commands: (m.entities ?? []).map((e) => [e.offset, e.length]),
    date: m.date,
    edited: m.edit_date !== undefined,
    deleted: m.deleted === true,
    replyMarkup: m.reply_markup ?? null,
    photo: m.photo ? file : null,
    document: m.document ? { url: file, name: m.document.file_name ?? "file" } : null,
    contact: m.contact?.phone_number ?? null,
    location: m.location ?? null,
    sticker: "sticker" in m,
  };
}

export class Playground {
  readonly sim = new BotApiSimulator();
  readonly users: PlaygroundUser[] = [];
  readonly #callbacks = new Map<string, { platform: Platform; userId: number }>();
  #nextUserId = 10_001;

  /**
   * The simulated platform keeps its chats in DATA_DIR, as a real one keeps
   * them across our restarts: otherwise every registered person's chat is
   * "not found" after one, and they are counted unreachable. Saved (owner
   * only) a second after a change; loaded at start.
   */
  #keepChats(path: string): void {
    if (existsSync(path)) {
      try {
        this.sim.restore(JSON.parse(readFileSync(path, "utf8")) as ReturnType<BotApiSimulator["snapshot"]>);
      } catch {
        // A damaged file: start with no chats, as a first run does.
      }
    }
    let dirty = false;
    for (const event of ["message", "bot-message", "update", "edit", "delete"])
      this.sim.on(event, () => (dirty = true));
    const save = () => {
      if (!dirty) return;
      dirty = false;
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, JSON.stringify(this.sim.snapshot()), { mode: 0o600 });
    };
    setInterval(save, 1000).unref();
    process.once("beforeExit", save);
  }
  #store: Store | undefined;
  /** The app's clock, moved ahead from the page (a day of service in one sitting), and what runs after it moves. */
  #clock: PlaygroundClock | undefined;

  /** The capital of the province a persona chose in its registration (or profile); Tehran before it chose. */
  async #provincePoint(platform: Platform, userId: number): Promise<{ lat: number; lon: number }> {
    const person = await this.#store?.people.findByIdentity({ platform, userId: String(userId) }).catch(() => null);
    const province = person
      ? (person.province ?? (await this.#store!.people.getDraft(person.id))?.province)
      : undefined;
    return PROVINCE_CAPITALS[province ?? "tehran"] ?? PROVINCE_CAPITALS.tehran!;
  }

  readonly #host: string;

  constructor(config: Config) {
    this.#host = config.playgroundHost;
    for (const platform of PLATFORMS) this.sim.addBot(PLAYGROUND_TOKENS[platform], platform, botUsername(platform));
    this.#keepChats(join(config.dataDir, CHATS_FILE));
    for (const name of SIMULATED_CITIZENS) this.addUser(name, "citizen");
    for (const staff of SIMULATED_STAFF)
      this.users.push({
        id: staff.id,
        first_name: staff.name,
        role: "coordinator",
        phone: `0912${String(staff.id).padStart(7, "0")}`,
      });
    for (const admin of config.adminIds) {
      this.users.push({
        id: Number(admin.userId),
        // Named in Persian once mounted (the locale's `playground.admin_persona`).
        first_name: admin.userId,
        role: "coordinator",
        platform: admin.platform,
        phone: `0912${String(admin.userId).padStart(7, "0").slice(-7)}`,
      });
    }
  }

  addUser(name: string, role: PlaygroundUser["role"] = "citizen"): PlaygroundUser {
    const id = this.#nextUserId++;
    const user: PlaygroundUser = { id, first_name: name, role, phone: `0912${String(id).padStart(7, "0")}` };
    this.users.push(user);
    return user;
  }

  /** Lets the page move the app's clock ahead (the playground's own, never a real deployment's). */
  useClock(clock: PlaygroundClock): void {
    this.#clock = clock;
  }

  #clockView() {
    if (!this.#clock) return { now: new Date().toISOString(), shiftedHours: 0 };
    return {
      now: new Date(this.#clock.clock.now()).toISOString(),
      shiftedHours: this.#clock.clock.shiftMs() / 3_600_000,
    };
  }

  /** Mounts the Bot API, the page and the page's JSON/SSE API on the server. */
  mount(server: HttpServer, logger: Logger, store?: Store, i18n?: I18n): void {
    this.#store = store;
    server.guard(playgroundRequestGuard(this.#host));
    // ADMIN_IDS personas by their Persian name: «هماهنگ‌کننده ستاد ۹۰۰۰۱», no English on the page.
    if (i18n)
      for (const u of this.users)
        if (u.role === "coordinator" && u.first_name === String(u.id))
          u.first_name = i18n.t("fa")("playground.admin_persona", { id: digits("fa", String(u.id)) });
    mountBotApi(server, this.sim, logger);
    const pages = Object.fromEntries(
      Object.entries(STATIC).map(([path, s]) => [path, { body: readFileSync(webDir + s.file), type: s.type }]),
    );
    const font = readFileSync(FONT_FILE);
    server.route("GET", "/playground/vazirmatn.woff2", (_req, res) => {
      res.writeHead(200, { "content-type": "font/woff2", "cache-control": "max-age=86400" });
      res.end(font);
    });
    for (const [path, page] of Object.entries(pages)) {
      server.route("GET", path, (_req, res) => {
        res.writeHead(200, { "content-type": page.type, "cache-control": "no-store" });
        res.end(page.body);
      });
    }
    server.route("GET", "/playground/api/state", (_req, res) =>
      sendJson(res, 200, {
        // One tab per platform, named and dressed from the locale and the capability table; Bale's first (and shown
        // first), as invitations list it: the messenger most of Hamdel's volunteers will use.
        platforms: [...PLATFORMS].sort((a, b) => capabilitiesOf(a).linkRank - capabilitiesOf(b).linkRank).map((p) => ({
          id: p,
          name: i18n?.t("fa")(`platform_name.${p}`) ?? p,
          look: capabilitiesOf(p).look,
          // Its bot's deep links: the page opens them inside itself (an invitation, a check-in), as the app would.
          link: `${capabilitiesOf(p).deepLinkBase}${botUsername(p)}?start=`,
        })),
        users: this.users,
        // The page renders plain text as the platform would (Bale: as Markdown), from the capability table.
        markdown: Object.fromEntries(PLATFORMS.map((p) => [p, capabilitiesOf(p).markdownInPlainText])),
      }),
    );
    server.route("GET", "/playground/api/history", (_req, res, url) => {
      const target = this.#target(url.searchParams.get("platform"), url.searchParams.get("user"));
      if (!target) return sendJson(res, 400, { error: "unknown platform or user" });
      const history = this.sim.history(PLAYGROUND_TOKENS[target.platform], target.user.id);
      sendJson(res, 200, { messages: history.map((m) => view(target.platform, target.user.id, m)) });
    });
    this.#actions(server);
    server.route("GET", "/playground/api/clock", (_req, res) => sendJson(res, 200, this.#clockView()));
    server.route(
      "POST",
      "/playground/api/clock",
      jsonRoute(z.object({ hours: z.number().positive().max(MAX_CLOCK_HOURS) }), async (body, res) => {
        if (!this.#clock) return sendJson(res, 404, { error: "no clock" });
        this.#clock.clock.advance(body.hours * 3_600_000);
        // What would have happened meanwhile happens now: reminders, waves, the day's digest, the outbox.
        await this.#clock.afterMove();
        return sendJson(res, 200, this.#clockView());
      }),
      { maxBody: PLAYGROUND_MAX_BODY },
    );
    server.route("GET", "/playground/api/events", (_req, res) => this.#events(res));
    server.route("GET", "/playground/api/file/*", (_req, res, url) => {
      const [, , , , platform, userId, messageId] = url.pathname.split("/");
      const target = this.#target(platform ?? null, userId ?? null);
      const message = target
        ? this.sim
            .history(PLAYGROUND_TOKENS[target.platform], target.user.id)
            .find((m) => m.message_id === Number(messageId))
        : undefined;
      if (!message?.file) return sendJson(res, 404, { error: "no such file" });
      res.writeHead(200, { "content-type": message.file.mime || "application/octet-stream" });
      res.end(message.file.bytes);
    });
  }

  #target(platform: string | null, userId: string | null) {
    const user = this.users.find((u) => String(u.id) === userId);
    if (!user || !PLATFORMS.includes(platform as Platform)) return undefined;
    return { platform: platform as Platform, user };
  }

  /**
   * The page's actions, one route each, each body read against its schema
   * (`jsonRoute`: 400 with what was wrong before anything reaches the bot).
   */
  #actions(server: HttpServer) {
    const post = <T extends z.ZodRawShape>(
      action: string,
      shape: T,
      act: (body: z.infer<z.ZodObject<T>>, res: ServerResponse) => unknown,
    ) =>
      server.route("POST", `/playground/api/${action}`, jsonRoute(z.object(shape), act), {
        maxBody: PLAYGROUND_MAX_BODY,
      });
    /** An action in a persona's chat: its platform and user, who must exist. */
    const inChat = <T extends z.ZodRawShape>(
      action: string,
      shape: T,
      act: (
        body: z.infer<z.ZodObject<T>>,
        chat: { platform: Platform; user: PlaygroundUser; token: string },
      ) => unknown,
    ) =>
      post(action, { ...CHAT, ...shape }, (body, res) => {
        const chat = body as { platform: Platform; user: number };
        const target = this.#target(chat.platform, String(chat.user));
        if (!target) return sendJson(res, 400, { error: "unknown platform or user" });
        return sendJson(res, 200, act(body as never, { ...target, token: PLAYGROUND_TOKENS[target.platform] }));
      });

    post("users", { name: z.string().trim().min(1, "a name is needed") }, (body, res) =>
      sendJson(res, 200, { user: this.addUser(body.name.slice(0, 40)) }),
    );
    inChat(
      "send",
      {
        text: z
          .string()
          .max(TEXT_MAX)
          .refine((t) => t.trim() !== "", "empty message"),
      },
      (b, c) => ({
        id: this.sim.sendText(c.token, c.user, b.text).message_id,
      }),
    );
    inChat("contact", {}, (_b, c) => ({ id: this.sim.sendContact(c.token, c.user, c.user.phone).message_id }));
    inChat("sticker", {}, (_b, c) => ({ id: this.sim.sendSticker(c.token, c.user).message_id }));
    post(
      "location",
      { ...CHAT, lat: z.number().min(-90).max(90).optional(), lon: z.number().min(-180).max(180).optional() },
      async (body, res) => {
        const target = this.#target(body.platform, String(body.user));
        if (!target) return sendJson(res, 400, { error: "unknown platform or user" });
        // A point in the province the person chose (its capital), else Tehran.
        const here = await this.#provincePoint(target.platform, target.user.id);
        const token = PLAYGROUND_TOKENS[target.platform];
        const id = this.sim.sendLocation(token, target.user, body.lat ?? here.lat, body.lon ?? here.lon).message_id;
        return sendJson(res, 200, { id });
      },
    );
    post("press", { ...CHAT, messageId: z.coerce.number().int().positive(), data: z.string().max(64) }, (body, res) => {
      const target = this.#target(body.platform, String(body.user));
      if (!target) return sendJson(res, 400, { error: "unknown platform or user" });
      try {
        const id = this.sim.press(PLAYGROUND_TOKENS[target.platform], target.user, body.messageId, body.data);
        this.#callbacks.set(id, { platform: target.platform, userId: target.user.id });
        return sendJson(res, 200, { callbackId: id });
      } catch (e) {
        return sendJson(res, 400, { error: (e as Error).message });
      }
    });
  }

  /** Server-sent events: every change in any chat; the page keeps the ones it shows. */
  #events(res: ServerResponse) {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
    res.write(": connected\n\n");
    const platformOf = (token: string) => PLATFORMS.find((p) => PLAYGROUND_TOKENS[p] === token);
    const send = (type: string, token: string, userId: number, message: SimMessage) => {
      const platform = platformOf(token);
      if (platform)
        res.write(`data: ${JSON.stringify({ type, platform, userId, message: view(platform, userId, message) })}\n\n`);
    };
    const onBot = (e: { token: string; userId: number; message: SimMessage }) =>
      send("message", e.token, e.userId, e.message);
    const onUser = onBot;
    const onEdit = (e: { token: string; userId: number; message: SimMessage }) =>
      send("edit", e.token, e.userId, e.message);
    const onDelete = (e: { token: string; userId: number; message: SimMessage }) =>
      send("delete", e.token, e.userId, e.message);
    const onAnswer = (e: { id: string; params: Record<string, unknown> }) => {
      const target = this.#callbacks.get(e.id);
      if (!target) return;
      this.#callbacks.delete(e.id);
      const text = typeof e.params.text === "string" ? e.params.text : "";
      res.write(
        `data: ${JSON.stringify({ type: "answer", platform: target.platform, userId: target.userId, text, alert: e.params.show_alert === true })}\n\n`,
      );
    };
    this.sim.on("bot-message", onBot);
    this.sim.on("message", onUser);
    this.sim.on("edit", onEdit);
    this.sim.on("delete", onDelete);
    this.sim.on("callback-answer", onAnswer);
    const ping = setInterval(() => res.write(": ping\n\n"), 15_000);
    // The response's close, not the request's: the connection going away is what ends the stream.
    res.on("close", () => {
      clearInterval(ping);
      this.sim.off("bot-message", onBot);
      this.sim.off("message", onUser);
      this.sim.off("edit", onEdit);
      this.sim.off("delete", onDelete);
      this.sim.off("callback-answer", onAnswer);
    });
  }
}
