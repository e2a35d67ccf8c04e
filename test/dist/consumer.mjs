#!/usr/bin/env node
// The packed tarball in a separate consumer project, after `npm run build`: `npm pack`, then
// `npm install` of the tarball (offline: wakeful has no runtime dependency) into a fresh project
// in a temporary directory, which then uses it as an application would:
// - on Node (ESM and CJS), through the "node" export condition: a task keeps the
//   AsyncLocalStorage store it was spawned in when another store's code wakes it, and a run
//   whose root can never finish rejects with a DeadlockError at exit instead of a silent exit;
// - `wakeful/testing`: a SimExecutor runs an hour of virtual sleep at once;
// - in a browser bundle (esbuild, platform browser, from the consumer's node_modules): no
//   `node:` import, and the bundle runs a task to its end.
// This catches what the checks from the repository cannot: a file missing from "files", an
// export condition that only resolves inside the repository, a side effect a bundler drops.
//
// Prints one line per check and "consumer: N passed, N failed"; exits 1 on failure.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checks } from "./checks.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const esbuild = createRequire(join(root, "package.json"))("esbuild");
const dir = mkdtempSync(join(tmpdir(), "wakeful-consumer-"));
const { check, finish } = checks("consumer");

function sh(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: dir,
    encoding: "utf8",
    timeout: 60_000,
    ...options,
  });
  if (result.status !== 0 && options.allowFailure !== true) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${result.status ?? result.signal}:\n${result.stderr}`,
    );
  }
  return result;
}

const node = (file) => sh(process.execPath, [file], { allowFailure: true });

/** Runs `file` with Node in the consumer project; throws unless it prints `expected`. */
function expectPrinted(file, expected) {
  const out = node(file);
  if (out.stdout.trim() !== expected) {
    throw new Error(`printed ${JSON.stringify(out.stdout)}, stderr: ${out.stderr}`);
  }
}

/** The AsyncLocalStorage program, in ESM or CJS: prints the store after a wake from "B". */
const contextProgram = (load) => `${load}
const { AsyncLocalStorage } = require("node:async_hooks");
const als = new AsyncLocalStorage();
(async () => {
  const ex = new w.LocalExecutor();
  const [tx, rx] = w.oneshot();
  const h = als.run("A", () => ex.handle.spawn(w.future(function* () { yield* rx; return als.getStore(); })));
  await new Promise((r) => setTimeout(r, 5));
  als.run("B", () => tx.send(1));
  console.log(await h);
  ex.shutdown();
})();
`;

try {
  check("npm pack, and npm install of the tarball into a fresh project", () => {
    sh("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: root });
    const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"));
    if (tarball === undefined) throw new Error("npm pack made no tarball");
    writeFileSync(join(dir, "package.json"), '{ "name": "consumer", "private": true }\n');
    sh("npm", ["install", "--offline", "--no-audit", "--no-fund", "--silent", `./${tarball}`]);
    return tarball;
  });

  for (const [kind, file, load] of [
    [
      "ESM",
      "context.mjs",
      'import * as w from "wakeful";\nimport { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);',
    ],
    ["CJS", "context.cjs", 'const w = require("wakeful");'],
  ]) {
    check(`${kind}: a task keeps the AsyncLocalStorage store it was spawned in`, () => {
      writeFileSync(join(dir, file), contextProgram(load));
      expectPrinted(file, "A");
      return 'woken from "B", reads "A"';
    });
  }

  check("a root that can never finish rejects with DeadlockError at exit, naming the task", () => {
    writeFileSync(
      join(dir, "deadlock.mjs"),
      'import { future, pending, run } from "wakeful";\nawait run(future(function* () { yield* pending(); }));\n',
    );
    const out = node("deadlock.mjs");
    if (
      out.status !== 1 ||
      !out.stderr.includes("DeadlockError") ||
      !out.stderr.includes("#1 (root) waits on pending()")
    ) {
      throw new Error(`exit ${out.status}, stderr: ${out.stderr}`);
    }
    return "exit 1, not a silent exit 13";
  });

  check("wakeful/testing: a SimExecutor sleeps an hour of virtual time at once", () => {
    writeFileSync(
      join(dir, "sim.mjs"),
      'import { future, sleep, Instant } from "wakeful";\nimport { SimExecutor } from "wakeful/testing";\n' +
        "const t = await new SimExecutor({ seed: 1 }).run(future(function* () { yield* sleep(3_600_000); return Instant.now().ms; }));\n" +
        "console.log(t);\n",
    );
    expectPrinted("sim.mjs", "3600000");
    return "3600000 ms";
  });

  check("a browser bundle has no node: import, and runs", () => {
    writeFileSync(
      join(dir, "browser.mjs"),
      'import { future, join, run, sleep, spawn } from "wakeful";\n' +
        "run(future(function* () { const h = spawn(future(function* () { yield* sleep(1); return 2; })); const [a, b] = yield* join(h, sleep(2)); return a; })).then((v) => console.log(v));\n",
    );
    const result = esbuild.buildSync({
      entryPoints: [join(dir, "browser.mjs")],
      absWorkingDir: dir,
      bundle: true,
      format: "esm",
      platform: "browser",
      write: false,
      logLevel: "silent",
    });
    const code = result.outputFiles[0].text;
    if (code.includes("node:")) throw new Error("the browser bundle imports a node: module");
    writeFileSync(join(dir, "bundle.mjs"), code);
    expectPrinted("bundle.mjs", "2");
    return `${code.length} B unminified`;
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

finish();
