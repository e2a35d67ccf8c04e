#!/usr/bin/env node
// Bundle-size check, after `npm run build`: bundles small programs that import from the built
// package (dist/index.js) with esbuild (browser, ESM, minified), gzips them at level 9 and fails
// when one goes over its budget. Two numbers per program:
// - `goal`: issue 11's target, what a browser user should pay for what they import. Only the
//   floor (`Poll` alone) meets it today; the others are printed with how far they are from it.
// - `budget`: what the current code measures, plus about 3%: a regression guard, so that a
//   change which grows a bundle fails here and has to say why (raise the budget in the commit).
//   Last set when the Node-only code moved behind the package's "node" export condition (the
//   AsyncLocalStorage adapter, the beforeExit deadlock watch and the deadlock report): 560,
//   7381, 10184 and 13714 B (from 560, 8244, 11040 and 14524 B). What is left is what every such
//   program runs in any host: tasks, the executor, async blocks, timers, channels.
// Effection is bundled the same way for comparison (reported, not checked).
//
// Prints one line per program and exits 1 when any budget is exceeded.
// `node test/dist/size.mjs --why "run, spawn"` prints the largest inputs of that bundle.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(join(root, "package.json"));
const esbuild = require("esbuild");

/** Programs, each a list of names imported from "wakeful", with gzip goals and budgets in bytes. */
const programs = [
  { names: ["Poll"], goal: 1000, budget: 580 },
  { names: ["run", "spawn", "future"], goal: 3000, budget: 7600 },
  {
    names: ["run", "spawn", "future", "join", "select", "timeout", "sleep"],
    goal: 4096,
    budget: 10450,
  },
  {
    names: [
      "run",
      "spawn",
      "future",
      "join",
      "select",
      "timeout",
      "sleep",
      "channel",
      "oneshot",
      "Mutex",
      "Semaphore",
    ],
    goal: 6000,
    budget: 14100,
  },
];

async function bundle(source, resolveDir, external = []) {
  const result = await esbuild.build({
    stdin: { contents: source, resolveDir, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
    external,
  });
  const code = result.outputFiles[0].contents;
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length, meta: result.metafile };
}

const dist = join(root, "dist", "index.js");
readFileSync(dist); // fails clearly when the package is not built
const why = process.argv.indexOf("--why");
let failed = 0;

for (const { names, goal, budget } of programs) {
  const list = names.join(", ");
  const source = `import { ${list} } from ${JSON.stringify(dist)};\nconsole.log(${list});\n`;
  const { raw, gzip, meta } = await bundle(source, root);
  const ok = gzip <= budget;
  if (!ok) failed++;
  const vsGoal = gzip <= goal ? "meets goal" : `goal ${goal} B, ${(gzip / goal).toFixed(1)}x over`;
  console.log(
    `${ok ? "ok  " : "FAIL"} ${String(gzip).padStart(6)} B gzip (${raw} B min) <= budget ${budget} B (${vsGoal}): ${list}`,
  );
  if (why !== -1 && process.argv[why + 1] === list) {
    const inputs = Object.values(meta.outputs)[0].inputs;
    const rows = Object.entries(inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
    for (const [file, { bytesInOutput }] of rows.slice(0, 20)) {
      console.log(`       ${String(bytesInOutput).padStart(6)} ${file}`);
    }
  }
}

const effection = await bundle(
  "import { run, spawn, sleep, race } from 'effection';\nconsole.log(run, spawn, sleep, race);\n",
  root,
  ["node:*"], // effection's Node-only main() helper; a browser bundle would not reach it
);
console.log(
  `info ${String(effection.gzip).padStart(6)} B gzip: effection (run, spawn, sleep, race)`,
);

console.log(`size: ${programs.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
