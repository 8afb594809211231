import { countiesOf, ROLES, SKILL_CATEGORIES } from "../domain/taxonomy.js";
import { PILOT_PROVINCES } from "../domain/taxonomy.js";
import { PLATFORMS, type Platform } from "../platforms/capabilities.js";
import type { Store } from "../store/port/index.js";
import { parseArgs } from "./args.js";
import type { Config } from "../config.js";
import { withRuntime, type CliIO } from "./runtime.js";

/** The four pilot provinces of the volunteer network. */
const PILOT = PILOT_PROVINCES;
const SKILLS = SKILL_CATEGORIES.flatMap((c) => c.skills);

/** Names and neighbourhoods as a trainer expects to read them (a demo in Persian, not «Volunteer 12»). */
const FIRST_NAMES = ["زهرا", "علی", "فاطمه", "محمد رضا", "مریم", "حسین", "نرگس", "امیر حسین", "سارا", "مهدی"];
const LAST_NAMES = ["احمدی", "کریمی", "رضایی", "حسینی", "موسوی", "جعفری", "کاظمی", "صادقی", "رحیمی", "نوری", "قاسمی"];
const NEIGHBOURHOODS = ["الهیه", "شهرک بهاران", "کوی فرهنگیان", "محله امام", "نوبهار", "باغ ملی", "شهرک ولیعصر"];

/** Synthetic user ids start here, far from real Telegram/Bale ids in tests. */
export const SEED_USER_ID_BASE = 8_000_000_000;

/**
 * Creates `count` synthetic registered volunteers (reachable, notifications
 * on) for trials and benchmarks. Idempotent: the same index is the same person.
 */
export async function seedDemo(store: Store, count: number, platform: Platform, onProgress?: (n: number) => void) {
  for (let i = 0; i < count; i++) {
    const userId = String(SEED_USER_ID_BASE + i);
    const { person } = await store.people.ensure({ platform, userId, chatId: userId }, { source: "seed-demo" });
    if (!person.registeredAt) {
      const province = PILOT[i % PILOT.length]!;
      await store.people.update(person.id, {
        firstName: FIRST_NAMES[i % FIRST_NAMES.length]!,
        lastName: LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length]!,
        province,
        county: countiesOf(province)[i % countiesOf(province).length]!,
        neighbourhood: NEIGHBOURHOODS[i % NEIGHBOURHOODS.length]!,
        skills: [SKILLS[i % SKILLS.length]!, SKILLS[(i * 7) % SKILLS.length]!],
        roles: [ROLES[i % ROLES.length]!.id],
        availability: { slots: ["sat.morning", "thu.evening"], hoursPerWeek: 4 },
        notify: { campaigns: true, matches: true },
        registeredAt: new Date(),
      });
    }
    if ((i + 1) % 1000 === 0) onProgress?.(i + 1);
  }
}

export async function seedDemoCommand(argv: string[], io: CliIO = console, config?: Config): Promise<number> {
  const { flags } = parseArgs(argv);
  const count = Number(flags.get("volunteers")?.[0]);
  const platform = (flags.get("platform")?.[0] ?? PLATFORMS[0]) as Platform;
  if (!Number.isInteger(count) || count < 1 || count > 1_000_000) {
    io.error(`Usage: hamdel seed-demo --volunteers N [--platform ${PLATFORMS.join("|")}]   (N from 1 to 1,000,000)`);
    return 2;
  }
  if (!PLATFORMS.includes(platform)) {
    io.error(`--platform expects telegram or bale, got "${platform}"`);
    return 2;
  }
  return withRuntime(
    io,
    async ({ store }) => {
      const started = Date.now();
      await seedDemo(store, count, platform, (n) => io.log(`${n} volunteers…`));
      io.log(
        `${count} synthetic volunteers on ${platform} in ${((Date.now() - started) / 1000).toFixed(1)} s (${await store.people.count()} people in the store)`,
      );
      return 0;
    },
    config,
  );
}
