import type { z } from 'zod';
import type { ActionDef } from '../actions/action';
import { fullUsage, inputKeys } from './instructions';
import { relaxedJson } from './repair';

/**
 * The Action and the Action Input of an answer, whichever form it came in (the six headed lines or
 * one JSON object): finding the action, reading its input as a JSON object and checking it against
 * the action's zod schema. Near-misses that can be read without doubt are read, and each such
 * repair is added to `repairs` so that it is logged.
 */

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

// ---- Action -------------------------------------------------------------------------------

const FENCE_LINE = /^\s*(?:```|~~~)/;

function cleanActionName(line: string): string {
  return line.trim().replace(/^[`'"*_[\s]+|[`'"*_\]\s.:]+$/g, '');
}

/** The action name as written: the first line of the entry that is not a code fence. */
export function writtenActionName(text: string): string {
  const firstLine = text.split('\n').find((line) => line.trim() !== '') ?? '';
  return cleanActionName(firstLine);
}

const squashName = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

export function findAction(written: string, actions: readonly ActionDef[]): ActionDef | undefined {
  const lower = written.toLowerCase();
  return (
    actions.find((action) => action.name.toLowerCase() === lower) ??
    actions.find((action) => squashName(action.name) === squashName(written))
  );
}

/**
 * The action an Action entry names when the name is not written alone: inside a code fence, or
 * followed by words (`List Files (to see the data)`, `Edit Script (AI) - add a forest`). The
 * longest action name that starts the line, followed by a non-word character, is taken.
 */
export function repairAction(text: string, actions: readonly ActionDef[], repairs: string[]): ActionDef | undefined {
  const line = text.split('\n').find((l) => l.trim() !== '' && !FENCE_LINE.test(l));
  if (line === undefined) return undefined;
  const written = cleanActionName(line);
  const fenced = findAction(written, actions);
  if (fenced) {
    repairs.push(`the action name "${fenced.name}" was read from a code fence`);
    return fenced;
  }
  const lower = written.toLowerCase();
  const prefixed = [...actions]
    .sort((a, b) => b.name.length - a.name.length)
    .find((action) => lower.startsWith(action.name.toLowerCase()) && /^[^a-z0-9]/i.test(written.slice(action.name.length)));
  if (prefixed) repairs.push(`the action "${prefixed.name}" was read from "${snippet(written)}"`);
  return prefixed;
}

export function validActions(actions: readonly ActionDef[]): string {
  return `Valid actions: ${actions.map((action) => action.name).join(', ')}.`;
}

// ---- Action Input: a JSON object ----------------------------------------------------------

const NON_OBJECT_KINDS: [RegExp, string][] = [
  [/^\[/, 'an array'],
  [/^"/, 'a string'],
  [/^-?\d/, 'a number'],
  [/^(?:true|false)\b/, 'a boolean'],
  [/^null\b/, 'null'],
];

/** Index of the brace closing the object that opens at `start`, or -1. Braces inside strings do not count. */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Drops trailing commas and escapes raw line breaks and tabs inside strings. */
function repairJson(json: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const char = json[i];
    if (inString) {
      if (char === '\\') out += char + (json[++i] ?? '');
      else if (char === '\n') out += '\\n';
      else if (char === '\r') out += '\\r';
      else if (char === '\t') out += '\\t';
      else out += char;
      if (char === '"') inString = false;
    } else if (char === ',' && /^\s*[}\]]/.test(json.slice(i + 1))) continue;
    else {
      if (char === '"') inString = true;
      out += char;
    }
  }
  return out;
}

/**
 * JSON.parse, then the same after small fixes (trailing commas, raw line breaks in strings), then
 * after the repairs of relaxedJson (comments, single quotes, Python's True/False/None), noted.
 */
function parseJson(json: string, repairs: string[] | undefined): Result<unknown> {
  try {
    return { ok: true, value: JSON.parse(json) };
  } catch (error) {
    try {
      return { ok: true, value: JSON.parse(repairJson(json)) };
    } catch {
      if (!repairs) return { ok: false, error: (error as Error).message };
      const relaxed = relaxedJson(json);
      try {
        const value: unknown = JSON.parse(repairJson(relaxed.text));
        repairs.push(`the Action Input JSON was repaired (${relaxed.fixes.join(', ')})`);
        return { ok: true, value };
      } catch {
        return { ok: false, error: (error as Error).message };
      }
    }
  }
}

function snippet(text: string): string {
  const line = text.trim().split('\n')[0];
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}

