/**
 * `npm run bench [-- FILTER]`: runs every `bench/*.bench.ts` workload (or those whose file name
 * contains FILTER) in this one process and prints medians and ratios to the baseline.
 * Run with `node --expose-gc` (the npm script does) so rounds start from a collected heap.
 */
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { measure, print, type Workload } from "./harness.js";

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filter === undefined || f.includes(filter))
  .sort();

console.log(`node ${process.version}, ${files.length} workload file(s)\n`);
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { workloads: Workload[] };
  for (const w of mod.workloads) print(await measure(w), w.goal);
}
