import { createCanvas } from "@napi-rs/canvas";
import { FONT, loadFont } from "../render/chart.js";
import type { Store } from "../store/port/index.js";
import { STAFF_PLATFORM } from "./data/simulated-users.js";

/** The demo volunteer's account: a user on the staff personas' messenger whom the playground never shows as a persona. */
const DEMO = { platform: STAFF_PLATFORM, userId: "30001" };

/** A stand-in scan: a plain page that says it is a sample (no real certificate is ever shipped). */
function sampleScan(): Buffer {
  loadFont();
  const canvas = createCanvas(600, 400);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fffdf5";
  ctx.fillRect(0, 0, 600, 400);
  ctx.strokeStyle = "#8a6d3b";
  ctx.lineWidth = 4;
  ctx.strokeRect(12, 12, 576, 376);
  ctx.direction = "rtl";
  ctx.textAlign = "center";
  ctx.fillStyle = "#1f2933";
  ctx.font = `28px "${FONT} Bold"`;
  ctx.fillText("گواهی عدم سوءپیشینه", 300, 120);
  ctx.font = `22px ${FONT}`;
  ctx.fillText("نمونهٔ محیط آزمایشی — سند واقعی نیست", 300, 200);
  return canvas.toBuffer("image/png");
}

/**
 * A volunteer of the sample centre who chose «مادریار», passed the lesson's
 * quiz and sent a clearance certificate: the institution operator persona's
 * review queue (in the chat's push and the console) has something to show.
 * Once only: an existing demo person is left as it is.
 */
export async function seedScreeningDemo(store: Store, now: Date): Promise<void> {
  const { person, created } = await store.people.ensure({ ...DEMO, chatId: DEMO.userId }, { source: "KSH-POS-01" });
  if (!created) return;
  await store.people.update(person.id, {
    registeredAt: now,
    firstName: "فاطمه",
    lastName: "رحیمی",
    volunteerCode: "HM-DEMO01",
    birthYear: 1368,
    gender: "female",
    province: "kermanshah",
    county: "kermanshah",
    neighbourhood: "الهیه",
    roles: ["mother_helper"],
    skills: ["infant_care"],
    availability: { slots: ["sat.morning", "mon.morning"], hoursPerWeek: 4 },
  });
  await store.screening.record({
    personId: person.id,
    requirement: "orientation:infant_care",
    status: "approved",
    score: 4,
    createdAt: now,
  });
  await store.screening.record({
    personId: person.id,
    requirement: "document:clearance",
    status: "pending",
    institutionCode: "INST-KSH-01",
    file: { mime: "image/png", bytes: sampleScan() },
    createdAt: now,
  });
}
