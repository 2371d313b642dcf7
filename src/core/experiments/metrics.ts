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
  /** where the token starts and ends in its line */
  start: number;
  end: number;
}

/** A line may hold a pair only with a number after a separator, a counter, or a progress word. */
const MAY_HOLD_PAIR = /(?:=|:\s)\s*[-+.\d]|\d\/\d|\b(?:epoch|step|iter|iteration|batch|round|fold|trial)s?\b/i;
const COUNTER = /^\d+\/\d+$/;
const NUMBER = /^[-+]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?%?$/;
const THOUSANDS_SO_FAR = /^[-+]?\d{1,3}(?:,\d{3})*$/;
const THREE_DIGITS_NEXT = /^\d{3}(?!\d)/;
const NON_FINITE_WORD = /^[-+]?(?:nan|inf|infinity)$/i;

/** Character classes of the line lexer (ASCII only; everything else is part of words). */
const SPACE = 1;
const DELIMITER = 2;
const EQUALS = 3;
const COLON = 4;
const CHAR_CLASS = new Uint8Array(128);
for (const c of ' \t\n\r\f\v') CHAR_CLASS[c.charCodeAt(0)] = SPACE;
for (const c of ',;|[](){}') CHAR_CLASS[c.charCodeAt(0)] = DELIMITER;
CHAR_CLASS[61] = EQUALS;
CHAR_CLASS[58] = COLON;

function classAt(line: string, at: number): number {
  const code = line.charCodeAt(at);
  return code < 128 ? CHAR_CLASS[code] : 0;
}

/** `:` is a separator before a space or at the end (`loss: 0.3`), part of a word otherwise (`cuda:0`, `00:12`). */
const isColonSeparator = (line: string, at: number) => classAt(line, at) === COLON && (at + 1 >= line.length || classAt(line, at + 1) === SPACE);

function wordEnd(line: string, start: number): number {
  let at = start;
  for (; at < line.length; at++) {
    const charClass = classAt(line, at);
    if (charClass === SPACE || charClass === DELIMITER || charClass === EQUALS || isColonSeparator(line, at)) break;
  }
  return at;
}

/** The end of the word at `start`, taking `7,504` and `1,234,567.5` as one number. */
function wordWithThousandsEnd(line: string, start: number): number {
  let end = wordEnd(line, start);
  while (line.charCodeAt(end) === 44 && THREE_DIGITS_NEXT.test(line.slice(end + 1, end + 5)) && THOUSANDS_SO_FAR.test(line.slice(start, end))) {
    end = wordEnd(line, end + 1);
  }
  return end;
}

function hasAlphanumeric(text: string): boolean {
  for (const c of text) if (isAlphanumeric(c)) return true;
  return false;
}

function token(kind: TokenKind, text: string, start: number, value = NaN, percent = false): LineToken {
  return { kind, text, value, percent, start, end: start + text.length };
}

