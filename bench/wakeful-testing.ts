/**
 * The wakeful/testing the benchmarks measure: the built `dist/testing.js`, loaded as a consumer
 * loads it, typed from the sources (see wakeful.ts). It shares its chunks with `dist/index.js`,
 * so its futures and executors are those of the `wakeful` that bench/wakeful.ts loads.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type * as Testing from "../src/testing.js";

const dist = new URL("../dist/testing.js", import.meta.url);
if (!existsSync(fileURLToPath(dist))) {
  throw new Error("bench: dist/testing.js is missing; run `npm run build` (npm run bench does)");
}

/** The built `wakeful/testing` entry point. */
export const testing = (await import(dist.href)) as typeof Testing;
