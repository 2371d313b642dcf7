import { findUnverifiedClaims } from '../experiments/claims';
import { snapshotText } from '../experiments/codeSnapshot';
import { extractHyperParams } from '../experiments/hyperParams';
import type { UnverifiedClaim, Verdict } from '../experiments/types';
import { measuredValues, verdictOf } from '../experiments/verdict';
import type { Score } from '../task/evaluate';
import type { RunContext } from './runContext';

export interface Verification {
  verdict: Verdict;
  unverifiedClaims: UnverifiedClaim[];
}

/**
 * Checks the run's results against its experiments: the verdict from the measured scores, and
 * every number the Final Answer (or the last plan's confirmed results) states that nothing measured.
 * Recorded in the log, so every view shows the same.
 */
export function verifyRun(ctx: RunContext, baseline: Score | null, final: Score | null): Verification {
  const verdict = verdictOf(baseline, final, ctx.task.evaluation !== undefined);
  const records = ctx.experiments.all();
  const backing = { ...measuredValues(records), facts: [...codeFacts(ctx), ...numbersIn(ctx.task.goal)] };
  const unverifiedClaims = findUnverifiedClaims(claimSources(ctx), backing);
  ctx.log.append({ type: 'verdict', verdict, unverifiedClaims });
  return { verdict, unverifiedClaims };
}

function claimSources(ctx: RunContext): Array<{ where: 'final answer' | 'research plan'; text: string }> {
  const steps = ctx.log.steps();
  const finalStep = steps.find((s) => s.response.action === 'Final Answer');
  const last = steps[steps.length - 1];
  const sources: Array<{ where: 'final answer' | 'research plan'; text: string }> = [];
  if (finalStep) sources.push({ where: 'final answer', text: String(finalStep.response.actionInput.final_answer ?? '') });
  if (last) {
    const confirmed = `${last.response.researchPlan}\n${last.response.factCheck}`
      .split('\n')
      .filter((l) => /confirm/i.test(l) && !/guess/i.test(l));
    if (confirmed.length > 0) sources.push({ where: 'research plan', text: confirmed.join('\n') });
  }
  return sources;
}

/** Numbers true of the code (hyper-parameter literals): they back a number without being results. */
function codeFacts(ctx: RunContext): number[] {
  const numbers: number[] = [];
  const hashes = new Set(ctx.experiments.all().flatMap((r) => (r.codeHash ? [r.codeHash] : [])));
  for (const hash of hashes) {
    const text = snapshotText(ctx.dirs.run, hash);
    if (!text) continue;
    for (const value of Object.values(extractHyperParams(text))) if (typeof value === 'number') numbers.push(value);
  }
  return numbers;
}

function numbersIn(text: string): number[] {
  return (text.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number).filter(Number.isFinite);
}
