import type { UnverifiedClaim } from './types';

/**
 * The numbers a run claims (in its final answer or research plan) checked against what it measured.
 * A claim is a number written with a decimal point (0.71, 41.6, .97) or a percentage (97%, 12.5 percent);
 * it is backed when some measured value, change between two measurements, or fact of the code rounds to
 * it at the precision it was written with.
 */

export interface ClaimBacking {
  /** metric values of the experiments */
  measured: number[];
  /** (before, after) values of the same metric, from which changes may be quoted */
  pairs: Array<[number, number]>;
  /** numbers true of the code or the task but no results: hyper-parameter literals, the goal's numbers */
  facts: number[];
}

export interface ClaimSource {
  where: UnverifiedClaim['where'];
  text: string;
}

interface WrittenNumber {
  /** as written, with its sign and its percent sign or word */
  text: string;
  value: number;
  /** decimals as written (for 1.5e-4: 5) */
  decimals: number;
  percent: boolean;
  start: number;
  end: number;
}

const NUMBER = /(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)*|\.\d+(?:\.\d+)*)(?:[eE]([-+]?\d+))?/g;
const PERCENT_UNIT = /^(?:\s?%|\s(?:percent(?:age points?)?|pp)\b)/i;
/** Words after which a number is a version or a label: `Python 3.11`, `CUDA 12.1`, `Claude 3.5`, `Step 2.1`. */
const LABEL_WORD =
  /\b(?:python|torch|pytorch|numpy|cuda|cudnn|version|v|tensorflow|sklearn|scikit-learn|transformers|pandas|gpt|gemini|claude|llama|qwen|mistral|step|section|phase|stage|part)\s*$/i;
/** What may stand before an outline number at the start of a line: `2.1 Load the data`, `## 3.1) Results`. */
const OUTLINE_NUMBER = /^\s*(?:[-*#>]+\s*)?$/;
const SIGNS = '-+−';
const LETTER = /[\p{L}_]/u;

const isLetter = (c: string | undefined) => c !== undefined && LETTER.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

function signBefore(line: string, start: number): string | undefined {
  const c = line[start - 1];
  if (c === undefined || !SIGNS.includes(c)) return '';
  if (isLetter(line[start - 2])) return undefined; // gpt-4.1: a name, no number
  return isDigit(line[start - 2]) ? '' : c; // 0.71-0.97: a range, no sign
}

function isInsideUrl(line: string, start: number): boolean {
  const from = line.lastIndexOf(' ', start) + 1;
  const to = line.indexOf(' ', start);
  return /:\/\/|www\./.test(line.slice(from, to < 0 ? line.length : to));
}

function isOutlineNumber(line: string, start: number, end: number): boolean {
  return OUTLINE_NUMBER.test(line.slice(0, start)) && /^(?:[.):]|\s+\p{Lu})/u.test(line.slice(end));
}

function writtenNumber(line: string, match: RegExpMatchArray): WrittenNumber | undefined {
  const [digitsAndExponent, digits, exponent] = match;
  const start = match.index ?? 0;
  const digitsEnd = start + digitsAndExponent.length;
  const sign = signBefore(line, start);
  if (sign === undefined || digits.split('.').length > 2 || isLetter(line[start - 1])) return undefined;
  // the cheap tests first: most numbers in text are integers, which are claims only as percentages
  const unit = PERCENT_UNIT.exec(line.slice(digitsEnd, digitsEnd + 30))?.[0] ?? '';
  const end = digitsEnd + unit.length;
  const percent = unit !== '';
  if ((!percent && isLetter(line[digitsEnd])) || (!percent && !digits.includes('.'))) return undefined;
  if (LABEL_WORD.test(line.slice(Math.max(0, start - 40), start - sign.length)) || isInsideUrl(line, start)) return undefined;
  if (!percent && isOutlineNumber(line, start - sign.length, end)) return undefined;
  const decimals = (digits.split('.')[1]?.length ?? 0) - Number(exponent ?? 0);
  const magnitude = Number(`${digits.replace(/,/g, '')}${exponent ? `e${exponent}` : ''}`);
  const value = sign === '-' || sign === '−' ? -magnitude : magnitude;
  return { text: `${sign}${digitsAndExponent}${unit}`, value, decimals, percent, start: start - sign.length, end };
}

function contextAround(line: string, start: number, end: number): string {
  let from = Math.max(0, start - 30);
  let to = Math.min(line.length, end + 30);
  const firstSpace = line.indexOf(' ', from);
  if (from > 0 && firstSpace >= 0 && firstSpace < start) from = firstSpace + 1;
  const lastSpace = line.lastIndexOf(' ', to);
  if (to < line.length && lastSpace >= end) to = lastSpace;
  return line.slice(from, to).trim();
}

const changes = ([before, after]: [number, number]) => [after - before, Math.abs(after - before)];

function relativeChanges([before, after]: [number, number]): number[] {
  if (before === 0) return [];
  const change = (100 * (after - before)) / Math.abs(before);
  return [change, Math.abs(change)];
}

/** The values a written number may be a rounding of: `plain` for a plain number, `percent` for a percentage. */
function backingValues(backing: ClaimBacking): { plain: number[]; percent: number[] } {
  const values = [...backing.measured, ...backing.facts];
  const differences = backing.pairs.flatMap(changes);
  return {
    plain: [...values, ...differences],
    percent: [
      ...values.flatMap((v) => [100 * v, v]),
      ...backing.pairs.flatMap(relativeChanges),
      ...differences.flatMap((d) => [100 * d, d]),
    ],
  };
}

/** Whether `value` rounds to the number at the precision it was written with. */
export function matchesAtPrecision(written: { value: number; decimals: number }, value: number): boolean {
  return Math.abs(value - written.value) <= 0.5 * 10 ** -written.decimals + 1e-12;
}

function claimsOfLine(line: string): WrittenNumber[] {
  return [...line.matchAll(NUMBER)].flatMap((match) => writtenNumber(line, match) ?? []);
}

/** The claims that no measurement, change or fact backs, in order of appearance, once per (text, where). */
export function findUnverifiedClaims(sources: ClaimSource[], backing: ClaimBacking): UnverifiedClaim[] {
  const unverified: UnverifiedClaim[] = [];
  const seen = new Set<string>();
  const values = backingValues(backing);
  for (const { where, text } of sources) {
    for (const line of text.split(/\r?\n/)) {
      for (const written of claimsOfLine(line)) {
        const key = `${where}\n${written.text}`;
        if (seen.has(key) || (written.percent ? values.percent : values.plain).some((v) => matchesAtPrecision(written, v))) continue;
        seen.add(key);
        unverified.push({ text: written.text, value: written.value, where, context: contextAround(line, written.start, written.end) });
      }
    }
  }
  return unverified;
}
