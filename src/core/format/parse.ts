import type { z } from 'zod';
import type { ActionDef } from '../actions/action';
import { RESPONSE_ENTRIES, type PlannerResponse } from './response';
import { formatReminder, inputKeys } from './instructions';

/**
 * Reads the planner's six entries. Lenient on form (heading styles, fences, stray text, trailing
 * commas); strict on content. Every error names all that is wrong and ends with the format reminder.
 */

type EntryName = (typeof RESPONSE_ENTRIES)[number];
type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** A heading that ends the response: anything after it is the model inventing the observation. */
const STOP_HEADING = 'Observation';

function namePattern(name: string): string {
  return name
    .split(' ')
    .map((word) => (word === 'and' ? '(?:and|&)' : word))
    .join('[ \\t_-]*');
}

/** Longest names first, so that `Action Input` is not read as `Action` followed by `Input`. */
const HEADING_NAMES = [...RESPONSE_ENTRIES, STOP_HEADING].sort((a, b) => b.length - a.length);

/**
 * `Reflection:`, `**Reflection:**`, `**Reflection**:`, `### Reflection`, `Reflection` alone on its line …
 * List items (`- Thought: …`) are not headings: plans and fact checks are written as lists.
 */
const HEADING = new RegExp(
  String.raw`^[ \t]*(?:#{1,6}[ \t]*)?(\*\*|__|\*|_)?[ \t]*(` + HEADING_NAMES.map(namePattern).join('|') + String.raw`)(.*)$`,
  'i',
);

interface Heading {
  name: string;
  /** text on the heading line after the heading itself */
  rest: string;
}

function canonicalName(written: string): string {
  const squash = (s: string) =>
    s
      .toLowerCase()
      .replace('&', 'and')
      .replace(/[^a-z]/g, '');
  return HEADING_NAMES.find((name) => squash(name) === squash(written)) ?? written;
}

function readHeading(line: string): Heading | undefined {
  const match = HEADING.exec(line);
  if (!match) return undefined;
  const emphasis = match[1] ?? '';
  let rest = match[3].trimStart();
  let closed = false;
  if (emphasis && rest.startsWith(emphasis)) [rest, closed] = [rest.slice(emphasis.length).trimStart(), true];
  const colon = rest.startsWith(':');
  if (colon) rest = rest.slice(1).trimStart();
  if (colon && emphasis && !closed && rest.startsWith(emphasis)) rest = rest.slice(emphasis.length).trimStart();
  if (!colon && !closed && rest !== '') return undefined;
  return { name: canonicalName(match[2]), rest };
}

/**
 * Each entry's text, from its heading to the next heading. The first occurrence of an entry wins;
 * text before the first entry is ignored, and so is everything from an Observation heading on.
 */
function splitEntries(text: string): Map<EntryName, string> {
  const entries = new Map<EntryName, string>();
  let open: { name: EntryName; lines: string[] } | undefined;
  const finish = () => {
    if (open && !entries.has(open.name)) entries.set(open.name, open.lines.join('\n').trim());
  };
  for (const line of text.split('\n')) {
    const heading = readHeading(line);
    if (!heading) {
      open?.lines.push(line);
      continue;
    }
    finish();
    if (heading.name === STOP_HEADING) {
      if (open) return entries;
      continue;
    }
    open = { name: heading.name as EntryName, lines: [heading.rest] };
  }
  finish();
  return entries;
}

// ---- Action -------------------------------------------------------------------------------

