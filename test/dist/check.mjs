#!/usr/bin/env node
// Checks the built package (dist/) the way a consumer sees it, after `npm run build`.
//
// Every entry point of package.json "exports" is loaded by its public name through the
// package's self-reference ("wakeful", "wakeful/testing"), once with ESM `import()` and once
// with CommonJS `require()`, and the two builds must expose the same, non-empty set of names
// with the same kind of value. On Node those names resolve through the "node" condition. Child processes then check that importing the root does not
// load node:worker_threads, and that `wakeful/testing` loads without fast-check installed.
//
// Prints one line per check and a closing "dist: N passed, N failed" line; exits 1 on failure.

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { checks } from "./checks.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const require = createRequire(join(root, "package.json"));

const { check, finish } = checks("dist");

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** "." -> "wakeful", "./testing" -> "wakeful/testing"; "./package.json" is not an entry. */
const entries = Object.keys(pkg.exports)
  .filter((key) => key !== "./package.json")
  .map((key) => ({ key, specifier: key === "." ? pkg.name : `${pkg.name}/${key.slice(2)}` }));

function kindOf(value) {
  if (typeof value === "function") {
    return /^class[\s{]/.test(Function.prototype.toString.call(value)) ? "class" : "function";
  }
  return value === null ? "null" : typeof value;
}

/** Names a consumer can use; the CommonJS interop marker is not one of them. */
function exportNames(moduleObject) {
  return Object.keys(moduleObject)
    .filter((name) => name !== "__esModule" && name !== "module.exports")
    .sort();
}

const inDist = (file) => relative(root, file).startsWith(`dist${sep}`);

check("package.json exports lists at least one entry point", () => {
  assert(entries.length > 0, "no entry points in package.json exports");
  return entries.map((e) => e.specifier).join(", ");
});

check("every file named in package.json exports exists", () => {
  const files = [];
  const walk = (target) => {
    if (typeof target === "string") files.push(target);
    else if (target && typeof target === "object") Object.values(target).forEach(walk);
  };
  walk(pkg.exports);
  const missing = files.filter((file) => !existsSync(join(root, file)));
  assert(missing.length === 0, `missing: ${missing.join(", ")} (run \`npm run build\` first)`);
  return `${files.length} files`;
});

for (const { specifier } of entries) {
  let esm;
  let cjs;

  check(`import("${specifier}") resolves into dist/ and loads`, () => {
    const file = fileURLToPath(import.meta.resolve(specifier));
    assert(inDist(file) && file.endsWith(".js"), `resolved to ${relative(root, file)}`);
    return relative(root, file);
  });
  try {
    esm = await import(specifier);
  } catch (error) {
    check(`import("${specifier}")`, () => {
      throw error;
    });
  }

  check(`require("${specifier}") resolves into dist/ and loads`, () => {
    const file = require.resolve(specifier);
    assert(inDist(file) && file.endsWith(".cjs"), `resolved to ${relative(root, file)}`);
    cjs = require(specifier);
    return relative(root, file);
  });

  if (!esm || !cjs) continue;
  const esmNames = exportNames(esm);
  const cjsNames = exportNames(cjs);

  check(`${specifier}: ESM build exports at least one name`, () => {
    assert(esmNames.length > 0, "the ESM build exports nothing");
    return `${esmNames.length} names`;
  });

  check(`${specifier}: CJS build exports at least one name`, () => {
    assert(cjsNames.length > 0, "the CJS build exports nothing");
    return `${cjsNames.length} names`;
  });

  check(`${specifier}: ESM and CJS export the same names`, () => {
    const onlyEsm = esmNames.filter((name) => !cjsNames.includes(name));
    const onlyCjs = cjsNames.filter((name) => !esmNames.includes(name));
    assert(
      onlyEsm.length === 0 && onlyCjs.length === 0,
      `only in ESM: [${onlyEsm.join(", ")}]; only in CJS: [${onlyCjs.join(", ")}]`,
    );
  });

  check(`${specifier}: each export has the same kind in ESM and CJS`, () => {
    const mismatches = esmNames
      .filter((name) => cjsNames.includes(name))
      .filter((name) => kindOf(esm[name]) !== kindOf(cjs[name]))
      .map((name) => `${name}: ESM ${kindOf(esm[name])}, CJS ${kindOf(cjs[name])}`);
    assert(mismatches.length === 0, mismatches.join("; "));
    const kinds = {};
    for (const name of esmNames) kinds[kindOf(esm[name])] = (kinds[kindOf(esm[name])] ?? 0) + 1;
    return Object.entries(kinds)
      .map(([kind, count]) => `${count} ${kind}`)
      .join(", ");
  });
}

check("the blocking pool's worker script is built when its source exists", () => {
  if (!existsSync(join(root, "src/blocking/worker-entry.ts")))
    return "no src/blocking/worker-entry.ts yet";
  const missing = ["dist/worker.js", "dist/worker.cjs"].filter((f) => !existsSync(join(root, f)));
  assert(missing.length === 0, `missing: ${missing.join(", ")}`);
  return "dist/worker.js, dist/worker.cjs";
});

/** Runs a snippet in a fresh `node` with the package root as cwd; returns its stdout. */
function runNode(args, code) {
  const result = spawnSync(process.execPath, [...args, "-e", code], {
    cwd: root,
    encoding: "utf8",
    timeout: 30_000,
  });
  if (result.status !== 0) {
    const stderr = result.stderr.trim().split("\n").slice(0, 15).join("\n");
    throw new Error(`child exited ${result.status ?? result.signal}:\n${stderr}`);
  }
  return result.stdout.trim();
}

// `process.moduleLoadList` names every built-in module loaded so far; the public
// worker_threads module shows up there as "NativeModule worker_threads".
const workerLoaded = `process.stdout.write(String(process.moduleLoadList.includes("NativeModule worker_threads")))`;

check("the worker_threads probe detects an eager import (self-test)", () => {
  const fresh = runNode(["--input-type=module"], workerLoaded);
  const loaded = runNode(
    ["--input-type=module"],
    `await import("node:worker_threads"); ${workerLoaded}`,
  );
  assert(fresh === "false" && loaded === "true", `probe gave ${fresh} before, ${loaded} after`);
});

check(`import("${pkg.name}") does not load node:worker_threads`, () => {
  const out = runNode(
    ["--input-type=module"],
    `await import(${JSON.stringify(pkg.name)}); ${workerLoaded}`,
  );
  assert(out === "false", "node:worker_threads was loaded by importing the package root");
});

check(`require("${pkg.name}") does not load node:worker_threads`, () => {
  const out = runNode(
    ["--input-type=commonjs"],
    `require(${JSON.stringify(pkg.name)}); ${workerLoaded}`,
  );
  assert(out === "false", "node:worker_threads was loaded by requiring the package root");
});

// The blocking pool from the built package: a spawnBlocking job (shared pool, never closed)
// and a task-module job, from the ESM and the CJS build. The child must then exit on its own:
// an idle pool never keeps the process alive. No `--input-type` here: workers inherit execArgv.
const blockingJob = (load) => `${load}.then(async (w) => {
  const a = await w.run(w.spawnBlocking((x, y) => x + y, 2, 3));
  const pool = new w.BlockingPool({ filename: ${JSON.stringify(join(root, "test/fixtures/bench-tasks.mjs"))}, maxThreads: 1 });
  const b = await w.run(pool.run("add", [40, 2]));
  await pool.close();
  process.stdout.write(JSON.stringify([a, b]));
})`;

for (const [kind, load] of [
  ["ESM", `import(${JSON.stringify(pkg.name)})`],
  ["CJS", `Promise.resolve(require(${JSON.stringify(pkg.name)}))`],
]) {
  check(`${kind} build runs blocking jobs in dist/worker.js and exits when idle`, () => {
    if (!existsSync(join(root, "dist/worker.js"))) return "no dist/worker.js yet";
    const out = runNode([], blockingJob(load));
    assert(out === "[5,42]", `got ${out}`);
    return "spawnBlocking and pool.run";
  });
}

// Both entry points must share one copy of the core: a SimExecutor from `wakeful/testing`
// has to be the current executor for `sleep`/`select` from `wakeful` (one current-executor
// slot, one Future class), so an hour of virtual sleeps finishes at once; and both export the
// same DeadlockError class.
const sharedCore = (
  loadRoot,
  loadTesting,
) => `Promise.all([${loadRoot}, ${loadTesting}]).then(async ([w, t]) => {
  const sim = new t.SimExecutor({ seed: 3 });
  const out = await sim.run(w.future(function* () {
    const start = w.Instant.now();
    const r = yield* w.select(w.sleep(3600000), w.sleep(7200000));
    const sameDeadlockError = w.DeadlockError === t.DeadlockError;
    return [r.index, w.Instant.now().since(start), r instanceof Object, w.isFuture(t.pendingOnce()), sameDeadlockError];
  }));
  process.stdout.write(JSON.stringify(out));
})`;

for (const [kind, loadRoot, loadTesting] of [
  [
    "ESM",
    `import(${JSON.stringify(pkg.name)})`,
    `import(${JSON.stringify(`${pkg.name}/testing`)})`,
  ],
  [
    "CJS",
    `Promise.resolve(require(${JSON.stringify(pkg.name)}))`,
    `Promise.resolve(require(${JSON.stringify(`${pkg.name}/testing`)}))`,
  ],
]) {
  check(
    `${kind}: wakeful and wakeful/testing share one core (SimExecutor drives sleep/select)`,
    () => {
      const out = runNode([], sharedCore(loadRoot, loadTesting));
      assert(out === "[0,3600000,true,true,true]", `got ${out}`);
      return "an hour of virtual time";
    },
  );
}

// The dual-package hazard: one process loads both builds (an ESM app with a CJS dependency
// that uses wakeful). Futures made by one copy must be accepted, awaited, spawned and timed
// by the other: a Symbol.for brand instead of \`instanceof\` alone, and one runtime state per
// realm (the current executor, the budget, the \`yield*\` hand-over), so a CJS \`sleep\` polled
// by an ESM SimExecutor runs on its virtual clock and a CJS \`spawn\` finds the ESM executor.
const dualPackage = `Promise.all([import(${JSON.stringify(pkg.name)}), Promise.resolve(require(${JSON.stringify(pkg.name)})), import(${JSON.stringify(`${pkg.name}/testing`)})]).then(async ([esm, cjs, t]) => {
  if (esm.Future === cjs.Future) throw new Error("the two builds share one Future class: not a dual-package test");
  const fromCjs = cjs.future(function* () { yield* cjs.sleep(10); return 20; });
  const a = await esm.run(fromCjs);
  const b = await esm.run(esm.future(function* () {
    const h = cjs.spawn(cjs.future(function* () { yield* cjs.yieldNow(); return 1; }));
    const [x, y] = yield* esm.join(cjs.ready(2), h);
    const r = yield* esm.select(cjs.sleep(5), esm.sleep(50));
    return x + y + r.index;
  }));
  const sim = new t.SimExecutor({ seed: 1 });
  const c = await sim.run(cjs.future(function* () { yield* cjs.sleep(3600000); return cjs.Instant.now().ms; }));
  const accepted = [esm.isFuture(cjs.sleep(1)), cjs.isFuture(esm.sleep(1))];
  process.stdout.write(JSON.stringify([a, b, c, ...accepted]));
})`;

check(
  "one process with both builds: each accepts, awaits, spawns and times the other's futures",
  () => {
    const out = runNode([], dualPackage);
    assert(out === "[20,3,3600000,true,true]", `got ${out}`);
    return "ESM run/join/select/SimExecutor over CJS futures";
  },
);

// The "node" export condition: on Node, `wakeful`, `wakeful/testing` and `wakeful/executor`
// resolve to entry points that install the Node host (AsyncLocalStorage contexts carried into
// tasks, the beforeExit deadlock report); a browser bundle gets the plain entry points, which
// hold neither. In a child process per build, a task spawned inside `als.run("A", …)` and woken
// from inside `als.run("B", …)` must still read "A" after the wake; the plain ESM build loaded
// by its path installs no host.
check('on Node, every entry point resolves through the "node" condition (ESM and CJS)', () => {
  const wrong = [];
  for (const { specifier } of entries) {
    if (specifier === `${pkg.name}/node`) continue; // Node-only already
    const esmFile = fileURLToPath(import.meta.resolve(specifier));
    const cjsFile = require.resolve(specifier);
    if (!esmFile.endsWith(".node.js")) wrong.push(relative(root, esmFile));
    if (!cjsFile.endsWith(".node.cjs")) wrong.push(relative(root, cjsFile));
  }
  assert(wrong.length === 0, `resolved without the node condition: ${wrong.join(", ")}`);
  return "*.node.js / *.node.cjs";
});

const hostContext = (load) => `${load}.then(async (w) => {
  const { AsyncLocalStorage } = require("node:async_hooks");
  const als = new AsyncLocalStorage();
  const ex = new w.LocalExecutor();
  const [tx, rx] = w.oneshot();
  const h = als.run("A", () => ex.handle.spawn(w.future(function* () { yield* rx; return als.getStore(); })));
  await new Promise((r) => setTimeout(r, 5));
  als.run("B", () => tx.send(1));
  const host = globalThis[Symbol.for("wakeful.runtime/3")].host;
  process.stdout.write(JSON.stringify([await h, typeof host?.exit?.watch]));
  ex.shutdown();
})`;

for (const [kind, load, expected] of [
  ["ESM", `import(${JSON.stringify(pkg.name)})`, '["A","function"]'],
  ["CJS", `Promise.resolve(require(${JSON.stringify(pkg.name)}))`, '["A","function"]'],
  ["plain ESM build (as a browser gets it)", `import("./dist/index.js")`, '["B","undefined"]'],
]) {
  check(`${kind}: a task keeps the AsyncLocalStorage context it was spawned in`, () => {
    const out = runNode([], hostContext(load));
    assert(out === expected, `got ${out}, expected ${expected}`);
    return expected === '["A","function"]' ? "Node host installed" : "no host, nothing captured";
  });
}

check("a browser bundle of wakeful holds no node: import and no Node host", () => {
  const esbuild = require("esbuild");
  const result = esbuild.buildSync({
    stdin: {
      contents: `export { run, spawn, future, LocalExecutor } from ${JSON.stringify(pkg.name)};`,
      resolveDir: root,
    },
    bundle: true,
    format: "esm",
    platform: "browser",
    // Resolve "wakeful" through package.json exports, as a consumer does, not tsconfig's paths.
    tsconfigRaw: {},
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].text;
  const found = ["node:", "async_hooks", "beforeExit", "installNodeHost"].filter((s) =>
    code.includes(s),
  );
  assert(found.length === 0, `the browser bundle contains ${found.join(", ")}`);
  return `${code.length} B unminified`;
});

// The sealed surface: nothing marked internal, and none of the executor-author plumbing,
// reaches the main entry's declarations; the plumbing is declared by wakeful/executor.
check("the main entry's .d.ts declares no internal member and no executor plumbing", () => {
  const dts = readFileSync(join(root, "dist/index.d.ts"), "utf8");
  const chunks = readdirSync(join(root, "dist")).filter(
    (f) => f.endsWith(".d.ts") && f !== "executor.d.ts",
  );
  const all = chunks.map((f) => readFileSync(join(root, "dist", f), "utf8")).join("\n");
  const leaks = [];
  if (/@internal/.test(all)) leaks.push("an @internal comment");
  for (const name of [
    "enterRuntime",
    "exitRuntime",
    "RuntimeContext",
    "OwnedTasks",
    "TimerDriver",
    "timerDriver",
    "beginExternal",
    "InlineFuture",
    "useClock",
    "enterExecutor",
  ]) {
    if (
      new RegExp(`export \\{[^}]*\\b${name}\\b[^}]*\\};?\\s*$`, "m").test(
        dts
          .split("\n")
          .filter((l) => l.startsWith("export {"))
          .join("\n"),
      )
    )
      leaks.push(name);
  }
  for (const member of [
    "takePermit",
    "pollJoinNext",
    "taskDone",
    "enqueue(",
    "leave(",
    "schedule(task",
    "finished(task",
    "unhandled(error",
  ]) {
    if (all.includes(member)) leaks.push(member);
  }
  assert(leaks.length === 0, `leaked: ${leaks.join(", ")}`);
  const executorDts = readFileSync(join(root, "dist/executor.d.ts"), "utf8");
  assert(
    /RuntimeContext/.test(executorDts) && /OwnedTasks/.test(executorDts),
    "wakeful/executor misses its names",
  );
  return `${chunks.length} declaration files`;
});

// The declarations check in a browser project: DOM lib, no @types/node, skipLibCheck off.
check("the package's types check in a browser project (no @types/node, skipLibCheck off)", () => {
  const tsc = require.resolve("typescript/bin/tsc");
  const result = spawnSync(
    process.execPath,
    [tsc, "-p", join(root, "test/dist/browser-types/tsconfig.json")],
    {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
    },
  );
  const errors = (result.stdout.match(/error TS/g) ?? []).length;
  assert(
    result.status === 0,
    `${errors} error(s):\n${result.stdout.trim().split("\n").slice(0, 10).join("\n")}`,
  );
  return "lib ES2022 + DOM + ESNext.Disposable";
});

// Source maps map lines and names without embedding the sources (issue 15): embedded sources
// were most of the tarball. Each map must still name its sources and carry mappings.
check("every source map in dist/ has mappings and no embedded sourcesContent", () => {
  const maps = readdirSync(join(root, "dist")).filter((f) => f.endsWith(".map"));
  assert(maps.length > 0, "no source maps in dist/");
  for (const file of maps) {
    const map = JSON.parse(readFileSync(join(root, "dist", file), "utf8"));
    assert(!("sourcesContent" in map), `${file} embeds sourcesContent`);
    assert(Array.isArray(map.sources), `${file} names no sources`);
  }
  const mapped = maps.filter(
    (f) => JSON.parse(readFileSync(join(root, "dist", f), "utf8")).mappings.length > 0,
  );
  assert(mapped.length > 0, "every map is empty");
  return `${maps.length} maps`;
});

// wakeful/testing never loads fast-check itself: schedules(fc) is handed the module.
check("the built wakeful/testing neither imports nor requires fast-check", () => {
  const files = ["dist/testing.js", "dist/testing.cjs"];
  const loads = files.filter((f) =>
    /^\s*import\b[^;\n]*from\s*["']fast-check["']|(?:import|require)\s*\(\s*["']fast-check["']\s*\)/m.test(
      readFileSync(join(root, f), "utf8"),
    ),
  );
  assert(loads.length === 0, `fast-check is loaded by ${loads.join(", ")}`);
  return files.join(", ");
});

// fast-check is an optional peer: `wakeful/testing` must load without it. Hide it from the
// resolver in a child process (an ESM resolve hook, and Module._resolveFilename for require).
const testingEntry = entries.find((e) => e.key === "./testing");
if (testingEntry) {
  const hidden = (s) => `${s} === "fast-check" || ${s}.startsWith("fast-check/")`;
  const esmHook = `export async function resolve(s, c, next) {
    if (${hidden("s")}) throw Object.assign(new Error("fast-check is hidden to simulate a missing optional peer"), { code: "ERR_MODULE_NOT_FOUND" });
    return next(s, c);
  }`;
  const hookUrl = `data:text/javascript,${encodeURIComponent(esmHook)}`;

  check(`import("${testingEntry.specifier}") works without fast-check installed`, () => {
    runNode(
      ["--input-type=module"],
      `import { register } from "node:module";
       register(${JSON.stringify(hookUrl)});
       let hiddenWorks = false;
       try { await import("fast-check"); } catch { hiddenWorks = true; }
       if (!hiddenWorks) throw new Error("could not hide fast-check from the ESM resolver");
       await import(${JSON.stringify(testingEntry.specifier)});`,
    );
  });

  check(`require("${testingEntry.specifier}") works without fast-check installed`, () => {
    runNode(
      ["--input-type=commonjs"],
      `const Module = require("node:module");
       const resolve = Module._resolveFilename;
       Module._resolveFilename = function (s, ...rest) {
         if (${hidden("s")}) throw Object.assign(new Error("fast-check is hidden to simulate a missing optional peer"), { code: "MODULE_NOT_FOUND" });
         return resolve.call(this, s, ...rest);
       };
       require(${JSON.stringify(testingEntry.specifier)});`,
    );
  });
}

finish();
