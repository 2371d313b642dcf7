import { improvementOf, SUCCESS_THRESHOLD, type Score } from '../task/evaluate';
import type { ExperimentRecord, Verdict } from './types';

const SUCCESS_RULE = `the final score is more than ${SUCCESS_THRESHOLD * 100} % better than the baseline (MLAgentBench's rule)`;

/** What the measured baseline and final scores say, by the success rule; never what the run claims. */
export function verdictOf(baseline: Score | null, final: Score | null, scored: boolean): Verdict {
  const metric = final?.metric ?? baseline?.metric ?? null;
  const higherIsBetter = final?.higherIsBetter ?? baseline?.higherIsBetter ?? null;
  const base = { metric, higherIsBetter, baseline: baseline?.score ?? null, final: final?.score ?? null, rule: SUCCESS_RULE };
  if (!scored)
    return {
      ...base,
      verdict: 'not measured',
      change: null,
      reason: 'the task has no scoring script (an MLAgentBench eval.py, or "evalCommand" in budgetml.task.json)',
    };
  if (base.baseline === null)
    return {
      ...base,
      verdict: 'not measured',
      change: null,
      reason: `the baseline was not measured${baseline ? `: ${baseline.detail}` : ''}`,
    };
  if (base.final === null)
    return {
      ...base,
      verdict: 'not measured',
      change: null,
      reason: `the final score was not measured${final ? `: ${final.detail}` : ''}`,
    };
  const change = improvementOf(base.baseline, base.final, higherIsBetter ?? true);
  if (change === null) return { ...base, verdict: 'not measured', change: null, reason: 'a baseline of 0 gives no relative change' };
  const verdict = change > SUCCESS_THRESHOLD ? 'improved' : 'not improved';
  return { ...base, verdict, change, reason: `measured: baseline ${base.baseline}, final ${base.final}` };
}

/** The values a run measured, and the before → after pairs changes may be quoted from. */
export function measuredValues(records: readonly ExperimentRecord[]): { measured: number[]; pairs: Array<[number, number]> } {
  const measured: number[] = [];
  const byMetric = new Map<string, number[]>();
  for (const record of records) {
    if (record.outcome !== 'ok') continue;
    for (const [name, value] of Object.entries(record.metrics)) {
      measured.push(value);
      byMetric.set(name, [...(byMetric.get(name) ?? []), value]);
    }
    for (const values of Object.values(record.series ?? {})) measured.push(...values);
  }
  const pairs: Array<[number, number]> = [];
  for (const values of byMetric.values()) {
    for (let i = 0; i < values.length; i++) for (let j = i + 1; j < values.length; j++) pairs.push([values[i], values[j]]);
  }
  return { measured, pairs: pairs.slice(0, 5000) };
}
