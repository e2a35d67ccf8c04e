/**
 * `wakeful/node`: Node-only parts, kept out of the package root so that a browser bundle of
 * `wakeful` holds no `node:` import. {@link main} runs a program with graceful shutdown on
 * signals. Importing it installs the Node host, as the `"node"` condition of `wakeful` does.
 *
 * @example
 * ```ts
 * import { future } from "wakeful";
 * import { main } from "wakeful/node";
 *
 * main((token) => future(function* () {
 *   yield* token.cancelled(); // serve until SIGINT or SIGTERM, then exit 0
 * }));
 * ```
 * @module wakeful/node
 */
import { installNodeHost } from "./node/host.js";

export { type MainOptions, main } from "./node/main.js";

installNodeHost();
