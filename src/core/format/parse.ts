import type { ActionDef } from '../actions/action';
import { readAction } from './actionInput';
import { formatReminder } from './instructions';
import { repairHeadings } from './repair';
import { RESPONSE_ENTRIES, type PlannerResponse } from './response';
import { looksStructured, parseStructuredResponse } from './structured';

/**
 * Reads the planner's six entries. Lenient on form (heading styles, fences, stray text, trailing
 * commas); strict on content. Every error names all that is wrong and ends with the format reminder.
 */

type EntryName = (typeof RESPONSE_ENTRIES)[number];

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

// ---- The whole response -------------------------------------------------------------------

/** What a successful reading returns: the answer, and the repairs it needed (empty when none). */
export type ParseResult = { ok: true; value: PlannerResponse; repairs: string[] } | { ok: false; error: string };

function failure(problems: string[]): { ok: false; error: string } {
  const list = problems.map((problem) => `- ${problem}`).join('\n');
  return { ok: false, error: `The response could not be used:\n${list}\n\n${formatReminder()}` };
}

/** CRLF, a lone CR, NEL and the Unicode line and paragraph separators all end a line: make them `\n`. */
function normalizeLineEnds(text: string): string {
  return text.replace(/\r\n?|[\u0085\u2028\u2029]/g, '\n');
}

/**
 * Reads the planner's answer: one JSON object (structured mode) or the six headed entries. When
 * entries are missing, their headings are repaired where a near-miss can be read without doubt
 * (see repair.ts) and the answer is read again; the repairs made are returned, to be logged.
 */
export function parsePlannerResponse(reply: string, actions: readonly ActionDef[], options: { repair?: boolean } = {}): ParseResult {
  const repair = options.repair ?? true;
  const text = normalizeLineEnds(reply);
  if (looksStructured(text)) return parseStructuredResponse(text, actions, repair);
  if (text.trim() === '') return failure([`The response is empty. Missing entries: ${RESPONSE_ENTRIES.join(', ')}.`]);
  const first = readEntries(text, actions, repair ? [] : undefined);
  if (!repair || first.ok || first.missing.length === 0) return first.result;
  const repaired = repairHeadings(text, HEADING_NAMES, first.missing);
  if (repaired.fixes.length === 0) return first.result;
  const second = readEntries(repaired.text, actions, repaired.fixes);
  return second.ok ? second.result : first.result;
}

type Reading = { ok: boolean; missing: EntryName[]; result: ParseResult };

/** `repairs`: the heading repairs already made, or undefined to make none at all. */
function readEntries(text: string, actions: readonly ActionDef[], headingRepairs: string[] | undefined): Reading {
  const entries = splitEntries(text);
  const problems: string[] = [];
  const repairs = headingRepairs && [...headingRepairs];
  const missing = RESPONSE_ENTRIES.filter((name) => !entries.has(name));
  if (missing.length) problems.push(`Missing ${missing.length === 1 ? 'entry' : 'entries'}: ${missing.join(', ')}.`);
  const chosen = readAction(entries.get('Action'), entries.get('Action Input'), actions, { problems, repairs });
  if (problems.length || !chosen) return { ok: false, missing, result: failure(problems) };
  const value: PlannerResponse = {
    reflection: entries.get('Reflection') ?? '',
    researchPlan: entries.get('Research Plan and Status') ?? '',
    factCheck: entries.get('Fact Check') ?? '',
    thought: entries.get('Thought') ?? '',
    ...chosen,
  };
  return { ok: true, missing, result: { ok: true, value, repairs: repairs ?? [] } };
}
