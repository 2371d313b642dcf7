import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatUsd } from '../../shared/money';
import { UsageError } from '../args';
import { parseBenchArgs } from './benchArgs';
import { planBench } from './benchPlan';
import { reportHtml, reportMarkdown } from './report';
import { benchResults } from './results';
import { ownCli } from './runOne';
import { runPool, type Progress } from './runPool';
import { runJobArray } from './slurmArray';

/** Exit code of a bench stopped with Ctrl-C (as a shell reports SIGINT). */
const EXIT_STOPPED = 130;

/**
 * `budgetml bench`: every task × configuration × run as an ordinary run, K at a time (or as one SLURM
 * job array), then results.json, report.md and report.html in the bench folder. Ctrl-C lets the runs
 * under way stop cleanly; --resume continues, skipping the finished ones.
 */
export async function bench(argv: readonly string[]): Promise<number> {
  const args = parseBenchArgs(argv);
  const plan = planBench(args);
  const out = resolve(args.out);
  if (!args.resume && existsSync(join(out, 'runs'))) {
    throw new UsageError(`--out ${args.out} already holds a bench: add --resume to continue it, or choose another folder`);
  }
  if (args.replay && !existsSync(args.replay)) throw new UsageError(`the recording ${args.replay} does not exist`);
  mkdirSync(out, { recursive: true });
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const show = progressLine(args.json);
  const options = { parallel: args.parallel, budget: args.budget, replay: args.replay, cli: ownCli(), onProgress: show };
  if (args.scheduler === 'slurm') await runJobArray(plan, { ...options, out }, controller.signal);
  else await runPool(plan, options, controller.signal);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  const results = benchResults(plan);
  writeFileSync(join(out, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(out, 'report.md'), reportMarkdown(results));
  writeFileSync(join(out, 'report.html'), reportHtml(results));
  if (args.json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  else {
    process.stderr.write('\n');
    for (const c of results.configs) {
      process.stderr.write(
        `${c.name}: ${Math.round(c.successRate * 100)} % success over ${c.runs} runs, ${formatUsd(c.meanCostUsd)} per run\n`,
      );
    }
    process.stderr.write(`report in ${join(out, 'report.md')} and report.html\n`);
  }
  if (controller.signal.aborted) {
    if (!args.json) process.stderr.write(`stopped: continue with budgetml bench … --out ${args.out} --resume\n`);
    return EXIT_STOPPED;
  }
  return 0;
}

/** The progress on stderr: one line redrawn in a terminal, a line per change otherwise; nothing with --json. */
function progressLine(quiet: boolean): (p: Progress) => void {
  if (quiet) return () => undefined;
  const tty = process.stderr.isTTY;
  return (p) => {
    const width = 24;
    const filled = Math.round((p.done / Math.max(1, p.total)) * width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    const skipped = p.skipped ? `, ${p.skipped} skipped (bench budget)` : '';
    const line = `${bar} ${p.done}/${p.total} runs done, ${p.running} running${skipped}, ${formatUsd(p.usd)} so far`;
    process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  };
}
