import { describe, expect, it } from "vitest";
import { placesCommand } from "../../src/cli/places.js";
import { withRuntime } from "../../src/cli/runtime.js";
import { testConfig } from "../support/config.js";
import { capture } from "../support/cli.js";

describe("hamdel places resolve", () => {
  it("turns typed counties into the dataset's ids where certain, leaves the rest listed, and changes nothing without --apply", async () => {
    const config = testConfig();
    const quiet = capture().io;
    // Five volunteers registered before the dataset: three typed counties, one from the list, and one under the
    // old id «kish» (a district of Bandar Lengeh in the dataset: matched and broadcast to as that county).
    const typed: Record<string, [string, string]> = {
      "1": ["golestan", "رامیان"],
      "2": ["golestan", "گنبدکاووس"],
      "3": ["kermanshah", "ناکجاآباد"],
      "4": ["golestan", "gorgan"],
      "5": ["hormozgan", "kish"],
    };
    await withRuntime(
      quiet,
      async ({ store }) => {
        for (const [userId, [province, county]] of Object.entries(typed)) {
          const { person } = await store.people.ensure({ platform: "bale", userId, chatId: userId });
          await store.people.update(person.id, {
            province,
            county,
            registeredAt: new Date(),
            volunteerCode: `HM-T${userId}`,
          });
        }
        return 0;
      },
      config,
    );
    const dry = capture();
    expect(await placesCommand(["resolve"], dry.io, config)).toBe(0);
    expect(dry.out.filter((l) => l.startsWith("HM-"))).toEqual([
      "HM-T1\tgolestan\t«رامیان»\t→ ramian",
      "HM-T2\tgolestan\t«گنبدکاووس»\t→ gonbad",
      "HM-T5\thormozgan\t«kish»\t→ bandar_lengeh",
      "HM-T3\tkermanshah\t«ناکجاآباد»\tleft for a coordinator",
    ]);
    expect(dry.out.at(-1)).toBe("3 can be resolved (run again with --apply), 1 left for a coordinator");

    const applied = capture();
    expect(await placesCommand(["resolve", "--apply"], applied.io, config)).toBe(0);
    expect(applied.out.at(-1)).toBe("3 resolved, 1 left for a coordinator");
    const after = capture();
    await withRuntime(
      after.io,
      async ({ store }) => {
        for (const userId of Object.keys(typed))
          after.io.log((await store.people.findByIdentity({ platform: "bale", userId }))!.county!);
        const log = await store.access.auditLog({ limit: 1 });
        after.io.log(`${log[0]?.action} ${JSON.stringify(log[0]?.details)}`);
        return 0;
      },
      config,
    );
    expect(after.out).toEqual([
      "ramian",
      "gonbad",
      "ناکجاآباد",
      "gorgan",
      "bandar_lengeh",
      'places.resolve {"resolved":3,"left":1}',
    ]);

    const again = capture();
    expect(await placesCommand(["resolve"], again.io, config)).toBe(0);
    expect(again.out.at(-1)).toBe("0 can be resolved (run again with --apply), 1 left for a coordinator");
    const bad = capture();
    expect(await placesCommand(["fix"], bad.io, config)).toBe(2);
    expect(bad.err[0]).toContain("Usage");
  });
});
