/**
 * Launching the machine's Chromium (Debian's `chromium` package) headless through
 * playwright-core, for the tests that check something in a real browser: the core running in
 * a page, the docs site, the simulation timeline. Nothing is downloaded: playwright-core is
 * driven with `executablePath`, and `.ci/run` installs Chromium from Debian packages when it is
 * missing.
 *
 * The flags are those that work on these machines: no sandbox (tests run as root), no GPU, and
 * no background networking (the machines have no outside network; Chromium would otherwise
 * retry connections at every start).
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Where Debian's package puts Chromium, unless `CHROMIUM_PATH` says otherwise. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** True when a Chromium binary is installed (CI always installs one; see .ci/run). */
export const hasChromium = existsSync(chromiumPath);

/** Launches headless Chromium; close the browser when done. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Where tests save screenshots and pages worth keeping as CI artifacts (`.ci/run` prints it).
 */
export const artifactDir = process.env.WAKEFUL_ARTIFACTS ?? "artifacts";
