import { z } from 'zod';
import type { ActionDef } from '../actions/action';

export const EXPERT_HELP_ACTION = 'Request Planning Expert Help';

/**
 * The lifeline: the planner names what it is stuck on and the expert model plans this step.
 * The run loop handles it; it is in the menu only while lifelines remain.
 */
export const requestExpertHelp: ActionDef = {
  name: EXPERT_HELP_ACTION,
  description: 'Has a stronger planning expert choose this step when you are stuck. Use it sparingly: only a few requests are available.',
  input: z.strictObject({ problem: z.string().min(1) }),
  inputHelp: { problem: 'what you are stuck on and what you have tried' },
  usesLlm: true,
  async run() {
    throw new Error(`${EXPERT_HELP_ACTION} is handled by the planner, not run as an action`);
  },
};

export function expertRequestMessage(problem: string): string {
  return `You are the planning expert. The planner is stuck and asks for your help: ${problem}\nChoose the next step yourself, in the required format.`;
}
