/**
 * The bench harness: every workload runs its contenders in one process, alternating them
 * round by round (so drift and GC pressure hit everyone alike), and reports medians and the
 * ratio of each contender to the baseline (the first contender, normally native Promises).
 *
 * A workload file `bench/NAME.bench.ts` exports `workload: Workload`; `bench/run.ts` finds and
 * runs them (`npm run bench`, or `npm run bench -- NAME` for one).
 */

/** One way of doing the workload. `run` returns a checksum so nothing is optimised away. */
export interface Contender {
  readonly name: string;
  run(): Promise<unknown> | unknown;
  /** Reported next to the time when present, e.g. bytes per task. */
  extra?: () => Promise<Record<string, number>> | Record<string, number>;
}

/** A workload: a name, a goal to print, and its contenders (baseline first). */
export interface Workload {
  readonly name: string;
  /** The goal from the issue, printed next to the result, e.g. "wakeful <= 0.8x native". */
  readonly goal?: string;
  readonly rounds?: number;
  readonly contenders: readonly Contender[];
  /** Custom measurement instead of timing rounds; prints its own table. */
  custom?: () => Promise<Row[]>;
}

/** One line of output. */
export interface Row {
  readonly workload: string;
  readonly contender: string;
  readonly median: string;
  readonly ratio: string;
  readonly note?: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Runs `w` and returns one row per contender with the median time and the ratio to the first. */
export async function measure(w: Workload): Promise<Row[]> {
  if (w.custom !== undefined) return w.custom();
  const rounds = w.rounds ?? 7;
  const times = w.contenders.map(() => [] as number[]);
  // One collection before the workload, one warm-up round each, then alternate the order
  // every round. No forced collection between rounds: a full GC throws away optimised code
  // whose hidden classes have no live instance left, which would make every round start cold
  // (and no real program collects before each operation); alternating spreads the garbage each
  // contender leaves behind over everyone.
  gc();
  for (const c of w.contenders) await c.run();
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < w.contenders.length; i++) {
      const c = w.contenders[(i + r) % w.contenders.length] as Contender;
      const t = performance.now();
      await c.run();
      times[(i + r) % w.contenders.length]?.push(performance.now() - t);
    }
  }
  const medians = times.map(median);
  const base = medians[0] as number;
  const rows: Row[] = [];
  for (let i = 0; i < w.contenders.length; i++) {
    const c = w.contenders[i] as Contender;
    const extra = c.extra === undefined ? undefined : await c.extra();
    rows.push({
      workload: w.name,
      contender: c.name,
      median: `${(medians[i] as number).toFixed(1)} ms`,
      ratio: `${((medians[i] as number) / base).toFixed(2)}x`,
      ...(extra === undefined
        ? {}
        : {
            note: Object.entries(extra)
              .map(([k, v]) => `${k}=${v}`)
              .join(" "),
          }),
    });
  }
  return rows;
}

/** Prints rows as an aligned table. */
export function print(rows: readonly Row[], goal?: string): void {
  const cols = ["workload", "contender", "median", "ratio", "note"] as const;
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? "").length)));
  const line = (cells: string[]) => cells.map((s, i) => s.padEnd(width[i] as number)).join("  ");
  console.log(line([...cols]));
  for (const r of rows) console.log(line(cols.map((c) => String(r[c] ?? ""))));
  if (goal !== undefined) console.log(`goal: ${goal}`);
  console.log();
}
