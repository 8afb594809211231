import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PLATFORMS } from "../../src/platforms/capabilities.js";
import { createHarness, newUser, type Harness } from "../support/harness.js";
import { addCampaigns, importSampleData } from "../support/sample.js";

describe.each(PLATFORMS)("deep-link sources on %s", (platform) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
    await importSampleData(h.app.deps.store);
    await addCampaigns(h.app.deps.store, "hello_mahalle");
  });
  afterEach(() => h.close());

  it("a well-formed payload that names no centre, campaign or invite is kept nowhere", async () => {
    const user = newUser();
    const [reply] = await h.say(platform, user, "/start =HYPERLINK_evil");
    expect(reply).toContain("پیوند دعوت معتبر نیست");
    const person = await h.app.deps.store.people.findByIdentity({ platform, userId: String(user.id) });
    expect(person!.source).toBeNull();
    // Nor later, through a /start sent in the middle of the registration.
    await h.say(platform, user, "/start unknown_place");
    expect((await h.app.deps.store.people.get(person!.id))!.source).toBeNull();
    await h.say(platform, user, "/start hello_mahalle");
    expect((await h.app.deps.store.people.get(person!.id))!.source).toBe("hello_mahalle");
  });

  it("a known centre's code is kept as the source", async () => {
    const user = newUser();
    const [reply] = await h.say(platform, user, "/start KSH-POS-01");
    expect(reply).toContain("KSH-POS-01");
    const person = await h.app.deps.store.people.findByIdentity({ platform, userId: String(user.id) });
    expect(person!.source).toBe("KSH-POS-01");
  });
});
