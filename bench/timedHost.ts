import { performance } from 'node:perf_hooks';
import { NodeHost } from '../src/cli/nodeHost';
import type { Host } from '../src/core/host';

/** The headless host, timing how long its scripts take from spawn to exit (script time is not the agent's). */
export function timedHost(): { host: Host; scriptMs: () => number } {
  const inner = new NodeHost(() => {});
  let total = 0;
  const host: Host = {
    proposeEdit: (p) => inner.proposeEdit(p),
    log: (level, message) => inner.log(level, message),
    async runScript(request, onOutput, signal) {
      const started = performance.now();
      try {
        return await inner.runScript(request, onOutput, signal);
      } finally {
        total += performance.now() - started;
      }
    },
  };
  return { host, scriptMs: () => total };
}
