/**
 * `npm run demo`: walks through the scenarios of DESIGN.md, one example file per scenario.
 *
 * Each scenario is a file `examples/NN-name.ts` exporting `title` and `main()`; this runner
 * finds them, runs them in order and prints a banner before each. Run one on its own with
 * `npx tsx examples/demo.ts 03` (any prefix of the file name).
 */
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

interface Scenario {
  readonly title: string;
  main(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = readdirSync(here)
  .filter((f) => /^\d\d-.+\.ts$/.test(f))
  .filter((f) => filter === undefined || f.startsWith(filter))
  .sort();

if (files.length === 0) {
  console.error(`no scenario matches ${filter ?? "(all)"}`);
  process.exit(1);
}

const started = performance.now();
for (const file of files) {
  const scenario = (await import(pathToFileURL(join(here, file)).href)) as Scenario;
  const bar = "=".repeat(Math.max(8, 78 - scenario.title.length));
  console.log(`\n== ${scenario.title} ${bar}\n   (examples/${file})\n`);
  await scenario.main();
}
console.log(
  `\nAll ${files.length} scenarios ran in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
);
