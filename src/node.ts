/**
 * `wakeful/node`: Node-only parts, kept out of the package root so that importing `wakeful`
 * loads no `node:` module. {@link main} runs a program with graceful shutdown on signals.
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
export { type MainOptions, main } from "./node/main.js";
