import { describe, expect, it } from "vitest";
import { stripBidiControls, visibleCharacters } from "../../src/domain/normalize.js";
import { normalizeUpdate } from "../../src/platforms/normalize.js";
import { capabilitiesOf } from "../../src/platforms/capabilities.js";
import { meaningfulReason } from "../../src/domain/sessions.js";

const RLO = "\u202E";
const LRE = "\u202A";
const PDF = "\u202C";
const RLI = "\u2067";
const PDI = "\u2069";

describe("bidirectional controls are taken out of free text at the edge", () => {
  it("drops embeddings and overrides always, isolates only when unpaired", () => {
    expect(stripBidiControls(`ساعت ${RLO}021 :ورود`).text).toBe("ساعت 021 :ورود");
    expect(stripBidiControls(`${LRE}a${PDF}`)).toEqual({ text: "a", removed: [0, 2] });
    // A paired isolate is kept (it is how a Persian text isolates a Latin name); an unpaired one goes.
    expect(stripBidiControls(`نام ${RLI}Ali${PDI} است`).text).toBe(`نام ${RLI}Ali${PDI} است`);
    expect(stripBidiControls(`نام ${RLI}Ali`).text).toBe("نام Ali");
    expect(stripBidiControls(`${PDI}x`).text).toBe("x");
    expect(stripBidiControls("سلام").removed).toEqual([]);
  });

  it("a message's text and caption lose them, and a command's entity keeps its place", () => {
    const update = {
      update_id: 1,
      message: {
        message_id: 1,
        date: 0,
        chat: { id: 1, type: "private" },
        from: { id: 1, is_bot: false, first_name: "م" },
        text: `${RLO}/help ${RLO}x`,
        entities: [{ type: "bot_command", offset: 1, length: 5 }],
        caption: `${LRE}عکس${PDF}`,
      },
    };
    normalizeUpdate(update, capabilitiesOf("bale"));
    expect(update.message.text).toBe("/help x");
    expect(update.message.entities).toEqual([{ type: "bot_command", offset: 0, length: 5 }]);
    expect(update.message.caption).toBe("عکس");
  });

  it("a reason needs four letters or digits: not '.', nor invisible characters", () => {
    expect(visibleCharacters("\u200c\u200c\u200c ..")).toBe(0);
    expect(meaningfulReason(".")).toBe(false);
    expect(meaningfulReason("\u200b\u200b\u200b\u200b\u200b")).toBe(false);
    expect(meaningfulReason("دیر آمد")).toBe(true);
    expect(meaningfulReason("late")).toBe(true);
    expect(meaningfulReason("۱۲۳۴")).toBe(true);
  });
});

describe("a phone is shown one way everywhere, and dialable", () => {
  it("Latin digits, isolated, whatever digits it was typed or imported in; a tel: link in international form", async () => {
    const { phoneText, telHref } = await import("../../src/format.js");
    expect(phoneText("۰۸۳۳۸۲۲۱۱۰۰")).toBe("\u206608338221100\u2069");
    expect(phoneText("09121234567")).toBe("\u206609121234567\u2069");
    expect(phoneText(null)).toBe("—");
    expect(telHref("۰۹۱۲ ۱۲۳ ۴۵۶۷")).toBe("tel:+989121234567");
    expect(telHref("+989121234567")).toBe("tel:+989121234567");
    expect(telHref("*******4567")).toBeUndefined();
  });
});
