/**
 * Vitest setup: installs the Node host (src/node/host.ts) in every test file, as importing
 * `wakeful` on Node does through its `"node"` export condition. Tests import the sources
 * directly (`src/index.ts`), which on their own run as in a browser.
 */
import { installNodeHost } from "../../src/node/host.js";

installNodeHost();
