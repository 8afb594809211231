import { Api, GrammyError, HttpError, InputFile } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callTimeout } from "../../src/bot/api-guards.js";
import { createLogger } from "../../src/logger.js";
import { botApiFetch } from "../../src/platforms/bot-api-fetch.js";
import { ApiFault } from "../../src/playground/bot-api/errors.js";
import { startBotApiServer, type RunningBotApi } from "../../src/playground/bot-api/index.js";
import { freePort } from "../support/process.js";

const TG = "7:fetch-token";

describe("grammY's Bot API calls over undici (botApiFetch)", () => {
  let server: RunningBotApi;
  let api: Api;
  const user = { id: 77, first_name: "Nasrin" };

  beforeAll(async () => {
    server = await startBotApiServer(createLogger("silent"));
    server.sim.addBot(TG, "telegram");
    server.sim.openChat(TG, user);
    api = new Api(TG, { apiRoot: server.apiRoot, fetch: botApiFetch });
  });
  afterAll(() => server.close());

  const failure = (p: Promise<unknown>) =>
    p.then(
      () => {
        throw new Error("expected the call to fail");
      },
      (e: unknown) => e,
    );

  it("sends JSON calls and multipart uploads", async () => {
    const sent = await api.sendMessage(user.id, "سلام");
    expect(sent).toMatchObject({ text: "سلام", chat: { id: user.id } });
    const bytes = Buffer.from("استان,تعداد\nگلستان,3\n");
    const doc = await api.sendDocument(user.id, new InputFile(bytes, "report.csv"), { caption: "گزارش" });
    expect(doc.document).toMatchObject({ file_name: "report.csv", file_size: bytes.length });
    expect(doc.caption).toBe("گزارش");
  });

  it("gives the platform's errors as grammY errors: 429 with retry_after, 403, 500", async () => {
    server.sim.failNext(TG, "sendMessage", new ApiFault(429, "Too Many Requests: retry after 3", { retry_after: 3 }));
    const limited = await failure(api.sendMessage(user.id, "x"));
    expect(limited).toBeInstanceOf(GrammyError);
    expect((limited as GrammyError).error_code).toBe(429);
    expect((limited as GrammyError).parameters.retry_after).toBe(3);
    server.sim.failNext(TG, "sendMessage", new ApiFault(403, "Forbidden: bot was blocked by the user"));
    expect(await failure(api.sendMessage(user.id, "x"))).toMatchObject({ error_code: 403 });
    server.sim.failNext(TG, "sendMessage", new ApiFault(500, "Internal Server Error"));
    expect(await failure(api.sendMessage(user.id, "x"))).toMatchObject({ error_code: 500 });
    // The connection pool is fine afterwards.
    expect(await api.sendMessage(user.id, "بعد")).toMatchObject({ text: "بعد" });
  });

  it("a hung call is aborted by the timeout, and the next call goes through", async () => {
    const timed = new Api(TG, { apiRoot: server.apiRoot, fetch: botApiFetch });
    timed.config.use(callTimeout(0.3));
    server.sim.stallNext(TG, "sendMessage", 5_000);
    const started = Date.now();
    expect(await failure(timed.sendMessage(user.id, "x"))).toBeInstanceOf(HttpError);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await timed.sendMessage(user.id, "دوباره")).toMatchObject({ text: "دوباره" });
  });

  it("an unreachable server is a network error (HttpError), which auto-retry retries", async () => {
    const port = await freePort();
    const down = new Api(TG, { apiRoot: `http://127.0.0.1:${port}`, fetch: botApiFetch });
    expect(await failure(down.getMe())).toBeInstanceOf(HttpError);
  });
});
