import { describe, expect, it } from "vitest";
import { nameCommand } from "../../src/cli/name.js";
import { withRuntime } from "../../src/cli/runtime.js";
import { completeRegistration } from "../../src/services/registration.js";
import { issueCertificate } from "../../src/services/service-day/certificate.js";
import type { ServiceDayDeps } from "../../src/services/service-day/index.js";
import { createLogger } from "../../src/logger.js";
import { testConfig } from "../support/config.js";
import { capture } from "../support/cli.js";

describe("the name a certificate prints", () => {
  it("is the name of record: given at registration, unmoved by /profile, corrected only by a coordinator (audited)", async () => {
    const config = testConfig();
    const io = capture();
    let code = "";
    const certificateName = () =>
      withRuntime(
        io.io,
        async ({ store }) => {
          const person = (await store.people.findByVolunteerCode(code))!;
          // Hours to certify: one credited service.
          const d = { store, logger: createLogger("silent"), now: () => new Date() } as unknown as ServiceDayDeps;
          const r = await issueCertificate(d, person);
          return r.ok ? (io.out.push(`NAME ${r.value.certificate.name}`), 0) : 1;
        },
        config,
      );
    await withRuntime(
      io.io,
      async ({ store }) => {
        const { person } = await store.people.ensure({ platform: "bale", userId: "31", chatId: "31" });
        const done = await completeRegistration(
          store,
          person.id,
          {
            v: 1,
            consentAt: new Date().toISOString(),
            firstName: "نرگس",
            lastName: "احمدی",
            phone: "09120000031",
            phoneVerified: true,
            nationalId: "0012345679",
            birthYear: 1368,
            gender: "female",
            province: "golestan",
            county: "gorgan",
            neighbourhood: "شهرک بهاران",
            skills: ["childcare"],
            roles: [],
            availability: { slots: ["sat.morning"], hoursPerWeek: 4 },
          } as never,
          new Date(),
        );
        if (!done.ok) throw new Error(done.error);
        code = done.value;
        await store.ledger.post({
          key: "t:1",
          kind: "service",
          offerId: null,
          reverses: null,
          memo: null,
          postings: [
            { account: `person:${person.id}`, side: "giver", minutes: 120 },
            { account: "centre:X", side: "receiver", minutes: -120 },
          ],
          by: "test",
        } as never);
        // The volunteer changes their name in /profile a minute before asking for a certificate.
        await store.people.update(person.id, { firstName: "ملکه", lastName: "انگلستان" });
        return 0;
      },
      config,
    );
    expect(await certificateName()).toBe(0);
    expect(io.out.at(-1)).toBe("NAME نرگس احمدی");
    // A coordinator corrects it, with a reason: audited, and the next certificate carries it.
    expect(await nameCommand([code, "نرگس", "احمدی‌نژاد"], io.io, config)).toBe(2); // no reason
    expect(await nameCommand([code, "نرگس", "احمدی‌نژاد", "--reason", "."], io.io, config)).toBe(2);
    expect(await nameCommand(["HM-NOPE22", "نرگس", "احمدی", "--reason", "اشتباه تایپی"], io.io, config)).toBe(1);
    expect(await nameCommand([code, "نرگس", "احمدی‌نژاد", "--reason", "اشتباه تایپی در ثبت‌نام"], io.io, config)).toBe(
      0,
    );
    expect(await certificateName()).toBe(0);
    expect(io.out.at(-1)).toBe("NAME نرگس احمدی‌نژاد");
    await withRuntime(
      io.io,
      async ({ store }) => {
        const [record] = (await store.access.auditLog({ limit: 10 })).filter((r) => r.action === "person.name_correct");
        expect(record).toMatchObject({ target: code, outcome: "ok", details: { reason: "اشتباه تایپی در ثبت‌نام" } });
        expect(JSON.stringify(record)).not.toContain("نژاد");
        return 0;
      },
      config,
    );
  });
});
