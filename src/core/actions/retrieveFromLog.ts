import { z } from 'zod';
import type { StepRecord } from '../memory/types';
import { observeEnvErrors } from '../workspace';
import type { ActionDef } from './action';
import { compactStep, recentSteps } from './stepText';

const input = z.strictObject({ current_plan: z.string() });

/** the observation stays within this many characters */
const MAX_CHARS = 3000;
const MAX_STEPS = 5;
const LIMITS = { thoughtChars: 250, observationChars: 450 };

const STOP_WORDS = new Set(
  (
    'the and for with that this from into then than have has was were are will would should could can not but ' +
    'all any its our out use using used what which when where how why who step steps next now also more most ' +
    'file files script run make get set see try done need want each only some such very just like been being'
  ).split(' '),
);

export const retrieveFromLog: ActionDef<typeof input> = {
  name: 'Retrieval from Research Log',
  description: 'Shows the past steps most related to your current plan (by shared keywords), compactly.',
  input,
  inputHelp: { current_plan: 'a detailed description of the current research plan and status' },
  usesLlm: false,
  run: async ({ current_plan }, ctx) =>
    observeEnvErrors(async () => {
      const steps = ctx.log.steps();
      if (steps.length === 0) return { observation: 'The research log is empty: no steps have been recorded yet.' };
      const best = rankSteps(steps, current_plan).slice(0, MAX_STEPS);
      if (best.length === 0) {
        const recent = recentSteps(steps, MAX_CHARS - 100, LIMITS);
        return { observation: `No past step shares keywords with the current plan. The most recent steps:\n\n${recent}` };
      }
      return { observation: formatSteps(best, steps.length) };
    }),
};

/** Words worth matching: lower-case, file names kept whole and also split ("train.py", "train", "py"). */
export function keywords(text: string): Set<string> {
  const words = new Set<string>();
  for (const token of text.toLowerCase().match(/[a-z0-9_]+(?:[.-][a-z0-9_]+)*/g) ?? []) {
    for (const word of [token, ...token.split(/[.-]/)]) {
      const useful = /\d/.test(word) ? word.length >= 2 : word.length >= 3;
      if (useful && !STOP_WORDS.has(word)) words.add(word);
    }
  }
  return words;
}

function stepWords(record: StepRecord): Set<string> {
  const { action, actionInput, thought, reflection, researchPlan } = record.response;
  const plan = researchPlan.slice(0, 1500);
  return keywords([action, JSON.stringify(actionInput ?? {}), thought, reflection, plan, record.observation.slice(0, 3000)].join(' '));
}

/**
 * Steps sharing keywords with the plan, best first. Rare words weigh more (inverse document
 * frequency over the log); ties go to the more recent step.
 */
export function rankSteps(steps: readonly StepRecord[], plan: string): StepRecord[] {
  const wanted = keywords(plan);
  const wordsPerStep = steps.map(stepWords);
  const weight = (word: string) => {
    const holders = wordsPerStep.filter((words) => words.has(word)).length;
    return Math.log(1 + steps.length / Math.max(1, holders));
  };
  const weights = new Map([...wanted].map((word) => [word, weight(word)]));
  return steps
    .map((record, i) => ({ record, score: [...wanted].reduce((sum, w) => sum + (wordsPerStep[i].has(w) ? weights.get(w)! : 0), 0) }))
    .filter(({ score }) => score > 0)
    .sort((a, b) => b.score - a.score || b.record.step - a.record.step)
    .map(({ record }) => record);
}

/** The ranked steps that fit in MAX_CHARS, shown in the order they happened. */
function formatSteps(ranked: StepRecord[], total: number): string {
  const chosen: { step: number; text: string }[] = [];
  let used = 0;
  for (const record of ranked) {
    const text = compactStep(record, LIMITS);
    if (used + text.length > MAX_CHARS - 120) continue;
    chosen.push({ step: record.step, text });
    used += text.length + 2;
  }
  if (chosen.length === 0) chosen.push({ step: ranked[0].step, text: compactStep(ranked[0], LIMITS).slice(0, MAX_CHARS - 120) });
  chosen.sort((a, b) => a.step - b.step);
  const header = `The ${chosen.length} past steps (of ${total}) most related to the current plan:`;
  return `${header}\n\n${chosen.map((c) => c.text).join('\n\n')}`;
}
