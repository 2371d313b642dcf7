import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import { cudaOutOfMemoryHint } from '../compute/gpu';
import type { ScriptExit } from '../host';
import type { ExperimentResult } from '../experiments/recorder';
import { experimentLine } from '../experiments/table';
import { EnvError, fsError, observeEnvErrors } from '../workspace';
import type { ActionContext, ActionDef } from './action';

const input = z.strictObject({ script_name: z.string() });

export const executeScript: ActionDef<typeof input> = {
  name: 'Execute Script',
  description: 'Runs an existing Python script and shows its output (the end of a long one; the full output is saved to a file).',
  input,
  inputHelp: { script_name: 'the Python script to run, relative to the work directory; it must exist' },
  usesLlm: false,
  run: ({ script_name }, ctx) =>
    observeEnvErrors(async () => {
      const abs = await ctx.workspace.resolve(script_name, 'read');
      const rel = ctx.workspace.relative(abs);
      await requireScript(abs, rel);
      ctx.signal.throwIfAborted();
      const outputFile = path.join(ctx.dirs.outputs, `step-${ctx.step}-${path.basename(rel)}.log`);
      const { exit, capture, record } = await runRecorded(ctx, rel, outputFile);
      if (exit.declined) {
        await fs.rm(outputFile, { force: true });
        const why = exit.declineReason?.trim() ? ` Their reason: "${exit.declineReason.trim()}".` : '';
        return { observation: `The user declined to run ${rel}.${why} Nothing was executed.` };
      }
      const output = capture.totalChars > 0 ? capture.text() : '(the script printed nothing)';
      const artifacts = { output: path.relative(ctx.dirs.run, outputFile).split(path.sep).join('/') };
      const oom = cudaOutOfMemoryHint(output);
      const hint = oom ? `\n\n${oom}` : '';
      return { observation: `${describeExit(exit, rel, ctx.scriptTimeoutSec)}\n${output}${hint}\n\n${experimentLine(record)}`, artifacts };
    }),
};

async function requireScript(abs: string, rel: string): Promise<void> {
  try {
    if (!(await fs.stat(abs)).isFile()) throw new EnvError(`${rel} is not a file.`);
  } catch (error) {
    throw fsError(error, rel, 'read');
  }
  if (!rel.toLowerCase().endsWith('.py')) {
    throw new EnvError(`Execute Script runs Python scripts (.py); ${rel} is not one.`);
  }
}

/** Runs the script as an experiment: its output captured, its metrics and code recorded. */
async function runRecorded(ctx: ActionContext, rel: string, outputFile: string): Promise<ExperimentResult> {
  const request = {
    command: ctx.python,
    args: [rel],
    cwd: ctx.workspace.root,
    timeoutSec: ctx.scriptTimeoutSec,
    purpose: 'agent' as const,
    display: `${quoted(ctx.python)} ${quoted(rel)}`,
  };
  const run = {
    kind: 'execute' as const,
    step: ctx.step,
    script: rel,
    codeRoot: ctx.workspace.root,
    request,
    outputFile,
    displayPath: shownPath(ctx, outputFile),
  };
  try {
    return await ctx.experiments.run(run, ctx.signal);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    throw new EnvError(`${rel} could not be run: ${(error as Error).message}`);
  }
}

/** The sentence in front of the output. */
function describeExit(exit: ScriptExit, rel: string, timeoutSec: number | undefined): string {
  if (exit.cancelled) return `The run of ${rel} was cancelled before it finished. Here is the output so far:`;
  if (exit.timedOut) {
    const limit = timeoutSec !== undefined ? ` of ${timeoutSec} second${timeoutSec === 1 ? '' : 's'}` : '';
    return `${rel} was stopped because it ran past the time limit${limit}. Make it faster (smaller data, fewer epochs) or save progress as it goes. Here is the output before it stopped:`;
  }
  if (exit.failure) return `${rel} did not run to its end: ${exit.failure}. Here is the output:`;
  if (exit.exitCode === null) return `${rel} was killed or could not be started. Here is the output:`;
  if (exit.exitCode !== 0) {
    return `The script has been executed, but it failed with exit code ${exit.exitCode}. Here is the output:`;
  }
  return 'The script has been executed. Here is the output:';
}

/** Where the full output is, as the agent can name it: workspace-relative when inside it. */
function shownPath(ctx: ActionContext, file: string): string {
  const rel = path.relative(ctx.workspace.root, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}

function quoted(word: string): string {
  return /^[\w./:@+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
