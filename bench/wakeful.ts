/**
 * The wakeful the benchmarks measure: the built package (dist/), loaded as a consumer loads it,
 * typed from the sources. `npm run bench` builds it first. Measuring the sources through tsx
 * would measure tsx's output instead, and flatter or penalise the hot paths by accident.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type * as Wakeful from "../src/index.js";

const dist = new URL("../dist/index.js", import.meta.url);
if (!existsSync(fileURLToPath(dist))) {
  throw new Error("bench: dist/index.js is missing; run `npm run build` (npm run bench does)");
}

/** The built `wakeful` entry point. */
export const wakeful = (await import(dist.href)) as typeof Wakeful;
