import { z } from 'zod';
import { reflectionPrompt } from '../agents/workerPrompts';
import { headAndTail } from '../text/outputCapture';
import { EnvError, observeEnvErrors } from '../workspace';
import type { ActionContext, ActionDef } from './action';
import { recentSteps } from './stepText';

const input = z.strictObject({ things_to_reflect_on: z.string() });

/** how much of the log the reflecting worker reads */
const LOG_CHARS = 12_000;
const PLAN_CHARS = 2_500;

export const reflection: ActionDef<typeof input> = {
  name: 'Reflection',
  description: 'Has an expert look over all past steps of the research log and reflect on what you ask.',
  input,
  inputHelp: { things_to_reflect_on: 'a detailed description of what to reflect on and what to return' },
  usesLlm: true,
  run: ({ things_to_reflect_on }, ctx) =>
    observeEnvErrors(async () => {
      if (things_to_reflect_on.trim() === '') throw new EnvError('things_to_reflect_on is empty; say what to reflect on.');
      const prompt = reflectionPrompt(things_to_reflect_on, researchLogText(ctx));
      const verify = async (reply: string) => (reply.trim() === '' ? 'The reply is empty; write the reflection.' : undefined);
      const reply = await ctx.worker.ask({ ...prompt, purpose: 'Reflection', verify }, ctx.signal);
      return { observation: reply.trim() };
    }),
};

/** The latest research plan, then the steps, newest kept first when the log is long. */
function researchLogText(ctx: Pick<ActionContext, 'log'>): string {
  const steps = ctx.log.steps();
  if (steps.length === 0) return '';
  const plan = steps[steps.length - 1].response.researchPlan.trim();
  const planText = plan ? `Latest Research Plan and Status:\n${headAndTail(plan, PLAN_CHARS)}\n\n` : '';
  return planText + recentSteps(steps, LOG_CHARS - planText.length, { thoughtChars: 400, observationChars: 800 });
}
