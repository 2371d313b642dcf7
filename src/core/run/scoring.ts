import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { importedModules } from '../experiments/codeFacts';
import { InterpreterError } from '../experiments/envProbe';
import type { ExperimentRun } from '../experiments/recorder';
import type { ExperimentRecord } from '../experiments/types';
import type { Score } from '../task/evaluate';
import { scoreReader, scoringRequest } from '../task/evaluate';
import { copyFolder } from '../task/setUpBenchmark';
import type { RunContext } from './runContext';

/** The run cannot be scored or its scripts cannot run: nothing is spent, the user must fix it. */
export class PreflightError extends Error {
  override name = 'PreflightError';
}

/**
 * Before the first model call: the interpreter must have what the scripts import, and the
 * untouched training script must run and be scored (on a scratch copy of an MLAgentBench task's
 * env/, so its outputs never reach the agent's workspace). Measured once per run.
 */
export async function measureBaseline(ctx: RunContext): Promise<Score | null> {
  const recorded = ctx.log.ofType('score').find((s) => s.label === 'baseline');
  if (recorded)
    return {
      score: recorded.score,
      metric: recorded.metric,
      higherIsBetter: recorded.higherIsBetter ?? true,
      detail: recorded.detail ?? '',
    };
  await checkInterpreter(ctx);
  const { evaluation, script } = ctx.task;
  if (!evaluation) return null;
  const folder = baselineFolder(ctx);
  if (script) await trainBaseline(ctx, folder, script);
  const score = await scoreFolder(ctx, 'baseline', folder);
  if (score.score === null) throw new PreflightError(`the untouched task cannot be scored: ${score.detail}`);
  return record(ctx, 'baseline', score);
}

/** The final score: what the agent left in the workspace, scored as MLAgentBench does. */
export async function measureFinal(ctx: RunContext): Promise<Score | null> {
  if (!ctx.task.evaluation) return null;
  return record(ctx, 'final', await scoreFolder(ctx, 'final', ctx.task.workspace));
}

async function checkInterpreter(ctx: RunContext): Promise<void> {
  const { python } = ctx.config;
  const wanted = [...scriptImports(ctx.task.workspace, ctx.task.script), ...evalImports(ctx)];
  if (wanted.length === 0) return;
  let missing: string[];
  try {
    missing = await ctx.experiments.env.missing(wanted.map((w) => w.module));
  } catch (error) {
    if (error instanceof InterpreterError)
      throw new PreflightError(`${error.message}; choose another interpreter (--python or the budgetml.python setting)`);
    throw error;
  }
  if (missing.length === 0) return;
  const by = (m: string) => wanted.find((w) => w.module === m)?.file ?? '';
  const names = missing.map((m) => `${m} (imported by ${by(m)})`).join(', ');
  throw new PreflightError(
    `the Python interpreter ${python} has no module ${names}; choose an interpreter that has ${missing.length === 1 ? 'it' : 'them'} (--python or the budgetml.python setting)`,
  );
}

function scriptImports(folder: string, script: string | undefined): Array<{ module: string; file: string }> {
  if (!script || !existsSync(join(folder, script))) return [];
  const isLocal = (m: string) => existsSync(join(folder, `${m}.py`)) || existsSync(join(folder, m));
  return importedModules(readFileSync(join(folder, script), 'utf8'))
    .filter((m) => !isLocal(m))
    .map((module) => ({ module, file: script }));
}

function evalImports(ctx: RunContext): Array<{ module: string; file: string }> {
  const { evaluation } = ctx.task;
  if (evaluation?.kind !== 'module') return [];
  return scriptImports(evaluation.cwd, basename(evaluation.script));
}

/** An MLAgentBench task's baseline runs on a scratch copy of its env/; a workspace task's in place. */
function baselineFolder(ctx: RunContext): string {
  const { benchmark } = ctx.task;
  if (!benchmark) return ctx.task.workspace;
  const scratch = join(ctx.dirs.run, 'baseline-env');
  copyFolder(benchmark.env, scratch);
  return scratch;
}

async function trainBaseline(ctx: RunContext, folder: string, script: string): Promise<void> {
  const { python } = ctx.config;
  const request = {
    command: python,
    args: [script],
    cwd: folder,
    timeoutSec: ctx.config.scriptTimeoutSec,
    purpose: 'eval' as const,
    display: `${python} ${script}`,
  };
  const outputFile = join(ctx.dirs.outputs, 'baseline-train.log');
  const run: ExperimentRun = { kind: 'baseline', step: 0, script, codeRoot: folder, request, outputFile };
  const { record } = await ctx.experiments.run(run, ctx.options.signal);
  ctx.options.signal.throwIfAborted();
  if (record.outcome === 'ok') return;
  const how = outcomeText(record);
  throw new PreflightError(
    `the baseline run of ${script} with ${python} ${how}${record.error ? `: ${record.error}` : ''}; full output in ${outputFile}`,
  );
}

async function scoreFolder(ctx: RunContext, label: 'baseline' | 'final', folder: string): Promise<Score> {
  const evaluation = ctx.task.evaluation!;
  const read = scoreReader(evaluation);
  const outputFile = join(ctx.dirs.outputs, `${label}-eval.log`);
  const script =
    evaluation.kind === 'module'
      ? basename(evaluation.script)
      : (evaluation.command.find((a) => a.endsWith('.py')) ?? evaluation.command.join(' '));
  const run: ExperimentRun = {
    kind: 'score',
    label,
    step: label === 'baseline' ? 0 : ctx.step,
    script,
    request: { ...scoringRequest(evaluation, ctx.config.python, folder), timeoutSec: ctx.config.scriptTimeoutSec },
    outputFile,
    readScore: read,
  };
  const { record, capture } = await ctx.experiments.run(run, ctx.options.signal);
  ctx.options.signal.throwIfAborted();
  const { metric, higherIsBetter, score } = read(capture.text());
  if (record.outcome !== 'ok')
    return { score: null, metric, higherIsBetter, detail: `the scoring ${outcomeText(record)}${record.error ? `: ${record.error}` : ''}` };
  return { score, metric, higherIsBetter, detail: score === null ? 'the scoring printed no finite score' : `experiment #${record.id}` };
}

function record(ctx: RunContext, label: 'baseline' | 'final', score: Score): Score {
  ctx.log.append({
    type: 'score',
    label,
    score: score.score,
    metric: score.metric,
    higherIsBetter: score.higherIsBetter,
    detail: score.detail,
  });
  ctx.emit({ type: 'score', label, score: score.score, metric: score.metric, higherIsBetter: score.higherIsBetter });
  return score;
}

/** How a run that did not succeed ended, in words. */
function outcomeText(record: ExperimentRecord): string {
  if (record.outcome === 'declined') return 'was declined';
  if (record.outcome === 'timeout') return 'ran past the time limit';
  if (record.outcome === 'cancelled') return 'was cancelled';
  return `failed (exit ${record.exitCode ?? 'none'})`;
}
