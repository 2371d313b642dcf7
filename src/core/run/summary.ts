import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunStatus } from '../events';
import type { RunSummary } from '../run';
import { improvementOf, type Score } from '../task/evaluate';
import type { Verification } from './verification';
import type { RunContext } from './runContext';

export interface RunResult extends Verification {
  status: RunStatus;
  message?: string;
  baseline: Score | null;
  final: Score | null;
}

/** Builds summary.json from the run's log and ledger, and writes it into the run folder. */
export function writeSummary(ctx: RunContext, result: RunResult): RunSummary {
  const steps = ctx.log.steps();
  const finalStep = steps.find((s) => s.response.action === 'Final Answer');
  const higherIsBetter = result.final?.higherIsBetter ?? result.baseline?.higherIsBetter ?? true;
  const baseline = result.baseline?.score ?? null;
  const score = result.final?.score ?? null;
  const improvement = improvementOf(baseline, score, higherIsBetter);
  const summary: RunSummary = {
    status: result.status,
    ...(result.message ? { message: result.message } : {}),
    steps: steps.length,
    finalAnswer: finalStep ? String(finalStep.response.actionInput.final_answer) : null,
    baseline,
    score,
    improvement,
    success: ctx.task.evaluation ? result.verdict.verdict === 'improved' : null,
    experiments: ctx.experiments.all().length,
    verdict: result.verdict,
    unverifiedClaims: result.unverifiedClaims,
    cost: ctx.ledger.toJSON(),
    tokens: ctx.ledger.tokens,
    escalations: ctx.log.ofType('escalation').length,
    lifelinesUsed: ctx.lifelines.used,
    unpricedModels: ctx.ledger.unpricedModels,
    replay: ctx.options.replay !== undefined,
    warnings: ctx.log.ofType('warning').map((w) => w.message),
    runDir: ctx.dirs.run,
  };
  // a key in a final answer, a message or a warning never reaches the file or the caller
  const json = JSON.stringify(summary, null, 2);
  const safe = ctx.redactor.text(json);
  writeFileSync(join(ctx.dirs.run, 'summary.json'), safe + '\n');
  return safe === json ? summary : (JSON.parse(safe) as RunSummary);
}