function wordToken(text: string, start: number): LineToken {
  const first = text.charCodeAt(0);
  const numeric = (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46;
  if (numeric && COUNTER.test(text)) return token('counter', text, start, Number(text.slice(0, text.indexOf('/'))));
  if (numeric && NUMBER.test(text)) {
    const percent = text.endsWith('%');
    return token('number', text, start, Number(percent || text.includes(',') ? text.replace(/[,%]/g, '') : text), percent);
  }
  if (text.length <= 9 && NON_FINITE_WORD.test(text)) return token('number', text, start);
  return token(hasAlphanumeric(text) ? 'word' : 'delimiter', text, start);
}

/** The line's words, numbers, counters (`3/10`), separators (`=`, `: `) and delimiters; `97.5 %` is one number. */
function lineTokens(line: string): LineToken[] {
  const tokens: LineToken[] = [];
  let at = 0;
  while (at < line.length) {
    const charClass = classAt(line, at);
    let end = at + 1;
    if (charClass === SPACE) {
      at = end;
      continue;
    }
    if (charClass === EQUALS) while (classAt(line, end) === EQUALS) end++;
    else if (charClass !== DELIMITER && !isColonSeparator(line, at)) end = wordWithThousandsEnd(line, at);
    const text = line.slice(at, end);
    const previous = tokens[tokens.length - 1];
    if (text === '%' && previous?.kind === 'number' && !previous.percent && at - previous.end <= 1) previous.percent = true;
    else if (charClass === DELIMITER) tokens.push(token('delimiter', text, at));
    else if (charClass === EQUALS || isColonSeparator(line, at)) tokens.push(token(text.length === 1 ? 'separator' : 'delimiter', text, at));
    else tokens.push(wordToken(text, at));
    at = end;
  }
  return tokens;
}

const PROGRESS_WORD = /^(?:epoch|step|iter|iteration|batch|round|fold|trial)s?$/;
const PROGRESS_LINE = /^\W*(?:epoch|step|iter|iteration)\b/i;

/** A line as tokens, and whether it looks like a progress line (where `key value` pairs count). */
interface TokenizedLine {
  text: string;
  tokens: LineToken[];
  isProgress: boolean;
}

const isWord = (t: LineToken | undefined) => t?.kind === 'word';
const isDelimiter = (t: LineToken | undefined, text: string) => t?.kind === 'delimiter' && t.text === text;
const endsSentence = (word: string) => '.!?'.includes(word[word.length - 1]);

/** The words just before tokens[end] (with a `(group)` right before it), back to anything that is no word. */
function keyBefore({ text, tokens }: TokenizedLine, end: number): string | undefined {
  const last = end - 1;
  let at = last;
  if (isDelimiter(tokens[at], ')') && isWord(tokens[at - 1])) {
    let open = at - 1;
    while (isWord(tokens[open]) && at - open <= MAX_KEY_WORDS) open--;
    if (!isDelimiter(tokens[open], '(') || !isWord(tokens[open - 1])) return undefined;
    at = open - 1;
  }
  let first = -1;
  for (let words = 0; isWord(tokens[at]) && words <= MAX_KEY_WORDS; words++, at--) {
    if (words > 0 && endsSentence(tokens[at].text)) break;
    first = at;
  }
  return first < 0 ? undefined : normalizeMetricKey(text.slice(tokens[first].start, tokens[last].end));
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
function bareValueKey(line: TokenizedLine, at: number): string | undefined {
  const { tokens, isProgress } = line;
  const token = tokens[at];
  if ((token.kind !== 'number' && token.kind !== 'counter') || tokens[at - 1]?.kind === 'separator') return undefined;
  const keyEnd = isDelimiter(tokens[at - 1], '[') && token.kind === 'counter' ? at - 1 : at;
  const key = isProgress ? keyBefore(line, keyEnd) : normalizeMetricKey(isWord(tokens[keyEnd - 1]) ? tokens[keyEnd - 1].text : '');
  const isProgressKey = key !== undefined && PROGRESS_WORD.test(key);
  return isProgressKey || (isProgress && key !== undefined && token.kind === 'number') ? key : undefined;
}

function metricAt(line: TokenizedLine, at: number): MetricValue | undefined {
  const { tokens } = line;
  if (tokens[at].kind === 'separator') {
    const name = keyBefore(line, at);
    const value = name === undefined ? undefined : valueAfter(tokens, at + 1, name);
    return name !== undefined && value !== undefined ? { name, value } : undefined;
  }
  const name = bareValueKey(line, at);
  return name === undefined ? undefined : { name, value: tokens[at].value };
}

function pairMetrics(text: string): MetricValue[] {
  const tokens = lineTokens(text);
  const line = { text, tokens, isProgress: PROGRESS_LINE.test(text) || tokens.some((t) => t.kind === 'counter') };
  const found: MetricValue[] = [];
  for (let at = 0; at < tokens.length; at++) {
    const kind = tokens[at].kind;
    const metric = kind === 'word' || kind === 'delimiter' ? undefined : metricAt(line, at);
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
