import { digits } from "../../src/format.js";
import type { SimUser } from "../../src/playground/bot-api/simulator.js";
import type { Platform } from "../../src/platforms/capabilities.js";
import type { Person, PersonPatch } from "../../src/store/port/index.js";
import { newUser, TOKENS, type Harness } from "./harness.js";

let n = 0;

/**
 * A registered volunteer in Kermanshah, written straight into the store, with
 * an open Telegram chat: a neighbourhood helper who cooks, free on Saturday
 * mornings. `patch` changes any field; `source` is their registration source.
 */
export async function storedVolunteer(
  h: Harness,
  patch: PersonPatch = {},
  source?: string,
  platform: Platform = "telegram",
): Promise<{ user: SimUser; person: Person }> {
  const user = newUser(`داوطلب${++n}`);
  h.sim.openChat(TOKENS[platform], user);
  const { store } = h.app.deps;
  const { person } = await store.people.ensure(
    { platform, userId: String(user.id), chatId: String(user.id) },
    source ? { source } : {},
  );
  const p = await store.people.update(person.id, {
    registeredAt: new Date(),
    firstName: "نرگس",
    // A name as registration takes it: no digits (each volunteer its own, in Persian digits, for telling apart).
    lastName: `احمدی ${digits("fa", String(n))}`,
    phone: `0918${String(1000000 + n)}`,
    volunteerCode: `HM-T${String(n).padStart(5, "0")}`,
    province: "kermanshah",
    county: "kermanshah",
    neighbourhood: "الهیه",
    roles: ["neighbourhood_helper"],
    skills: ["cooking"],
    availability: { slots: ["sat.morning", "mon.evening"], hoursPerWeek: 4 },
    ...patch,
  });
  return { user, person: p };
}
