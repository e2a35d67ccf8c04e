/**
 * `wakeful` on Node (the package's `"node"` export condition): everything `src/index.ts`
 * exports, with the Node host installed (node/host.ts), so tasks carry `AsyncLocalStorage`
 * contexts and `run()` reports a deadlock at `beforeExit`. Other hosts get `src/index.ts`.
 * @module
 */
import { installNodeHost } from "./node/host.js";

export * from "./index.js";

installNodeHost();
