import type { ActionDef } from '../actions/action';

/**
 * What the planner is told about the shape of its answer. Constant text, so that the prompt
 * prefix stays identical from step to step and providers can cache it.
 */
const FORMAT_INSTRUCTIONS = `Always respond in exactly this format, with these six entries in this order, each starting on its own line:

Reflection: What does the last observation mean? If it shows an error, what caused it and how can it be fixed?
Research Plan and Status: The full high-level research plan, with the status of each step and the results confirmed so far. Mark new progress and new results in **bold**. Keep the earlier parts unless they need revising; when you revise, say why.
Fact Check: Every objective statement in the updates to Research Plan and Status, one per line, each marked "confirmed by the observation" (say which observation) or "guessed". Results that no observation has shown yet, such as the performance of code not yet run, are guessed.
Thought: What you will do now, and why.
Action: The name of exactly one action from the list of actions, written as listed.
Action Input: The input for that action as a valid JSON object with exactly the action's keys: no key missing, no extra key. Use double quotes; no comments, no trailing commas.

Write nothing after the Action Input. The observation of the action will be given to you.`;

/** The six entries in short, for the planning expert: a strong model needs only the shape. */
const COMPACT_FORMAT_INSTRUCTIONS = `Respond in exactly this format: these six entries in this order, each starting on its own line, nothing after the Action Input.
Reflection: what the last observation means
Research Plan and Status: the full plan with the status of each step; new progress and results in **bold**
Fact Check: each new statement marked guessed, or confirmed by an observation (say which)
Thought: what you will do now, and why
Action: the name of one action from the list
Action Input: a valid JSON object with exactly that action's keys`;

/** The six entries, short: appended to every message that asks for a corrected response. */
const FORMAT_REMINDER = `Respond again, in exactly this format:
Reflection: ...
Research Plan and Status: ... (new progress in **bold**)
Fact Check: ... (each statement guessed, or confirmed by an observation)
Thought: ...
Action: one action name from the list of actions
Action Input: a JSON object with exactly that action's keys`;

export function formatInstructions(): string {
  return FORMAT_INSTRUCTIONS;
}

export function compactFormatInstructions(): string {
  return COMPACT_FORMAT_INSTRUCTIONS;
}

export function formatReminder(): string {
  return FORMAT_REMINDER;
}

/** The action's input keys in schema order (the order of its zod shape). */
export function inputKeys(action: ActionDef): string[] {
  return Object.keys(action.input.shape);
}

/** An example input: each key with its description as a placeholder value. */
function exampleInput(action: ActionDef): string {
  const example: Record<string, string> = {};
  for (const key of inputKeys(action)) example[key] = `<${action.inputHelp[key] ?? key}>`;
  return JSON.stringify(example, null, 4);
}

/** One line of the menu: the name, what the action does, and its input keys. */
export function menuLine(action: ActionDef): string {
  const description = action.description.replace(/\s+/g, ' ').trim();
  return `- ${action.name}: ${description} Keys: ${inputKeys(action).join(', ')}.`;
}

/**
 * The action menu, one line per action in the order given. The format section shows the shape of
 * an answer; the full usage of an action is given when its input comes out wrong (see fullUsage).
 */
export function describeActions(actions: readonly ActionDef[]): string {
  return actions.map(menuLine).join('\n');
}

/** The shortest menu, for a model that knows the actions: each name with its input keys. */
export function describeActionKeys(actions: readonly ActionDef[]): string {
  return actions.map((action) => `- ${action.name} {${inputKeys(action).join(', ')}}`).join('\n');
}

/**
 * The full usage of an action: what it does, then an example answer with every key described.
 * For the message that asks for a corrected response when the action's input was wrong.
 */
export function fullUsage(action: ActionDef): string {
  return [
    `Usage of ${action.name}: ${action.description.trim()}`,
    '```',
    `Action: ${action.name}`,
    `Action Input: ${exampleInput(action)}`,
    '```',
  ].join('\n');
}

/** The full usage of the action of this name (any case) in `actions`, or undefined when there is none. */
export function fullUsageOf(actionName: string, actions: readonly ActionDef[]): string | undefined {
  const wanted = actionName.trim().toLowerCase();
  const action = actions.find((a) => a.name.toLowerCase() === wanted);
  return action ? fullUsage(action) : undefined;
}
