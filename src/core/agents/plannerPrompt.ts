import type { ActionDef } from '../actions/action';
import { compactFormatInstructions, describeActionKeys, describeActions, formatInstructions, menuLine } from '../format/instructions';
import type { StepRecord } from '../memory/types';
import { observationGist } from '../memory/observationView';
import { clip } from '../../shared/text';
import { EXPERT_HELP_ACTION } from './expertHelp';

/**
 * The pieces of the planner's prompt, ordered for provider-side prompt caching: what never changes
 * first (persona, rules, action menu, format, task), then what changes only when steps are folded
 * (the Experiments table, the research-log summary), then the recent steps (appended one by one),
 * and last what is new at every step (the latest plan, the lifeline offer). Consecutive calls
 * therefore share a long byte-identical prefix.
 */

const PLANNER_PERSONA = `You are a planner solving machine-learning research tasks. You work in a workspace of files by choosing one action at a time; each action returns an observation. You do not know anything about the task beyond what the observations tell you.

Rules:
- First come up with a high-level research plan, then follow it and revise it as you learn.
- Measure a baseline before changing anything, and measure again after every change.
- Confirm every claim by an observation before you rely on it; never guess results of runs.
- Prefer small, verifiable edits. Keep within the workspace. Do not install packages.
- Give the Final Answer once the goal is reached or no further progress is possible.`;

export const OBSERVATION_TRAILER = 'Respond with your next step in the required format.';

/** Characters of an action input and of an observation's gist in a summary line. */
const SUMMARY_INPUT_CHARS = 50;
const SUMMARY_GIST_CHARS = 100;

/**
 * The system prompt: the same for the whole run. The lifeline action is not in it (it leaves the menu
 * when no lifeline is left); lifelineOffer puts it at the end of the prompt while it is offered.
 */
export function plannerSystemPrompt(menu: readonly ActionDef[]): string {
  const actions = menu.filter((a) => a.name !== EXPERT_HELP_ACTION);
  return `${PLANNER_PERSONA}\n\nYou can use these actions:\n${describeActions(actions)}\n\n${formatInstructions()}`;
}

/**
 * The planning expert's system prompt: the same persona; the actions by name and input keys and the
 * format in short, as a strong model needs no more.
 */
export function expertSystemPrompt(menu: readonly ActionDef[]): string {
  const actions = menu.filter((a) => a.name !== EXPERT_HELP_ACTION);
  return `${PLANNER_PERSONA}\n\nYou can use these actions (input keys in braces):\n${describeActionKeys(actions)}\n\n${compactFormatInstructions()}`;
}

export function taskMessage(goal: string): string {
  return `Research problem:\n${goal.trim()}`;
}

export function experimentsSection(rows: readonly string[]): string {
  if (rows.length === 0) return '';
  return `\n\nExperiments (every script run so far, as measured; later runs are named under their output):\n${rows.join('\n')}`;
}

/**
 * The planner's record of the steps folded out of view, oldest first: the baseline's experiments, then
 * each folded step in one line with its experiments and the user's notes under it. A fold appends.
 */
export function foldedLogSection(lines: readonly string[]): string {
  if (lines.length === 0) return '';
  return `\n\nResearch log (use Retrieval from Research Log for details; each step's experiments under it, as measured):\n${lines.join('\n')}`;
}

export function summarySection(lines: readonly string[], title = 'Research log, earlier steps'): string {
  if (lines.length === 0) return '';
  return `\n\n${title} (use Retrieval from Research Log for details):\n${lines.join('\n')}`;
}

export const RECENT_STEPS_HEADING = '\n\nRecent steps (your Thought, Action and Action Input, then the observation):';

/** A past step as the planner sees it: what it chose and why, then the observation (already cut). */
export function renderStep(step: StepRecord, observation: string): string {
  const r = step.response;
  return [
    `\n\nStep ${step.step}:`,
    `Thought: ${r.thought.trim()}`,
    `Action: ${r.action}`,
    `Action Input: ${JSON.stringify(r.actionInput)}`,
    `Observation:\n${observation}`,
  ].join('\n');
}

/** The latest Research Plan and Status, told once at the end of the prompt. */
export function planSection(step: StepRecord | undefined): string {
  if (!step) return '';
  return `\n\nYour Research Plan and Status as of step ${step.step} (revise it in your answer):\n${step.response.researchPlan.trim()}`;
}

/** The lifeline while it is in the menu: offered at the end, so the system prompt never changes. */
export function lifelineOffer(menu: readonly ActionDef[]): string {
  const help = menu.find((a) => a.name === EXPERT_HELP_ACTION);
  return help ? `\n\nWhile lifelines are left you may also use:\n${menuLine(help)}` : '';
}

/** One line per step for the research-log summary: the action, its input, what it came to. */
export function summaryLine(step: StepRecord): string {
  const input = Object.values(step.response.actionInput)
    .map((v) => String(v))
    .join(', ');
  const gist = observationGist(step.observation, SUMMARY_GIST_CHARS);
  return `Step ${step.step}: ${step.response.action} (${clip(input.replace(/\s+/g, ' '), SUMMARY_INPUT_CHARS)}) -> ${gist}`;
}
