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

const isAlphanumeric = (c: string) => /[\p{L}\p{N}]/u.test(c);

function trimPunctuation(key: string): string {
  let start = 0;
  let end = key.length;
  while (start < end && !isAlphanumeric(key[start])) start++;
  const keepsParen = (at: number) => key[at] === ')' && key.slice(start, at).includes('(');
  while (end > start && !isAlphanumeric(key[end - 1]) && !keepsParen(end - 1)) end--;
  return key.slice(start, end);
}

/** The key as stored (lower case, single spaces, no punctuation at the ends), or undefined when it is no key. */
export function normalizeMetricKey(raw: string): string | undefined {
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

const NOISE_LINES = [
  /^File "[^"]*", line \d+/, // a traceback's frame
  /^Traceback \(most recent call last\)/,
  /\b[A-Z]\w*Warning\b:/, // UserWarning: ..., /path/x.py:12: FutureWarning: ...
  /^(?:[\w.]+\.)?[A-Z]\w*(?:Error|Exception|Interrupt)\b:?/, // the error line ending a traceback
  /^(?:\/|~\/|\.\.?\/|[A-Za-z]:\\)\S*$/, // a lone path
];

const DEBRIS = [
  /\b\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/g, // date and time
  /\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?/g, // time of day, elapsed time
  /\d{1,3}(?:\.\d+)?%\|[^|]*\|/g, // tqdm bar: 45%|████▌     |
  /\[[=>.]{2,}\]/g, // Keras bar: [=====>.......]
];

function withoutDebris(line: string): string {
  return DEBRIS.reduce((text, pattern) => text.replace(pattern, ' | '), line);
}

// ---- JSON objects and Python dicts ---------------------------------------------------------------

const PYTHON_WORDS: Record<string, string> = { True: 'true', False: 'false', None: 'null', nan: 'null', NaN: 'null', inf: 'null', Infinity: 'null' };
const WRAPPED_NUMBER = /[A-Za-z_][\w.]*\(\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*\)/y; // np.float64(0.97)
const IDENTIFIER = /[A-Za-z_][\w.]*/y;

function quotedEnd(text: string, quoteAt: number): number {
  let i = quoteAt + 1;
  while (i < text.length && text[i] !== text[quoteAt]) i += text[i] === '\\' ? 2 : 1;
  return i;
}

function stickyMatch(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

/** A Python dict repr as JSON text: quotes, True/False/None, nan and inf, `np.float64(x)` → x. */
function pythonReprAsJson(text: string): string {
  let json = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "'" || c === '"') {
      const end = quotedEnd(text, i);
      const body = text.slice(i + 1, end);
      json += JSON.stringify(c === "'" ? body.replace(/\\'/g, "'") : body);
      i = end + 1;
      continue;
    }
    const wrapped = stickyMatch(WRAPPED_NUMBER, text, i);
    const word = wrapped?.[0] ?? stickyMatch(IDENTIFIER, text, i)?.[0] ?? c;
    const mapped = wrapped ? wrapped[1] : PYTHON_WORDS[word];
    if (mapped === 'null') json = json.replace(/[-+]\s*$/, '');
    json += mapped ?? word;
    i += word.length;
  }
  return json;
}

function jsonValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parsedObject(line: string): Record<string, unknown> | undefined {
  const value = jsonValue(line) ?? jsonValue(pythonReprAsJson(line));
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
  percent?: boolean;
}

const DELIMITERS = ',;|[](){}';
const NUMBER_AT = /[-+]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?:\s?%)?/y;
const COUNTER_AT = /\d+\/\d+/y;
const NON_FINITE_WORD = /^[-+]?(?:nan|inf|infinity)$/i;

const isSpace = (c: string | undefined) => c === ' ' || c === '\t';
const isColonSeparator = (line: string, at: number) => line[at] === ':' && (at + 1 === line.length || isSpace(line[at + 1]));

/** Whether a number or counter may end just before `at`. */
function endsToken(line: string, at: number): boolean {
  const c = line[at];
  return c === undefined || isSpace(c) || DELIMITERS.includes(c) || c === '=' || isColonSeparator(line, at);
}

function matchedAt(pattern: RegExp, line: string, at: number): string | undefined {
  pattern.lastIndex = at;
  const text = pattern.exec(line)?.[0];
  return text && endsToken(line, at + text.length) ? text : undefined;
}

