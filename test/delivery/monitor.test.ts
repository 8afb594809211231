import { describe, expect, it } from "vitest";
import { systemClock } from "../../src/domain/clock.js";
import { BroadcastMonitor } from "../../src/delivery/monitor.js";
import { createI18n } from "../../src/i18n.js";
import { createLogger } from "../../src/logger.js";
import type { Broadcast, Store } from "../../src/store/port/index.js";

const broadcast = (urgent: boolean): Broadcast => ({
  id: "b1",
  text: "t",
  personal: false,
  about: [],
  segment: {},
  urgent,
  createdBy: null,
  notBefore: new Date(0),
  status: "running",
  total: 51,
  createdAt: new Date(0),
  photo: null,
  link: null,
  imIn: false,
  buttons: null,
});
const progress = { pending: 51, sent: 0, failed: 0, unreachable: 0, cancelled: 0 };
/** 23:30 and 12:00 in Tehran (UTC+3:30). */
const NIGHT = new Date("2026-12-04T20:00:00Z");
const NOON = new Date("2026-12-04T08:30:00Z");

describe("a broadcast's progress message", () => {
  it("says a broadcast held by quiet hours waits for the morning, and until when; not by day, not when urgent", async () => {
    const i18n = await createI18n();
    const monitor = new BroadcastMonitor({} as Store, i18n, createLogger("silent"), () => undefined, 3000, {
      hours: { from: 22, to: 8 },
      timeZone: "Asia/Tehran",
      clock: systemClock,
    });
    const started = Date.now();
    expect(monitor.render(broadcast(false), progress, "fa", started, 0, NIGHT).text).toContain(
      "ارسال ساعت ۰۸:۰۰ صبح ادامه می‌یابد",
    );
    expect(monitor.render(broadcast(false), progress, "fa", started, 0, NOON).text).not.toContain("آرامش");
    expect(monitor.render(broadcast(true), progress, "fa", started, 0, NIGHT).text).not.toContain("آرامش");
    const off = new BroadcastMonitor({} as Store, i18n, createLogger("silent"), () => undefined, 3000, {
      hours: null,
      timeZone: "Asia/Tehran",
      clock: systemClock,
    });
    expect(off.render(broadcast(false), progress, "fa", started, 0, NIGHT).text).not.toContain("آرامش");
  });
});
