/**
 * The HTML page of `sim.trace().html()`: a self-contained document (inline CSS and SVG, no
 * script, nothing fetched) that a browser renders as the run's timeline.
 *
 * Layout: one row per task (the simulation's own steps on top), one column per step; a poll
 * is a bar in its task's row, a thin line after it says what the task then waited on, a wake
 * is an arrow from the step that woke a task to its next poll, a step outside any task (timers,
 * a delivered reply, a host turn) is a diamond in the top row, a fault point that fired is a
 * red triangle, and the axis names the virtual time wherever it moved.
 *
 * Invariants:
 * - Every text that comes from the program (task names, descriptions, labels) is escaped.
 * - The elements carry classes and data attributes (`row`/`data-task`, `poll`, `wake`,
 *   `outside`, `fault`, `wait`) so tests and tools can read the page back.
 * @module
 */
import { type TraceData, wakeArrows } from "./trace-data.js";
import type { TracedTask } from "./trace-recorder.js";

const LABEL_W = 200;
const STEP_W = 18;
const ROW_H = 30;
const AXIS_H = 46;

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function label(t: TracedTask): string {
  return t.name === undefined ? `#${t.id}` : `#${t.id} ${t.name}`;
}

function clip(text: string, chars: number): string {
  return text.length <= chars ? text : `${text.slice(0, Math.max(1, chars - 1))}…`;
}

