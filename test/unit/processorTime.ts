/** Processor time of one call in ms: the best of three rounds after a warm-up, so other processes on a busy machine do not count. */
export function processorMsPerCall(call: () => unknown, calls = 200): number {
  for (let i = 0; i < 50; i++) call();
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const before = process.cpuUsage();
    for (let i = 0; i < calls; i++) call();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1000 / calls);
  }
  return best;
}
