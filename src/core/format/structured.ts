import type { ActionDef } from '../actions/action';
import type { JsonSchema, ResponseSchema } from '../llm/types';
import { readAction } from './actionInput';
import { relaxedJson } from './repair';
import type { PlannerResponse } from './response';

/**
 * Structured mode: the planner writes its six entries as one JSON object, held to a JSON schema by
 * the provider (OpenAI strict structured outputs, Gemini responseSchema).
 *
 * Action Input is a string holding the action's input as JSON, not an object. Strict mode accepts
 * only objects whose every property is listed, required and closed (additionalProperties: false),
 * so a free-form object is impossible; an anyOf of every action's input schema would be possible
 * but would turn each optional key into a required nullable one, grow with the menu, and Gemini's
 * schema subset takes anyOf poorly. A string keeps one small schema for every menu, and the input
 * is then checked by the action's own zod schema exactly as in text mode, with the same messages.
 * An object there (a provider that ignored the schema) is accepted all the same.
 */

/** The object's keys and the entries they hold, in MLAgentBench's order. */
const KEYS = {
  reflection: 'Reflection',
  research_plan_and_status: 'Research Plan and Status',
  fact_check: 'Fact Check',
  thought: 'Thought',
  action: 'Action',
  action_input: 'Action Input',
} as const;

type Key = keyof typeof KEYS;
const KEY_NAMES = Object.keys(KEYS) as Key[];

const DESCRIPTIONS: Record<Key, string> = {
  reflection: 'What the last observation means; if it shows an error, its cause and fix.',
  research_plan_and_status: 'The full research plan with the status of each step; new progress and results in **bold**.',
  fact_check: 'Each objective statement of the plan update, marked guessed or confirmed by an observation.',
  thought: 'What you will do now, and why.',
  action: 'Exactly one action from the list of actions.',
  action_input: 'The input of that action: a JSON object with exactly its keys, written as a string, e.g. "{\\"dir_path\\": \\".\\"}".',
};

/** Told to the model with the schema: constant, so the prompt's prefix stays the same from step to step. */
const STRUCTURED_INSTRUCTIONS = `Answer format: write the six entries as one JSON object instead of six lines. Its keys ${KEY_NAMES.join(', ')} hold the entries ${Object.values(
  KEYS,
).join(', ')} as described above. action_input is a string holding the action's input as a JSON object, e.g. "{\\"dir_path\\": \\".\\"}".`;

const STRUCTURED_REMINDER = `Respond again with one JSON object with exactly the keys ${KEY_NAMES.join(', ')}; action is one action name from the list of actions and action_input a string holding a JSON object with exactly that action's keys.`;

/** The schema of an answer to a planner with this menu, with what the prompt says about it. */
export function plannerResponseSchema(actions: readonly ActionDef[]): ResponseSchema & { instructions: string } {
  const properties: Record<string, JsonSchema> = {};
  for (const key of KEY_NAMES) properties[key] = { type: 'string', description: DESCRIPTIONS[key] };
  properties.action = { ...properties.action, enum: actions.map((action) => action.name) };
  return {
    name: 'planner_step',
    schema: { type: 'object', properties, required: [...KEY_NAMES], additionalProperties: false },
    instructions: STRUCTURED_INSTRUCTIONS,
  };
}

const FENCED = /^\s*```[\w-]*\s*\n([\s\S]*?)\n\s*```\s*$/;

function unfenced(text: string): string {
  return FENCED.exec(text)?.[1] ?? text;
}

/** An answer written as a JSON object with an "action" key (in a code fence or not). */
export function looksStructured(text: string): boolean {
  const body = unfenced(text).trim();
  return body.startsWith('{') && body.endsWith('}') && /"action"\s*:/.test(body);
}

type Parsed = { ok: true; value: PlannerResponse; repairs: string[] } | { ok: false; error: string };

function failure(problems: string[]): { ok: false; error: string } {
  const list = problems.map((problem) => `- ${problem}`).join('\n');
  return { ok: false, error: `The response could not be used:\n${list}\n\n${STRUCTURED_REMINDER}` };
}

function readObject(text: string, repairs: string[] | undefined): Record<string, unknown> | string {
  const body = unfenced(text).trim();
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch (error) {
    if (!repairs) return `The response is not valid JSON (${(error as Error).message}).`;
    const relaxed = relaxedJson(body);
    try {
      const value = JSON.parse(relaxed.text) as Record<string, unknown>;
      repairs.push(`the JSON answer was repaired (${relaxed.fixes.join(', ')})`);
      return value;
    } catch {
      return `The response is not valid JSON (${(error as Error).message}).`;
    }
  }
}

/** An entry's text: a string as it is; anything else (a list the model made of the plan) as JSON. */
function entryText(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  return value === undefined || value === null ? '' : JSON.stringify(value, null, 2);
}

/** action_input as readAction takes it: the string (the schema's form), an object as it is, anything else as its JSON. */
function inputOf(value: unknown): string | Record<string, unknown> | undefined {
  if (value === undefined || typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  return JSON.stringify(value);
}

/** Reads an answer written as one JSON object; the same checks of the action and its input as in text mode. */
export function parseStructuredResponse(text: string, actions: readonly ActionDef[], repair = true): Parsed {
  const repairs: string[] | undefined = repair ? [] : undefined;
  const object = readObject(text, repairs);
  if (typeof object === 'string') return failure([object]);
  const problems: string[] = [];
  const missing = KEY_NAMES.filter((key) => object[key] === undefined);
  if (missing.length) problems.push(`Missing ${missing.length === 1 ? 'key' : 'keys'}: ${missing.join(', ')}.`);
  const action = object.action === undefined ? undefined : entryText(object.action);
  const chosen = readAction(action, inputOf(object.action_input), actions, { problems, repairs });
  if (problems.length || !chosen) return failure(problems);
  return {
    ok: true,
    value: {
      reflection: entryText(object.reflection),
      researchPlan: entryText(object.research_plan_and_status),
      factCheck: entryText(object.fact_check),
      thought: entryText(object.thought),
      ...chosen,
    },
    repairs: repairs ?? [],
  };
}