/** @internal The page for `data`, showing its last `maxSteps` steps. */
export function renderTimeline(data: TraceData, title: string, maxSteps: number): string {
  const first = Math.max(0, data.steps - maxSteps);
  const shown = data.steps - first;
  const rowOf = new Map<number, number>([[0, 0]]);
  for (const [i, t] of data.tasks.entries()) rowOf.set(t.id, i + 1);
  const width = LABEL_W + shown * STEP_W + 40;
  const height = AXIS_H + (data.tasks.length + 1) * ROW_H + 10;
  const x = (slot: number): number => LABEL_W + (slot - first) * STEP_W;
  const y = (task: number): number => AXIS_H + (rowOf.get(task) ?? 0) * ROW_H;
  const svg: string[] = [];

  // Rows and their labels.
  svg.push(
    `<g class="row" data-task="0"><rect class="band" x="0" y="${y(0)}" width="${width}" height="${ROW_H}"/>` +
      `<text class="label" x="8" y="${y(0) + 19}">simulation</text></g>`,
  );
  data.tasks.forEach((t, i) => {
    const parent = t.parent === undefined ? "" : `, spawned by #${t.parent}`;
    svg.push(
      `<g class="row" data-task="${t.id}"><rect class="band${i % 2 === 0 ? " odd" : ""}" x="0" y="${y(t.id)}" width="${width}" height="${ROW_H}"/>` +
        `<text class="label" x="8" y="${y(t.id) + 19}"><title>${esc(label(t) + parent)}</title>${esc(clip(label(t), 26))}</text></g>`,
    );
  });

  // The virtual-time axis: a tick wherever time moved.
  const times = [
    ...data.polls_.map((p) => [p.slot, p.time] as const),
    ...data.outside.map((o) => [o.slot, o.time] as const),
  ].sort((a, b) => a[0] - b[0]);
  let last = Number.NaN;
  for (const [slot, time] of times) {
    if (time === last) continue;
    last = time;
    if (slot < first) continue;
    svg.push(
      `<g class="tick"><line x1="${x(slot)}" y1="${AXIS_H - 8}" x2="${x(slot)}" y2="${height - 10}"/>` +
        `<text x="${x(slot) + 3}" y="${AXIS_H - 12}">${esc(`${time} ms`)}</text></g>`,
    );
  }

  // Waiting lines, then polls.
  const polls = data.polls_;
  const nextOf = new Map<number, number>();
  const seen = new Map<number, number>();
  for (let i = polls.length - 1; i >= 0; i--) {
    const p = polls[i];
    if (p === undefined) continue;
    nextOf.set(p.slot, seen.get(p.task) ?? -1);
    seen.set(p.task, p.slot);
  }
  for (const p of polls) {
    if (p.slot < first || p.waitingOn === "done") continue;
    const end = nextOf.get(p.slot) ?? -1;
    const x1 = x(p.slot) + STEP_W - 2;
    const x2 = end < 0 ? x(data.steps) : x(end) + 2;
    const mid = y(p.task) + ROW_H / 2;
    const room = Math.floor((x2 - x1 - 8) / 6.5);
    svg.push(
      `<g class="wait" data-task="${p.task}"><title>${esc(`waits on ${p.waitingOn}`)}</title>` +
        `<line x1="${x1}" y1="${mid}" x2="${x2}" y2="${mid}"/>` +
        (room >= 4
          ? `<text x="${x1 + 4}" y="${mid - 4}">${esc(clip(p.waitingOn, room))}</text>`
          : "") +
        "</g>",
    );
  }
  for (const p of polls) {
    if (p.slot < first) continue;
    const tip = `step ${p.slot}, at ${p.time} ms: poll of ${label(data.tasks.find((t) => t.id === p.task) ?? { id: p.task, name: undefined, parent: undefined })}; then ${p.waitingOn === "done" ? "finished" : `waits on ${p.waitingOn}`}`;
    svg.push(
      `<rect class="poll${p.waitingOn === "done" ? " last" : ""}" data-task="${p.task}" data-step="${p.slot}" x="${x(p.slot) + 2}" y="${y(p.task) + 6}" width="${STEP_W - 4}" height="${ROW_H - 12}" rx="2"><title>${esc(tip)}</title></rect>`,
    );
  }

  // Steps outside any task.
  for (const o of data.outside) {
    if (o.slot < first) continue;
    const cx = x(o.slot) + STEP_W / 2;
    const cy = y(0) + ROW_H / 2;
    svg.push(
      `<path class="outside ${o.kind.replace(" ", "-")}" data-step="${o.slot}" d="M${cx} ${cy - 8}L${cx + 7} ${cy}L${cx} ${cy + 8}L${cx - 7} ${cy}Z"><title>${esc(`step ${o.slot}, at ${o.time} ms: ${o.label}`)}</title></path>`,
    );
  }

  // Wakes.
  for (const a of wakeArrows(data)) {
    if (a.from < first) continue;
    const x1 = x(a.from) + STEP_W / 2;
    const y1 = y(a.fromTask) + ROW_H / 2;
    const x2 = x(a.to) + 2;
    const y2 = y(a.toTask) + ROW_H / 2;
    const bend = Math.max(10, (x2 - x1) / 2);
    svg.push(
      `<path class="wake" data-from="${a.from}" data-to="${a.to}" d="M${x1} ${y1}C${x1 + bend} ${y1} ${x2 - bend} ${y2} ${x2} ${y2}" marker-end="url(#arrow)"><title>${esc(`step ${a.from} woke the task polled at step ${a.to}`)}</title></path>`,
    );
  }

  // Fault points that fired.
  const owner = new Map(polls.map((p) => [p.slot, p.task]));
  for (const f of data.faultsDrawn) {
    if (!f.fired || f.slot < first) continue;
    const fx = x(f.slot) + STEP_W / 2;
    const fy = y(owner.get(f.slot) ?? 0) + 2;
    svg.push(
      `<path class="fault" data-step="${f.slot}" d="M${fx - 6} ${fy}L${fx + 6} ${fy}L${fx} ${fy + 9}Z"><title>${esc(`fault: ${f.name}`)}</title></path>`,
    );
  }

  const cut =
    first > 0 ? `<p class="note">Showing the last ${shown} of ${data.steps} steps.</p>` : "";
  const faults = data.faults.length === 0 ? "none" : data.faults.map(esc).join(", ");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:13px system-ui,sans-serif;margin:16px;color:#1d2430;background:#fff}
h1{font-size:18px;margin:0 0 8px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0 0 10px}
dt{color:#5a6475}dd{margin:0;font-family:ui-monospace,monospace;word-break:break-all}
.note{color:#8a5a00}
.scroll{overflow-x:auto;border:1px solid #d5dae3}
svg text{font:11px ui-monospace,monospace;fill:#1d2430}
.band{fill:#fff}.band.odd{fill:#f4f6fa}
.label{font-weight:600}
.tick line{stroke:#c4cad6;stroke-dasharray:2 3}.tick text{fill:#5a6475}
.poll{fill:#3b7dd8}.poll.last{fill:#2e9d5b}
.wait line{stroke:#9aa5b8;stroke-width:2}.wait text{fill:#6b7588}
.outside{fill:#e0a200}.outside.delivery{fill:#9b5de5}.outside.host-turn{fill:#9aa5b8}
.wake{fill:none;stroke:#d9480f;stroke-width:1.4;opacity:.8}
.fault{fill:#c92a2a}
.legend span{margin-right:14px}.legend i{display:inline-block;width:12px;height:10px;margin-right:4px;vertical-align:middle}
</style></head><body>
<h1>${esc(title)}</h1>
<dl>
<dt>replay</dt><dd>SimExecutor.replay(${esc(JSON.stringify(data.schedule))})</dd>
<dt>virtual time</dt><dd>${data.now} ms</dd>
<dt>polls</dt><dd>${data.polls} over ${data.tasks.length} tasks, ${data.steps} steps in all</dd>
<dt>faults fired</dt><dd>${faults}</dd>
</dl>
<p class="legend"><span><i style="background:#3b7dd8"></i>poll</span><span><i style="background:#2e9d5b"></i>last poll</span><span><i style="background:#9aa5b8;height:2px"></i>waiting (hover: on what)</span><span><i style="background:#d9480f;height:2px"></i>wake</span><span><i style="background:#e0a200"></i>timers</span><span><i style="background:#9b5de5"></i>reply delivered</span><span><i style="background:#c92a2a"></i>fault</span></p>
${cut}<div class="scroll"><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#d9480f"/></marker></defs>
<text x="8" y="${AXIS_H - 12}" fill="#5a6475">virtual time →</text>
${svg.join("\n")}
</svg></div>
</body></html>
`;
}
