// The reporting shared by the dist scripts (check.mjs, consumer.mjs): one line per check,
// "ok" or "FAIL" with the error's message, and a closing "<name>: N passed, N failed" line.

/** A set of checks named `name`: `check(description, fn)`, then `finish()` sets the exit code. */
export function checks(name) {
  let passed = 0;
  let failed = 0;
  return {
    /** Runs `fn`; a returned string is printed as the check's detail, a throw fails it. */
    check(description, fn) {
      try {
        const detail = fn();
        passed++;
        console.log(`ok   ${description}${detail ? ` (${detail})` : ""}`);
      } catch (error) {
        failed++;
        console.log(
          `FAIL ${description}\n     ${String(error?.message ?? error).replace(/\n/g, "\n     ")}`,
        );
      }
    },
    /** Prints the summary line and sets the process's exit code (1 when a check failed). */
    finish() {
      console.log(`${name}: ${passed} passed, ${failed} failed`);
      process.exitCode = failed === 0 ? 0 : 1;
    },
  };
}
