/**
 * How code being polled finds the simulation polling it: a fault point (fault-point.ts) or a
 * shared cell (shared.ts) looks up the current runtime context's executor here.
 *
 * Invariants:
 * - One registry per realm, shared by every copy of wakeful under a versioned key (core/
 *   realm.ts), so a fault point compiled against one copy sees a simulation run by another.
 *   The hooks' shape changes only together with the key.
 * - An entry lives as long as its executor (a WeakMap), and is never replaced.
 * - Outside a simulation the lookup costs one read of the runtime context, and under an
 *   executor without a random source (LocalExecutor) one more field read: no map lookup.
 * @module
 */
import { realmShared } from "../core/realm.js";
import { RT } from "../core/runtime.js";

/** @internal What a simulation offers the code it polls. */
export interface SimulationHooks {
  /** Draws a fault point's outcome (a recorded decision). */
  fault(name: string, probability: number): boolean;
  /** Records that the current step read (or wrote) `cell`. */
  access(cell: object, write: boolean): void;
  /** Records that the current step made `cell`. */
  created(cell: object): void;
}

const SIMULATIONS: WeakMap<object, SimulationHooks> = /* @__PURE__ */ realmShared(
  "wakeful.simulations/1",
  () => new WeakMap<object, SimulationHooks>(),
);

/** @internal Registers the simulation behind `executor`. */
export function registerSimulation(executor: object, hooks: SimulationHooks): void {
  SIMULATIONS.set(executor, hooks);
}

/** @internal The simulation polling right now, if any. */
export function currentSimulation(): SimulationHooks | undefined {
  const cx = RT.context;
  // Simulations always provide a random source; LocalExecutor does not: no lookup for it.
  if (cx === undefined || cx.random === undefined) return undefined;
  return SIMULATIONS.get(cx.executor);
}
