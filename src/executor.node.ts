/**
 * `wakeful/executor` on Node (the package's `"node"` export condition): everything
 * `src/executor.ts` exports, with the Node host installed (node/host.ts), so tasks carry
 * `AsyncLocalStorage` contexts and `run()` reports a deadlock at `beforeExit`. Other hosts get
 * `src/executor.ts`.
 * @module
 */
import { installNodeHost } from "./node/host.js";

export * from "./executor.js";

installNodeHost();
