/**
 * What the benchmarks that drive the real process over its webhook share:
 * a registration's updates, made by the simulator as the platform makes
 * them; posting them; starting and stopping processes; percentiles.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { createConnection, createServer } from "node:net";
import { num } from "../../../src/format.js";
import { createI18n } from "../../../src/i18n.js";
import type { BotApiSimulator } from "../../../src/playground/bot-api/simulator.js";

export const print = (label: string, value: string) => console.log(`${label.padEnd(52)} ${value}`);

/** A valid national ID for person `n` (10 digits, Iran's checksum). */
export function nationalId(n: number): string {
  const body = String(100_000_000 + n).slice(-9);
  const sum = [...body].reduce((s, d, i) => s + Number(d) * (10 - i), 0) % 11;
  return body + String(sum < 2 ? sum : 11 - sum);
}

/** What a person does: types, shares their contact, or presses the button that reads `press` (as shown). */
export type Step = { text: string } | { contact: string } | { press: string };

const fa = (await createI18n()).t("fa");
const faNum = (n: number) => num("fa", n);

/**
 * A full registration as a person makes it, by what the buttons say (the
 * locale's Persian labels), never by recorded callback data: a change to the
 * flow's buttons that a person could still follow keeps the benchmark running,
 * and one they could not follow stops it, naming the button it did not find.
 */
export const registration = (n: number): Step[] => [
  { text: "/start" },
  { press: fa("registration.consent_accept") },
  { text: "مریم احمدی" },
  // A number of their own: a number already registered is «in use» (ids are 10M, 20M + r×1M…, plus < 100k).
  { contact: `+98912${String((Math.floor(n / 1_000_000) * 100_000 + (n % 100_000)) % 10_000_000).padStart(7, "0")}` },
  { text: nationalId(n) },
  { press: fa("registration.decade_label", { from: faNum(1360), to: faNum(1369) }) },
  { press: faNum(1368) },
  { press: fa("registration.gender_female") },
  { press: fa("taxonomy.province.golestan") },
  { press: fa("taxonomy.county.golestan.gorgan") },
  { text: "شهرک بهاران" },
  { press: fa("taxonomy.skill.infant_care") },
  { press: fa("registration.done") },
  // «مادریار» is ticked already: infant care suggests it.
  { press: fa("registration.done") },
  { press: fa("registration.preset.weekday_mornings") },
  { press: fa("registration.hours", { n: faNum(4) }) },
];

type SimMessage = ReturnType<BotApiSimulator["botMessages"]>[number];
type Button = { text: string; callback_data?: string };
const buttonsOf = (m: SimMessage): Button[] =>
  ((m.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
/** The button a person means by `label`: its text, or its text ticked. */
const reads = (b: Button, label: string) => b.text === label || b.text === `✅ ${label}`;

/** Each message's keyboard as it is now (to tell a new or changed one from what was there before a step). */
const keyboards = (sim: BotApiSimulator, token: string, id: number) =>
  new Map(sim.botMessages(token, id).map((m) => [m.message_id, JSON.stringify(m.reply_markup ?? null)]));

/**
 * The Telegram update for one step of user `id`, made by the simulator (so
 * that ids, entities and button presses are as the platform makes them) and
 * taken from its queue to be posted here; a press finds the newest bot
 * message with a button that reads so (for the bare bot: its newest message).
 */
export function updateFor(sim: BotApiSimulator, token: string, id: number, step: Step, bare: boolean): object {
  const user = { id, first_name: "Maryam", language_code: "fa" };
  if ("text" in step) sim.sendText(token, user, step.text);
  else if ("contact" in step) sim.sendContact(token, user, step.contact);
  else {
    const messages = sim.botMessages(token, id);
    if (bare) {
      const last = messages.at(-1);
      if (!last) throw new Error(`user ${id}: no message to press «${step.press}» under`);
      sim.press(token, user, last.message_id, "x");
    } else {
      const message = messages.findLast((m) => buttonsOf(m).some((b) => reads(b, step.press)));
      const button = message && buttonsOf(message).find((b) => reads(b, step.press));
      if (!message || !button?.callback_data) throw new Error(`user ${id}: no button «${step.press}» in the chat`);
      sim.press(token, user, message.message_id, button.callback_data);
    }
  }
  return sim.bot(token).updates.shift()!;
}

/**
 * Posts one step and waits for the bot's reply to it: the time from the post
 * until the person can go on (the next step's button is shown in a new or
 * changed keyboard, or, before a typed step, a new message came). The webhook
 * answers after the handler, or after WEBHOOK_HOLD_MS while a reply still
 * waits for the send budget, so the round trip alone is not the reply's
 * latency. The bare bot: until its one message came. Rejects when nothing
 * comes within `timeoutMs`.
 */
export async function postAndWait(
  sim: BotApiSimulator,
  token: string,
  port: number,
  secret: string,
  id: number,
  step: Step,
  next: Step | undefined,
  timeoutMs = 30_000,
  bare = false,
): Promise<number> {
  const before = sim.botMessages(token, id).length;
  const shown = keyboards(sim, token, id);
  const update = updateFor(sim, token, id, step, bare);
  const started = performance.now();
  await post(port, secret, update);
  const deadline = Date.now() + timeoutMs;
  const nextShown = (label: string) =>
    sim
      .botMessages(token, id)
      .some(
        (m) =>
          shown.get(m.message_id) !== JSON.stringify(m.reply_markup ?? null) &&
          buttonsOf(m).some((b) => reads(b, label)),
      );
  const ready = () =>
    !bare && next && "press" in next ? nextShown(next.press) : sim.botMessages(token, id).length > before;
  for (;;) {
    if (ready()) return performance.now() - started;
    if (Date.now() > deadline) throw new Error(`user ${id}: no reply to ${JSON.stringify(step)} in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Posts over `node:http` with keep-alive connections: this process is the
 * platform and shares the machine with the bot, so its own cost (the global
 * `fetch` took twice the CPU) is kept low.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
export function post(
  port: number,
  secret: string,
  update: object,
  platform: "telegram" | "bale" = "telegram",
): Promise<number> {
  const started = performance.now();
  const body = JSON.stringify(update);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: "127.0.0.1",
        port,
        // Telegram: the secret in a header; Bale: in the path (it has no header).
        path: platform === "bale" ? `/webhook/bale/${secret}` : "/webhook/telegram",
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          ...(platform === "telegram" ? { "x-telegram-bot-api-secret-token": secret } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on("error", reject);
        res.on("end", () =>
          res.statusCode === 200
            ? resolve(performance.now() - started)
            : reject(new Error(`webhook answered ${res.statusCode}`)),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** CPU seconds a process has used (user + system), from /proc. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime: clock ticks (100 Hz)
}

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
export const memory = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)![1]) / 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
};
export const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
export const redisUp = (REDIS_URL: string) =>
  new Promise<boolean>((resolve) => {
    const u = new URL(REDIS_URL);
    const s = createConnection({ host: u.hostname, port: Number(u.port || 6379) }, () => {
      s.destroy();
      resolve(true);
    });
    s.on("error", () => resolve(false));
  });

export async function startProcess(args: string[], env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  child.on("exit", (code, signal) => {
    if (code !== 0 && signal !== "SIGTERM")
      console.error(`${args.at(-1)} exited (${code ?? signal}):\n${output.slice(-3000)}`);
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited: ${output}`);
    // The bare bot says when it listens; Hamdel answers /healthz.
    if (/^PORT /m.test(output)) break;
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`process did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}
export const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