/** A JSON string that holds a JSON object, `"{\"dir_path\": \".\"}"`: the object it holds, or undefined. */
function objectInString(body: string): string | undefined {
  const end = body.search(/"\s*(?:\n|$)/);
  try {
    const value: unknown = JSON.parse(body.slice(0, end + 1));
    return typeof value === 'string' && value.trim().startsWith('{') ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the Action Input's text as one JSON object (in a fence or not, with words after it).
 * Repairs are made, and pushed to `repairs`, only when it is given.
 */
export function parseInputObject(text: string, repairs?: string[]): Result<Record<string, unknown>> {
  const body = text
    .trim()
    .replace(/^```[\w-]*[ \t]*\n?/, '')
    .trim();
  if (body === '' || body === '```') return { ok: false, error: 'Action Input is empty: it must be a JSON object.' };
  const nonObject = NON_OBJECT_KINDS.find(([pattern]) => pattern.test(body));
  if (repairs && nonObject?.[1] === 'a string') {
    const held = objectInString(body);
    if (held !== undefined) {
      repairs.push('the Action Input was a JSON object written as a string');
      return parseInputObject(held, repairs);
    }
  }
  if (nonObject) return { ok: false, error: `Action Input must be a JSON object, not ${nonObject[1]}: ${snippet(body)}` };
  const start = body.indexOf('{');
  if (start < 0) return { ok: false, error: `Action Input must be a JSON object like {"key": "value"}, found: ${snippet(body)}` };
  const end = closingBrace(body, start);
  if (end < 0) return { ok: false, error: 'Action Input is not valid JSON: the object is never closed with "}".' };
  const parsed = parseJson(body.slice(start, end + 1), repairs);
  if (!parsed.ok) return { ok: false, error: `Action Input is not valid JSON (${parsed.error}).` };
  return { ok: true, value: parsed.value as Record<string, unknown> };
}

// ---- Action Input: the action's keys ------------------------------------------------------

const EXPECTED_TYPES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
};

function describeIssue(issue: z.core.$ZodIssue, input: Record<string, unknown>): string {
  const key = String(issue.path[0]);
  const expected = issue.code === 'invalid_type' ? EXPECTED_TYPES[issue.expected] : undefined;
  const reason = expected ? `must be ${expected}` : issue.message;
  return `"${key}" ${reason} (got ${JSON.stringify(input[key]) ?? 'nothing'})`;
}

/** What the model is shown when the input of `action` is wrong: its exact keys, then its full usage. */
export function expectedKeys(action: ActionDef): string {
  const lines = inputKeys(action).map((key) => `    "${key}": ${action.inputHelp[key] ?? ''}`.trimEnd());
  return `  The keys of "${action.name}" must be exactly:\n${lines.join('\n')}\n${fullUsage(action)}`;
}

export function checkInput(action: ActionDef, input: Record<string, unknown>): Result<Record<string, unknown>> {
  const result = action.input.safeParse(input);
  if (result.success) return { ok: true, value: result.data as Record<string, unknown> };
  const missing: string[] = [];
  const unexpected: string[] = [];
  const wrong: string[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') unexpected.push(...issue.keys);
    else if (issue.path.length === 0) wrong.push(issue.message);
    else if (input[String(issue.path[0])] === undefined) missing.push(String(issue.path[0]));
    else wrong.push(describeIssue(issue, input));
  }
  const parts = [
    missing.length ? `missing ${plural(missing.length, 'key')}: ${missing.join(', ')}` : '',
    unexpected.length ? `unexpected ${plural(unexpected.length, 'key')}: ${unexpected.join(', ')}` : '',
    ...wrong,
  ].filter(Boolean);
  return { ok: false, error: `Action Input for "${action.name}" is wrong: ${parts.join('; ')}.\n${expectedKeys(action)}` };
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}

// ---- both together ------------------------------------------------------------------------

/**
 * The chosen action and its checked input, from the Action entry's text and the Action Input
 * (its text, or an object already parsed). Every problem is pushed to `problems`; near-misses
 * are repaired, and the repairs pushed to `repairs`, only when it is given.
 */
export function readAction(
  actionText: string | undefined,
  input: string | Record<string, unknown> | undefined,
  actions: readonly ActionDef[],
  notes: { problems: string[]; repairs?: string[] },
): { action: string; actionInput: Record<string, unknown> } | undefined {
  const { problems, repairs } = notes;
  const written = actionText === undefined ? undefined : writtenActionName(actionText);
  const found = written === undefined ? undefined : findAction(written, actions);
  const action = found ?? (actionText !== undefined && repairs ? repairAction(actionText, actions, repairs) : undefined);
  if (written === '' && !action) problems.push(`Action is empty: name one action. ${validActions(actions)}`);
  if (written && !action) problems.push(`"${written}" is not a valid action. ${validActions(actions)}`);

  if (input === undefined) return undefined;
  const parsed = typeof input === 'string' ? parseInputObject(input, repairs) : { ok: true as const, value: input };
  if (!parsed.ok) {
    problems.push(action ? `${parsed.error}\n${expectedKeys(action)}` : parsed.error);
    return undefined;
  }
  if (!action) return undefined;
  const checked = checkInput(action, parsed.value);
  if (!checked.ok) problems.push(checked.error);
  return checked.ok ? { action: action.name, actionInput: checked.value } : undefined;
}
