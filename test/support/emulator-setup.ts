import type { TestProject } from "vitest/node";
import { startEmulator } from "./mongo-emulator.js";

/** The emulator lane's global setup: one emulator process for the run, each test file in its own database. */
export default async function setup(project: TestProject) {
  const emulator = await startEmulator();
  console.log(`EMULATOR LANE: the MongoDB suites run against jongodb ${emulator.version}, an emulator, not MongoDB`);
  project.provide("mongoEmulatorUri", emulator.uri);
  project.provide("mongoEmulatorVersion", emulator.version);
  return () => emulator.stop();
}
