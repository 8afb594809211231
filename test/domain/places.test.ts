import { describe, expect, it } from "vitest";
import { locate } from "../../src/domain/places/locate.js";
import { placeKey, resolveCounty, resolveCountyAnywhere } from "../../src/domain/places/resolve.js";
import { matchingCounty } from "../../src/domain/places/index.js";
import { isCountyOf } from "../../src/domain/taxonomy.js";

describe("places: a typed county, within the chosen province", () => {
  it.each([
    ["golestan", "رامیان", "ramian"],
    ["golestan", "گنبد", "gonbad"],
    ["golestan", "گنبدکاووس", "gonbad"],
    ["golestan", "بندرترکمن", "bandar_torkaman"],
    ["golestan", "علي آباد كتول", "aliabad"],
    ["golestan", "اق قلا", "aqqala"],
    ["golestan", "Gorgan", "gorgan"],
    ["kermanshah", "ثلاث باباجاني", "salas_babajani"],
    ["kermanshah", "اسلام اباد غرب", "eslamabad"],
    ["kermanshah", "سرپل‌ذهاب", "sarpol_zahab"],
    ["kermanshah", "شهرستان روانسر", "ravansar"],
    ["khuzestan", "ماهشهر", "mahshahr"],
    ["khuzestan", "سوسنگرد", "dasht_azadegan"],
    ["khorasan_south", "عشق آباد", "eshqabad"],
    ["mazandaran", "قائمشهر", "qaemshahr"],
    ["gilan", "تالش", "talesh"],
    ["hormozgan", "کیش", "bandar_lengeh"],
    ["lorestan", "نورآباد", "nurabad"],
  ])("%s: «%s» is %s", (province, typed, county) => {
    expect(resolveCounty(province, typed)).toEqual({ kind: "exact", county });
  });

  it("offers a near miss to confirm, and nothing for another province's county or a tie", () => {
    expect(resolveCounty("golestan", "رامیون")).toEqual({ kind: "close", county: "ramian" });
    expect(resolveCounty("golestan", "گرگاان")).toEqual({ kind: "close", county: "gorgan" });
    expect(resolveCounty("golestan", "تهران")).toEqual({ kind: "none" });
    expect(resolveCounty("golestan", "x")).toEqual({ kind: "none" });
    expect(resolveCounty("atlantis", "گرگان")).toEqual({ kind: "none" });
    // A locale's own label counts as a name.
    expect(resolveCounty("golestan", "فلان‌جا", (c) => (c === "gorgan" ? ["فلان جا"] : []))).toEqual({
      kind: "exact",
      county: "gorgan",
    });
  });

  it("folds the ways people write a name into one key", () => {
    expect(placeKey("علي‌آباد كتول")).toBe(placeKey("علی آباد کتول"));
    expect(placeKey("شهرستان  آق‌قلا")).toBe(placeKey("اق قلا"));
    expect(placeKey("Gonbad-e Kavus County")).toBe("gonbadekavus");
  });

  it("without a province: only a name that fits one county anywhere", () => {
    expect(resolveCountyAnywhere("یاسوج")).toEqual({ province: "kohgiluyeh", county: "boyer_ahmad" });
    expect(resolveCountyAnywhere("Torbat-e Jam")).toEqual({ province: "khorasan_razavi", county: "torbat_jam" });
    expect(resolveCountyAnywhere("ناکجاآباد")).toBeNull();
  });

  it("keeps a legacy id readable and matched as the county it lies in", () => {
    expect(isCountyOf("hormozgan", "kish")).toBe(true);
    expect(isCountyOf("golestan", "kish")).toBe(false);
    expect(matchingCounty("hormozgan", "kish")).toBe("bandar_lengeh");
    expect(matchingCounty("golestan", "gorgan")).toBe("gorgan");
  });
});

describe("places: a shared location", () => {
  it.each([
    [37.25, 55.17, "golestan", "gonbad"],
    [36.84, 54.43, "golestan", "gorgan"],
    [34.31, 47.07, "kermanshah", "kermanshah"],
    [31.32, 48.67, "khuzestan", "ahvaz"],
    [32.87, 59.22, "khorasan_south", "birjand"],
    [26.53, 53.98, "hormozgan", "bandar_lengeh"],
    [37.49, 49.46, "gilan", "bandar_anzali"],
  ])("%f, %f is %s / %s", (lat, lon, province, county) => {
    expect(locate(lat, lon)).toMatchObject({ province, county });
  });

  it("finds nothing abroad or in open sea", () => {
    expect(locate(33.31, 44.36)).toBeNull(); // Baghdad
    expect(locate(38.5, 51)).toBeNull(); // the Caspian, 150 km out
  });
});
