import { mkdirSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { startEmulator } from "./mongo-emulator.js";

/** The emulator lane's global setup: one emulator process for the run, each test file in its own database. */
export default async function setup(project: TestProject) {
  mkdirSync("test-results", { recursive: true });
  const emulator = await startEmulator(20_000, "test-results/emulator.log");
  console.log(`EMULATOR LANE: the MongoDB suites run against jongodb ${emulator.version}, an emulator, not MongoDB`);
  // Polled server monitoring. With the driver's default (streaming `hello`), operations on the emulator now and
  // then waited for a reconnection until Mongoose's 10 s buffering timeout; with polling, in repeated runs, never.
  const uri = `${emulator.uri}${emulator.uri.includes("?") ? "&" : "?"}serverMonitoringMode=poll`;
  project.provide("mongoEmulatorUri", uri);
  project.provide("mongoEmulatorVersion", emulator.version);
  return () => emulator.stop();
}
