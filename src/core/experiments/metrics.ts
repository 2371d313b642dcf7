/**
 * Metrics read from a script's output. Each line is read on its own, in this order of preference:
 * a JSON object (or a Python dict repr, as the Hugging Face Trainer prints), else `key=value` and
 * `key: value` pairs (and `key value` pairs on progress lines such as `Epoch 3/10 loss 0.52`); a lone
 * number on the last line is the `score` (MLAgentBench's `eval.py` prints just a float).
 */

export interface MetricValue {
  name: string;
  value: number;
}

export interface ParsedMetrics {
  /** last value per key */
  metrics: Record<string, number>;
  /** every value per key in order, only for keys printed more than once */
  series: Record<string, number[]>;
}

/** A line longer than this is dropped whole, so output without line ends cannot grow memory. */
export const MAX_METRIC_LINE_CHARS = 10_000;

const MAX_KEY_WORDS = 5;
const MAX_KEY_CHARS = 40;

// ---- keys and numbers ----------------------------------------------------------------------------

const ALPHANUMERIC = /[\p{L}\p{N}]/u;

function isAlphanumeric(c: string): boolean {
  const code = c.charCodeAt(0);
  if (code < 128) return (code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122);
  return ALPHANUMERIC.test(c);
}

function trimPunctuation(key: string): string {
  let start = 0;
  let end = key.length;
  while (start < end && !isAlphanumeric(key[start])) start++;
  const keepsParen = (at: number) => key[at] === ')' && key.slice(start, at).includes('(');
  while (end > start && !isAlphanumeric(key[end - 1]) && !keepsParen(end - 1)) end--;
  return key.slice(start, end);
}

const normalizedKeys = new Map<string, string | undefined>();

/** The key as stored (lower case, single spaces, no punctuation at the ends), or undefined when it is no key. */
export function normalizeMetricKey(raw: string): string | undefined {
  if (normalizedKeys.has(raw)) return normalizedKeys.get(raw);
  const key = keyOf(raw);
  if (normalizedKeys.size >= 10_000) normalizedKeys.clear();
  normalizedKeys.set(raw, key);
  return key;
}

function keyOf(raw: string): string | undefined {
  const key = trimPunctuation(raw.toLowerCase().trim().replace(/\s+/g, ' '));
  if (!/\p{L}/u.test(key) || key.length > MAX_KEY_CHARS || key.split(' ').length > MAX_KEY_WORDS) return undefined;
  return /\bversion\b/.test(key) ? undefined : key;
}

const LONE_NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

function loneNumber(line: string): number | undefined {
  const value = LONE_NUMBER.test(line) ? Number(line) : NaN;
  return Number.isFinite(value) ? value : undefined;
}

// ---- lines that are no metrics, and progress-bar debris --------------------------------------------

/** A traceback's frame or first line, a warning, the error ending a traceback, a lone path. */
const NOISE_LINE =
  /^File "[^"]*", line \d+|^Traceback \(most recent call last\)|\b[A-Z]\w*Warning\b:|^(?:[\w.]+\.)?[A-Z]\w*(?:Error|Exception|Interrupt)\b|^(?:\/|~\/|\.\.?\/|[A-Za-z]:\\)\S*$/;

/** Text that holds numbers but no metrics, each with a cheap test of whether the line may hold it. */
const DEBRIS: Array<[mark: string, pattern: RegExp]> = [
  ['-', /\b\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/g], // date and time
  [':', /\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?/g], // time of day, elapsed time
  ['%|', /\d{1,3}(?:\.\d+)?%\|[^|]*\|/g], // tqdm bar: 45%|████▌     |
  ['[', /\[[=>.]{2,}\]/g], // Keras bar: [=====>.......]
];

function withoutDebris(line: string): string {
  return DEBRIS.reduce((text, [mark, pattern]) => (text.includes(mark) ? text.replace(pattern, ' | ') : text), line);
}

// ---- JSON objects and Python dicts ---------------------------------------------------------------