function cleanActionName(text: string): string {
  const firstLine = text.split('\n').find((line) => line.trim() !== '') ?? '';
  return firstLine.trim().replace(/^[`'"*_[\s]+|[`'"*_\]\s.:]+$/g, '');
}

const squashName = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

function findAction(written: string, actions: readonly ActionDef[]): ActionDef | undefined {
  const lower = written.toLowerCase();
  return (
    actions.find((action) => action.name.toLowerCase() === lower) ??
    actions.find((action) => squashName(action.name) === squashName(written))
  );
}

function validActions(actions: readonly ActionDef[]): string {
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

function parseJson(json: string): Result<unknown> {
  try {
    return { ok: true, value: JSON.parse(json) };
  } catch (error) {
    try {
      return { ok: true, value: JSON.parse(repairJson(json)) };
    } catch {
      return { ok: false, error: (error as Error).message };
    }
  }
}

function snippet(text: string): string {
  const line = text.trim().split('\n')[0];
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}

function parseInputObject(text: string): Result<Record<string, unknown>> {
  const body = text
    .trim()
    .replace(/^```[\w-]*[ \t]*\n?/, '')
    .trim();
  if (body === '' || body === '```') return { ok: false, error: 'Action Input is empty: it must be a JSON object.' };
  const nonObject = NON_OBJECT_KINDS.find(([pattern]) => pattern.test(body));
  if (nonObject) return { ok: false, error: `Action Input must be a JSON object, not ${nonObject[1]}: ${snippet(body)}` };
  const start = body.indexOf('{');
  if (start < 0) return { ok: false, error: `Action Input must be a JSON object like {"key": "value"}, found: ${snippet(body)}` };
  const end = closingBrace(body, start);
  if (end < 0) return { ok: false, error: 'Action Input is not valid JSON: the object is never closed with "}".' };
  const parsed = parseJson(body.slice(start, end + 1));
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

function expectedKeys(action: ActionDef): string {
  const lines = inputKeys(action).map((key) => `    "${key}": ${action.inputHelp[key] ?? ''}`.trimEnd());
  return `  The keys of "${action.name}" must be exactly:\n${lines.join('\n')}`;
}

function checkInput(action: ActionDef, input: Record<string, unknown>): Result<Record<string, unknown>> {
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

// ---- The whole response -------------------------------------------------------------------

function problemsWithAction(entries: Map<EntryName, string>, actions: readonly ActionDef[], problems: string[]) {
  const actionText = entries.get('Action');
  const written = actionText === undefined ? undefined : cleanActionName(actionText);
  if (written === '') problems.push(`Action is empty: name one action. ${validActions(actions)}`);
  const action = written ? findAction(written, actions) : undefined;
  if (written && !action) problems.push(`"${written}" is not a valid action. ${validActions(actions)}`);

  const inputText = entries.get('Action Input');
  if (inputText === undefined) return undefined;
  const input = parseInputObject(inputText);
  if (!input.ok) {
    problems.push(action ? `${input.error}\n${expectedKeys(action)}` : input.error);
    return undefined;
  }
  if (!action) return undefined;
  const checked = checkInput(action, input.value);
  if (!checked.ok) problems.push(checked.error);
  return checked.ok ? { action: action.name, actionInput: checked.value } : undefined;
}

function failure(problems: string[]): { ok: false; error: string } {
  const list = problems.map((problem) => `- ${problem}`).join('\n');
  return { ok: false, error: `The response could not be used:\n${list}\n\n${formatReminder()}` };
}

/** CRLF, a lone CR, NEL and the Unicode line and paragraph separators all end a line: make them `\n`. */
function normalizeLineEnds(text: string): string {
  return text.replace(/\r\n?|[\u0085\u2028\u2029]/g, '\n');
}

export function parsePlannerResponse(
  reply: string,
  actions: readonly ActionDef[],
): { ok: true; value: PlannerResponse } | { ok: false; error: string } {
  const text = normalizeLineEnds(reply);
  if (text.trim() === '') return failure([`The response is empty. Missing entries: ${RESPONSE_ENTRIES.join(', ')}.`]);
  const entries = splitEntries(text);
  const problems: string[] = [];
  const missing = RESPONSE_ENTRIES.filter((name) => !entries.has(name));
  if (missing.length) problems.push(`Missing ${missing.length === 1 ? 'entry' : 'entries'}: ${missing.join(', ')}.`);
  const chosen = problemsWithAction(entries, actions, problems);
  if (problems.length || !chosen) return failure(problems);
  return {
    ok: true,
    value: {
      reflection: entries.get('Reflection') ?? '',
      researchPlan: entries.get('Research Plan and Status') ?? '',
      factCheck: entries.get('Fact Check') ?? '',
      thought: entries.get('Thought') ?? '',
      ...chosen,
    },
  };
}