function wordEnd(line: string, at: number): number {
  let end = at;
  while (end < line.length && !endsToken(line, end)) end++;
  return Math.max(end, at + 1);
}

function numberOrWord(line: string, at: number, afterBoundary: boolean): LineToken {
  const counter = matchedAt(COUNTER_AT, line, at);
  if (counter) return { kind: 'counter', text: counter, value: Number(counter.slice(0, counter.indexOf('/'))) };
  const signed = line[at] === '-' || line[at] === '+';
  const number = signed && !afterBoundary ? undefined : matchedAt(NUMBER_AT, line, at);
  if (number) {
    const percent = number.endsWith('%');
    return { kind: 'number', text: number, value: Number(number.replace(/[,%\s]/g, '')), percent };
  }
  const text = line.slice(at, wordEnd(line, at));
  if (NON_FINITE_WORD.test(text)) return { kind: 'number', text, value: NaN };
  return { kind: /[\p{L}\p{N}]/u.test(text) ? 'word' : 'delimiter', text, value: NaN };
}

function lineTokens(line: string): LineToken[] {
  const tokens: LineToken[] = [];
  let at = 0;
  while (at < line.length) {
    const c = line[at];
    let token: LineToken;
    if (isSpace(c)) {
      at++;
      continue;
    } else if (DELIMITERS.includes(c)) token = { kind: 'delimiter', text: c, value: NaN };
    else if (c === '=' && line[at + 1] !== '=') token = { kind: 'separator', text: c, value: NaN };
    else if (c === '=') token = { kind: 'delimiter', text: /^=+/.exec(line.slice(at, at + 200))?.[0] ?? c, value: NaN };
    else if (isColonSeparator(line, at)) token = { kind: 'separator', text: c, value: NaN };
    else token = numberOrWord(line, at, at === 0 || isSpace(line[at - 1]) || tokens.at(-1)?.kind !== 'word');
    tokens.push(token);
    at += token.text.length;
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
    while (isWord(tokens[open])) open--;
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

function isProgressLine(line: string, tokens: LineToken[]): boolean {
  return PROGRESS_LINE.test(line) || tokens.some((t) => t.kind === 'counter');
}

/** `key value` on a progress line: `loss 0.52`, `Epoch 3/10`, `Epoch [3/10]`. */
function bareValueKey(tokens: LineToken[], at: number): string | undefined {
  const token = tokens[at];
  if (token.kind !== 'number' && token.kind !== 'counter') return undefined;
  const bracketed = isDelimiter(tokens[at - 1], '[') && token.kind === 'counter';
  const key = keyBefore(tokens, bracketed ? at - 1 : at);
  return key && (token.kind === 'number' || PROGRESS_WORD.test(key)) ? key : undefined;
}

function pairMetrics(line: string): MetricValue[] {
  const tokens = lineTokens(line);
  const found: Array<MetricValue & { at: number }> = [];
  const taken = new Set<number>();
  tokens.forEach((token, at) => {
    if (token.kind !== 'separator') return;
    const key = keyBefore(tokens, at);
    const value = key === undefined ? undefined : valueAfter(tokens, at + 1, key);
    if (key !== undefined && value !== undefined) found.push({ name: key, value, at });
    taken.add(at + 1);
  });
  if (isProgressLine(line, tokens)) {
    tokens.forEach((token, at) => {
      const key = taken.has(at) ? undefined : bareValueKey(tokens, at);
      if (key !== undefined) found.push({ name: key, value: token.value, at });
    });
  }
  return found
    .filter((m) => Number.isFinite(m.value))
    .sort((a, b) => a.at - b.at)
    .map(({ name, value }) => ({ name, value }));
}

/** The metrics of one line of output (a lone number gives none: only the last line's is the score). */
export function parseMetricLine(raw: string): MetricValue[] {
  const line = raw.trim();
  if (!line || line.length > MAX_METRIC_LINE_CHARS || NOISE_LINES.some((p) => p.test(line))) return [];
  const fromObject = line.startsWith('{') && line.endsWith('}') ? objectMetrics(line) : undefined;
  return fromObject ?? pairMetrics(withoutDebris(line));
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
    const found: MetricValue[] = [];
    const lineEnd = /[\r\n]/g;
    let start = 0;
    for (let match = lineEnd.exec(chunk); match; match = lineEnd.exec(chunk)) {
      this.append(chunk.slice(start, match.index));
      found.push(...this.endLine());
      start = match.index + 1;
    }
    this.append(chunk.slice(start));
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
