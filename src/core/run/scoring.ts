import type { Score } from '../task/evaluate';
import { measureScore, runTraining } from '../task/evaluate';
import type { RunContext } from './runContext';

/** The baseline: the untouched training script is run, then scored. Measured once per run. */
export async function measureBaseline(ctx: RunContext): Promise<Score | null> {
  const { evaluation } = ctx.task;
  if (!evaluation) return null;
  const recorded = ctx.log.ofType('score').find((s) => s.label === 'baseline');
  if (recorded) return { score: recorded.score, metric: recorded.metric, higherIsBetter: recorded.higherIsBetter ?? true, detail: recorded.detail ?? '' };
  const { host, signal } = ctx.options;
  const training = await runTraining(ctx.task, ctx.config.python, host, ctx.dirs.outputs, 'baseline', signal);
  signal.throwIfAborted();
  if (training.exit.exitCode !== 0) host.log('warn', `the training script failed before any change (exit ${training.exit.exitCode}); the baseline is measured on what it left`);
  return record(ctx, 'baseline', await measureScore(evaluation, host, ctx.dirs.outputs, 'baseline', signal));
}

/** The final score: what the agent left in the workspace, scored as MLAgentBench does. */
export async function measureFinal(ctx: RunContext): Promise<Score | null> {
  const { evaluation } = ctx.task;
  if (!evaluation) return null;
  const { host, signal } = ctx.options;
  return record(ctx, 'final', await measureScore(evaluation, host, ctx.dirs.outputs, 'final', signal));
}

function record(ctx: RunContext, label: 'baseline' | 'final', score: Score): Score {
  ctx.log.append({ type: 'score', label, score: score.score, metric: score.metric, higherIsBetter: score.higherIsBetter, detail: score.detail });
  ctx.emit({ type: 'score', label, score: score.score, metric: score.metric });
  return score;
}
