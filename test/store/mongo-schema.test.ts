import mongoose from "mongoose";
import { describe, expect, it } from "vitest";
import { personSchema, registerModels } from "../../src/store/mongo/models.js";

/** What can be checked of the Mongoose layer without a mongod: schema and index definitions. */
describe("MongoDB schema (no server needed)", () => {
  const { Person } = registerModels(mongoose.createConnection());

  it("declares the indexes production relies on", () => {
    const indexes = personSchema.indexes().map(([fields, options]) => ({ fields, options }));
    expect(indexes).toContainEqual({ fields: { identityKeys: 1 }, options: expect.objectContaining({ unique: true }) });
    expect(indexes).toContainEqual({
      fields: { nationalIdHash: 1 },
      options: expect.objectContaining({
        unique: true,
        partialFilterExpression: { nationalIdHash: { $type: "string" } },
      }),
    });
    expect(indexes).toContainEqual({
      fields: { location: "2dsphere" },
      options: expect.objectContaining({ sparse: true }),
    });
    expect(indexes).toContainEqual({ fields: { phoneHash: 1 }, options: expect.anything() });
  });

  it("accepts a GeoJSON point and rejects an unknown platform", () => {
    const ok = new Person({
      _id: "p1",
      identityKeys: ["telegram:1"],
      identities: [{ platform: "telegram", userId: "1", chatId: "1", linkedAt: new Date() }],
      location: { type: "Point", coordinates: [54.44, 36.84] },
    });
    expect(ok.validateSync()).toBeUndefined();
    const bad = new Person({
      _id: "p2",
      identities: [{ platform: "whatsapp", userId: "1", chatId: "1", linkedAt: new Date() }],
    });
    expect(bad.validateSync()?.errors["identities.0.platform"]).toBeDefined();
  });
});