const PYTHON_WORDS: Record<string, string> = { True: 'true', False: 'false', None: 'null' };
/** By group: 1 a single-quoted string's body, 2 a double-quoted string, 3 nan or inf, 4 the number in `np.float64(0.97)`. */
const PYTHON_REPR_PART =
  /'((?:[^'\\]|\\.)*)'|("(?:[^"\\]|\\.)*")|([-+]?(?:nan|NaN|inf|Infinity)\b)|[A-Za-z_][\w.]*(?:\(\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*\))?/g;

/** A Python dict repr as JSON text: quotes, True/False/None, nan and inf (as null), `np.float64(x)` → x. */
function pythonReprAsJson(text: string): string {
  return text.replace(PYTHON_REPR_PART, (part, single?: string, double?: string, nonFinite?: string, wrapped?: string) => {
    if (single !== undefined) return JSON.stringify(single.replace(/\\'/g, "'"));
    if (nonFinite !== undefined) return 'null';
    return double ?? wrapped ?? PYTHON_WORDS[part] ?? part;
  });
}

function jsonValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A JSON object or a Python dict repr; a line with a single quote is read as Python first (one parse, not two). */
function parsedObject(line: string): Record<string, unknown> | undefined {
  const pythonFirst = line.includes("'") || !line.includes('"');
  const value = pythonFirst ? jsonValue(pythonReprAsJson(line)) : (jsonValue(line) ?? jsonValue(pythonReprAsJson(line)));
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function flattened(object: Record<string, unknown>, prefix: string, found: MetricValue[]): MetricValue[] {
  for (const [key, value] of Object.entries(object)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const name = normalizeMetricKey(path);
    if (typeof value === 'number' && Number.isFinite(value) && name) found.push({ name, value });
    else if (value && typeof value === 'object' && !Array.isArray(value)) flattened(value as Record<string, unknown>, path, found);
  }
  return found;
}

/** The numbers of a JSON object line; undefined when the line is no object. */
function objectMetrics(line: string): MetricValue[] | undefined {
  const object = parsedObject(line);
  if (!object) return undefined;
  const found = flattened(object, '', []);
  const named = typeof object.metric === 'string' ? normalizeMetricKey(object.metric) : undefined;
  if (named && typeof object.score === 'number' && Number.isFinite(object.score)) found.push({ name: named, value: object.score });
  return found;
}

// ---- key/value pairs -------------------------------------------------------------------------------

type TokenKind = 'word' | 'number' | 'counter' | 'separator' | 'delimiter';

interface LineToken {
  kind: TokenKind;
  text: string;
  /** numbers: the value (NaN for nan/inf); counters: the count before the slash */
  value: number;
  percent: boolean;
}

/** Where a number, a counter or a word ends: a space, a delimiter, `=`, a `:` before a space, the end. */
const BOUNDARY = String.raw`(?=[\s,;|[\](){}=]|:(?:\s|$)|$)`;
const NUMBER = String.raw`[-+]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?:[ \t]?%)?`;
/** One token per match after spaces, by group: 1 delimiter, 2 separator, 3 counter, 4 number, 5 word. */
const LINE_TOKEN = new RegExp(
  String.raw`\s*(?:([,;|[\](){}]|={2,})|(=|:(?=\s|$))|(\d+\/\d+)${BOUNDARY}|(${NUMBER})${BOUNDARY}|((?:[^\s,;|[\](){}=:]|:(?!\s|$))+))`,
  'g',
);
/** A line may hold a pair only with a number after a separator, a counter, or a progress word. */
const MAY_HOLD_PAIR = /(?:=|:\s)\s*[-+.\d]|\d\/\d|\b(?:epoch|step|iter|iteration|batch|round|fold|trial)s?\b/i;
const NON_FINITE_WORD = /^[-+]?(?:nan|inf|infinity)$/i;
const HAS_ALPHANUMERIC = /[\p{L}\p{N}]/u;

function token(kind: TokenKind, text: string, value = NaN, percent = false): LineToken {
  return { kind, text, value, percent };
}

function tokenOf(match: RegExpExecArray): LineToken {
  if (match[1] !== undefined) return token('delimiter', match[1]);
  if (match[2] !== undefined) return token('separator', match[2]);
  const counter = match[3];
  if (counter !== undefined) return token('counter', counter, Number(counter.slice(0, counter.indexOf('/'))));
  const number = match[4];
  if (number !== undefined) {
    const percent = number.endsWith('%');
    return token('number', number, Number(percent || number.includes(',') ? number.replace(/[,%\s]/g, '') : number), percent);
  }
  const word = match[5];
  if (NON_FINITE_WORD.test(word)) return token('number', word);
  return token(HAS_ALPHANUMERIC.test(word) ? 'word' : 'delimiter', word);
}

function lineTokens(line: string): LineToken[] {
  const tokens: LineToken[] = [];
  LINE_TOKEN.lastIndex = 0;
  for (let match = LINE_TOKEN.exec(line); match; match = LINE_TOKEN.exec(line)) {
    if (match[0].length === 0) break;
    tokens.push(tokenOf(match));
  }
  return tokens;
}

const PROGRESS_WORD = /^(?:epoch|step|iter|iteration|batch|round|fold|trial)s?$/;
const PROGRESS_LINE = /^\W*(?:epoch|step|iter|iteration)\b/i;
const SENTENCE_END = /[.!?]$/;

const isWord = (t: LineToken | undefined) => t?.kind === 'word';
const isDelimiter = (t: LineToken | undefined, text: string) => t?.kind === 'delimiter' && t.text === text;

/** The words just before tokens[end] (with a `(group)` right before it), back to anything that is no word. */
function keyBefore(tokens: LineToken[], end: number): string | undefined {
  const words: string[] = [];
  let at = end - 1;
  if (isDelimiter(tokens[at], ')') && isWord(tokens[at - 1])) {
    let open = at - 1;
    while (isWord(tokens[open]) && at - open <= MAX_KEY_WORDS) open--;
    if (!isDelimiter(tokens[open], '(') || !isWord(tokens[open - 1])) return undefined;
    words.push(`(${tokens.slice(open + 1, at).map((t) => t.text).join(' ')})`);
    at = open - 1;
  }
  while (isWord(tokens[at]) && words.length <= MAX_KEY_WORDS) {
    if (words.length > 0 && SENTENCE_END.test(tokens[at].text)) break;
    words.unshift(tokens[at].text);
    at--;
  }
  return words.length > 0 ? normalizeMetricKey(words.join(' ')) : undefined;
}

/** The value after a separator: a number, or a counter (`9891/10000 (99%)` → 99, a step's `3/10` → 3). */
function valueAfter(tokens: LineToken[], at: number, key: string): number | undefined {
  const token = tokens[at];
  if (token?.kind === 'number') return token.value;
  if (token?.kind !== 'counter') return undefined;
  const percent = tokens[at + 2];
  if (isDelimiter(tokens[at + 1], '(') && percent?.percent && isDelimiter(tokens[at + 3], ')')) return percent.value;
  return PROGRESS_WORD.test(key.slice(key.lastIndexOf(' ') + 1)) ? token.value : undefined;
}

/**
 * `key value` without a separator: on a progress line any words (`loss 0.52`, `Epoch 3/10`,
 * `Epoch [3/10]`), elsewhere only a progress word right before the number (`… at step 500`).
 */
function bareValueKey(tokens: LineToken[], at: number, onProgressLine: boolean): string | undefined {
  const token = tokens[at];
  if ((token.kind !== 'number' && token.kind !== 'counter') || tokens[at - 1]?.kind === 'separator') return undefined;
  const bracketed = isDelimiter(tokens[at - 1], '[') && token.kind === 'counter';
  const keyEnd = bracketed ? at - 1 : at;
  const key = onProgressLine ? keyBefore(tokens, keyEnd) : normalizeMetricKey(isWord(tokens[keyEnd - 1]) ? tokens[keyEnd - 1].text : '');
  const isProgressKey = key !== undefined && PROGRESS_WORD.test(key);
  return isProgressKey || (onProgressLine && key !== undefined && token.kind === 'number') ? key : undefined;
}

function metricAt(tokens: LineToken[], at: number, onProgressLine: boolean): MetricValue | undefined {
  if (tokens[at].kind === 'separator') {
    const name = keyBefore(tokens, at);
    const value = name === undefined ? undefined : valueAfter(tokens, at + 1, name);
    return name !== undefined && value !== undefined ? { name, value } : undefined;
  }
  const name = bareValueKey(tokens, at, onProgressLine);
  return name === undefined ? undefined : { name, value: tokens[at].value };
}

function pairMetrics(line: string): MetricValue[] {
  const tokens = lineTokens(line);
  const onProgressLine = PROGRESS_LINE.test(line) || tokens.some((t) => t.kind === 'counter');
  const found: MetricValue[] = [];
  for (let at = 0; at < tokens.length; at++) {
    const metric = tokens[at].kind === 'word' || tokens[at].kind === 'delimiter' ? undefined : metricAt(tokens, at, onProgressLine);
    if (metric && Number.isFinite(metric.value)) found.push(metric);
  }
  return found;
}

/** The metrics of one line of output (a lone number gives none: only the last line's is the score). */
export function parseMetricLine(raw: string): MetricValue[] {
  const line = raw.trim();
  if (line.length > MAX_METRIC_LINE_CHARS || !/\d/.test(line) || NOISE_LINE.test(line)) return [];
  const fromObject = line.startsWith('{') && line.endsWith('}') ? objectMetrics(line) : undefined;
  if (fromObject) return fromObject;
  const cleaned = withoutDebris(line);
  return MAY_HOLD_PAIR.test(cleaned) ? pairMetrics(cleaned) : [];
}

// ---- whole outputs -------------------------------------------------------------------------------

/**
 * Metrics of output arriving in chunks: `push` returns those of every line completed by the chunk
 * (`\n`, `\r\n` and a lone `\r` all end a line, as progress bars redraw with `\r`); `finish` those of
 * the last line, and the `score` when the last non-empty line is a lone number.
 */
export class MetricStream {
  private partial = '';
  private overflowed = false;
  private lastLoneNumber: number | undefined;

  push(chunk: string): MetricValue[] {
    const pieces = chunk.split(/\r\n|[\r\n]/);
    const found: MetricValue[] = [];
    this.append(pieces[0]);
    for (let i = 1; i < pieces.length; i++) {
      found.push(...this.endLine());
      this.append(pieces[i]);
    }
    return found;
  }

  finish(): MetricValue[] {
    const found = this.endLine();
    if (this.lastLoneNumber !== undefined) found.push({ name: 'score', value: this.lastLoneNumber });
    this.lastLoneNumber = undefined;
    return found;
  }

  private append(text: string): void {
    if (this.overflowed || text.length === 0) return;
    this.overflowed = this.partial.length + text.length > MAX_METRIC_LINE_CHARS;
    this.partial = this.overflowed ? '' : this.partial + text;
  }

  private endLine(): MetricValue[] {
    const line = this.partial.trim();
    const dropped = this.overflowed;
    this.partial = '';
    this.overflowed = false;
    if (dropped) this.lastLoneNumber = undefined;
    if (dropped || !line) return [];
    this.lastLoneNumber = loneNumber(line);
    return this.lastLoneNumber === undefined ? parseMetricLine(line) : [];
  }
}

/** Last value per key, and the series of the keys seen more than once. */
export function summarizeMetrics(found: MetricValue[]): ParsedMetrics {
  const all = new Map<string, number[]>();
  for (const { name, value } of found) {
    const values = all.get(name);
    if (values) values.push(value);
    else all.set(name, [value]);
  }
  const metrics: Record<string, number> = {};
  const series: Record<string, number[]> = {};
  for (const [name, values] of all) {
    metrics[name] = values[values.length - 1];
    if (values.length > 1) series[name] = values;
  }
  return { metrics, series };
}

export function parseMetrics(output: string): ParsedMetrics {
  const stream = new MetricStream();
  return summarizeMetrics([...stream.push(output), ...stream.finish()]);
}
