// Keeps better-sqlite3's native build in npm's prebuild cache, where its
// installer (prebuild-install) looks before it downloads. This machine cannot
// reach GitHub's release downloads, so every `npm ci` compiled SQLite from
// source (about 60 s of a CI run). After a build, `save` packs the built addon
// under the name prebuild-install would have downloaded it as; the next
// `npm ci` on this machine unpacks it instead of compiling. `check` loads the
// module: a cached build that does not load is removed (and rebuilt by the
// caller). The key holds the version, the Node ABI, the OS and the CPU, so a
// new version or Node is built afresh.
const { createHash } = require("node:crypto");
const { existsSync, mkdirSync, rmSync } = require("node:fs");
const { execFileSync } = require("node:child_process");
const { join } = require("node:path");
const { homedir } = require("node:os");

const dir = join(__dirname, "..", "node_modules", "better-sqlite3");
const version = require(join(dir, "package.json")).version;
const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
const url = `https://github.com/WiseLibs/better-sqlite3/releases/download/v${version}/${name}`;
const cacheDir = join(process.env.npm_config_cache || join(homedir(), ".npm"), "_prebuilds");
const cached = join(cacheDir, `${createHash("sha512").update(url).digest("hex").slice(0, 6)}-${name}`);
const addon = join("build", "Release", "better_sqlite3.node");

const loads = () => {
  try {
    execFileSync(process.execPath, ["-e", "new (require('better-sqlite3'))(':memory:').close()"], {
      cwd: join(__dirname, ".."),
      stdio: "ignore",
    });
    return true;
  } catch {
    return false;
  }
};

const command = process.argv[2];
if (command === "check") {
  if (loads()) process.exit(0);
  rmSync(cached, { force: true });
  console.log("better-sqlite3 does not load: its cached build was removed");
  process.exit(1);
} else if (command === "save") {
  if (existsSync(cached) || !existsSync(join(dir, addon)) || !loads()) process.exit(0);
  mkdirSync(cacheDir, { recursive: true });
  execFileSync("tar", ["-czf", cached, "-C", dir, addon]);
  console.log(`better-sqlite3's build kept for the next npm ci: ${cached}`);
}
