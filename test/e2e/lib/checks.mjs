// A tiny runner for a journey of dependent steps: `step` stops the journey when it fails (what
// follows cannot happen), `check` records a failure and goes on. The last line is "N passed, N failed".
const started = Date.now();
const results = [];

export class JourneyStopped extends Error {}

export function elapsed() {
  return ((Date.now() - started) / 1000).toFixed(1);
}

export function say(...parts) {
  console.log(`[${elapsed()}s]`, ...parts);
}

async function attempt(name, fn) {
  const t = Date.now();
  try {
    const note = await fn();
    results.push({ name, ok: true });
    say(`ok   ${name}${note ? ` (${note})` : ''} ${Date.now() - t} ms`);
    return true;
  } catch (error) {
    results.push({ name, ok: false, error });
    say(`FAIL ${name}: ${error instanceof Error ? error.message : error}`);
    return false;
  }
}

/** Something the rest of the journey needs. */
export async function step(name, fn) {
  if (!(await attempt(name, fn))) throw new JourneyStopped(name);
}

/** Something the user should see; the journey goes on either way. */
export function check(name, fn) {
  return attempt(name, fn);
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Prints the closing line; returns the exit code. */
export function report() {
  const failed = results.filter((r) => !r.ok);
  if (failed.length) console.log(`\nfailed:\n${failed.map((r) => `  - ${r.name}`).join('\n')}`);
  console.log(`\nwall time ${elapsed()} s`);
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  return failed.length ? 1 : 0;
}
