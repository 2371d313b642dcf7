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

/** Keys already normalized; null for text that is no key. */
const normalizedKeys = new Map<string, string | null>();

/** The key as stored (lower case, single spaces, no punctuation at the ends), or undefined when it is no key. */
export function normalizeMetricKey(raw: string): string | undefined {
  const known = normalizedKeys.get(raw);
  if (known !== undefined) return known ?? undefined;
  const key = keyOf(raw);
  if (normalizedKeys.size >= 10_000) normalizedKeys.clear();
  normalizedKeys.set(raw, key ?? null);
  return key;
}

function keyOf(raw: string): string | undefined {
  const key = trimPunctuation(raw.toLowerCase().trim().replace(/\s+/g, ' '));
  if (!/\p{L}/u.test(key) || key.length > MAX_KEY_CHARS || key.split(' ').length > MAX_KEY_WORDS) return undefined;
  return /\bversion\b/.test(key) ? undefined : key;
}

const LONE_NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

function loneNumber(line: string): number | undefined {
  const first = line.charCodeAt(0);
  const mayBeNumber = (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46;
  const value = mayBeNumber && LONE_NUMBER.test(line) ? Number(line) : NaN;
  return Number.isFinite(value) ? value : undefined;
}

// ---- lines that are no metrics, and progress-bar debris --------------------------------------------

/** A traceback's frame or first line, the error ending a traceback, a lone path (all at the start). */
const NOISE_START =
  /^(?:File "[^"]*", line \d+|Traceback \(most recent call last\)|(?:[\w.]+\.)?[A-Z]\w*(?:Error|Exception|Interrupt)\b|(?:\/|~\/|\.\.?\/|[A-Za-z]:\\)\S*$)/;
/** A warning, anywhere in the line. */
const WARNING = /\b[A-Z]\w*Warning\b:/;

const isNoiseLine = (line: string) => NOISE_START.test(line) || (line.includes('Warning') && WARNING.test(line));

/** Text that holds numbers but no metrics, each with a cheap test of whether the line may hold it. */
const DEBRIS: Array<[mark: string, pattern: RegExp]> = [
  ['-', /\b\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?/g], // date and time
  [':', /\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?/g], // time of day, elapsed time
  ['%|', /\d{1,3}(?:\.\d+)?%\|[^|]*\|/g], // tqdm bar: 45%|████▌     |
  ['[', /\[[=>.]{2,}\]/g], // Keras bar: [=====>.......]
];

/** `text.replace(pattern, ' | ')` for a global pattern that never matches empty text, without a runtime call when nothing matches. */
function replacedByBar(text: string, pattern: RegExp): string {
  pattern.lastIndex = 0;
  let replaced = '';
  let from = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    replaced += `${text.slice(from, match.index)} | `;
    from = pattern.lastIndex;
  }
  return from === 0 ? text : replaced + text.slice(from);
}

function withoutDebris(line: string): string {
  let text = line;
  for (let i = 0; i < DEBRIS.length; i++) if (text.includes(DEBRIS[i][0])) text = replacedByBar(text, DEBRIS[i][1]);
  return text;
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

/** A line may hold a pair only with a number after a separator, a counter, or a progress word. */
const MAY_HOLD_PAIR = /(?:=|:\s)\s*[-+.\d]|\d\/\d|\b(?:epoch|step|iter|iteration|batch|round|fold|trial)s?\b/i;
const NUMBER_TEXT = /^[-+]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?%?$/;
const THOUSANDS_SO_FAR = /^[-+]?\d{1,3}(?:,\d{3})*$/;
const NON_FINITE_WORD = /^[-+]?(?:nan|inf|infinity)$/i;
/** Whether a word starting with this character may be NON_FINITE_WORD: a sign, n, N, i or I. */
const mayBeNonFinite = (first: number) => first === 43 || first === 45 || (first | 32) === 110 || (first | 32) === 105;

/** Token kinds: words, numbers (PERCENT: followed by `%`), counters (`3/10`), separators (`=`, `: `), delimiters. */
const WORD = 0;
const NUMBER = 1;
const PERCENT = 2;
const COUNTER = 3;
const SEPARATOR = 4;
const DELIMITER = 5;

/** Character classes of the line lexer (ASCII only; everything else is part of words). */
const SPACE_CHAR = 1;
const DELIMITER_CHAR = 2;
const EQUALS_CHAR = 3;
const COLON_CHAR = 4;
const CHAR_CLASS = new Uint8Array(128);
for (const c of ' \t\n\r\f\v') CHAR_CLASS[c.charCodeAt(0)] = SPACE_CHAR;
for (const c of ',;|[](){}') CHAR_CLASS[c.charCodeAt(0)] = DELIMITER_CHAR;
CHAR_CLASS[61] = EQUALS_CHAR;
CHAR_CLASS[58] = COLON_CHAR;

function classAt(line: string, at: number): number {
  const code = line.charCodeAt(at);
  return code < 128 ? CHAR_CLASS[code] : 0;
}

const isDigitAt = (line: string, at: number) => {
  const code = line.charCodeAt(at);
  return code >= 48 && code <= 57;
};

/** `:` is a separator before a space or at the end (`loss: 0.3`), part of a word otherwise (`cuda:0`, `00:12`). */
const isColonSeparator = (line: string, at: number) =>
  classAt(line, at) === COLON_CHAR && (at + 1 >= line.length || classAt(line, at + 1) === SPACE_CHAR);

/** Where the word at `start` ends: at a space, a delimiter, `=` or a separating `:` (every class but 0 may end it). */
function wordEnd(line: string, start: number): number {
  let at = start;
  for (; at < line.length; at++) {
    const code = line.charCodeAt(at);
    if (code < 128 && CHAR_CLASS[code] !== 0 && (code !== 58 || isColonSeparator(line, at))) break;
  }
  return at;
}

/** Where the digits starting at `at` end. */
function digitsEnd(line: string, at: number, end: number): number {
  while (at < end && isDigitAt(line, at)) at++;
  return at;
}

/** Whether three digits, and no fourth, follow the comma at `comma`. */
const threeDigitsAfter = (line: string, comma: number) => digitsEnd(line, comma + 1, comma + 5) === comma + 4;

/** The end of the word at `start`, taking `7,504` and `1,234,567.5` as one number. */
function wordWithThousandsEnd(line: string, start: number): number {
  let end = wordEnd(line, start);
  while (line.charCodeAt(end) === 44 && threeDigitsAfter(line, end) && THOUSANDS_SO_FAR.test(line.slice(start, end)))
    end = wordEnd(line, end + 1);
  return end;
}

/** Whether line[start, end) is a counter: `\d+/\d+`. */
function isCounterText(line: string, start: number, end: number): boolean {
  const slash = digitsEnd(line, start, end);
  return slash > start && line.charCodeAt(slash) === 47 && slash + 1 < end && digitsEnd(line, slash + 1, end) === end;
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * The value of line[start, end) when it is a NUMBER_TEXT (commas and `%` ignored), else NaN. Plain
 * decimals of up to 15 digits (`-0.25`, `97.5%`) are read by hand: an integer below 2^53 divided by an
 * exact power of ten rounds exactly as Number() does. Commas and exponents go by the pattern.
 */
function numberAt(line: string, start: number, end: number): number {
  const sign = line.charCodeAt(start);
  const last = end > start + 1 && line.charCodeAt(end - 1) === 37 ? end - 1 : end; // without a final %
  let mantissa = 0;
  let digits = 0;
  let decimals = -1;
  for (let at = sign === 43 || sign === 45 ? start + 1 : start; at < last; at++) {
    const code = line.charCodeAt(at);
    if (code >= 48 && code <= 57) {
      mantissa = mantissa * 10 + (code - 48);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (code === 46 && decimals < 0) decimals = 0;
    else if (code !== 44 && (code | 32) !== 101)
      return NaN; // only a comma or an exponent may follow: `0.21s` is no number
    else {
      const text = line.slice(start, end);
      return NUMBER_TEXT.test(text) ? Number(text.replace(/[,%]/g, '')) : NaN;
    }
  }
  if (digits === 0) return NaN;
  if (digits > 15) return Number(line.slice(start, last));
  const value = decimals > 0 ? mantissa / POWERS_OF_TEN[decimals] : mantissa;
  return sign === 45 ? -value : value;
}

function hasAlphanumeric(line: string, start: number, end: number): boolean {
  for (let at = start; at < end; at++) {
    const code = line.charCodeAt(at);
    if (code >= 128) {
      for (const c of line.slice(at, end)) if (isAlphanumeric(c)) return true;
      return false;
    }
    if ((code >= 48 && code <= 57) || ((code | 32) >= 97 && (code | 32) <= 122)) return true;
  }
  return false;
}

/**
 * The tokens of one line as parallel arrays (no object per token): kind, where the token starts and ends
 * in the line, and the value of a number or counter (the count before the slash; NaN for nan/inf and
 * for other kinds). One instance is read into line after line.
 */
class LineTokens {
  text = '';
  count = 0;
  /** whether the line looks like a progress line (where `key value` pairs count) */
  isProgress = false;
  private hasCounter = false;
  kinds = new Uint8Array(64);
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  values = new Float64Array(64);

  /** Reads the line's words, numbers, counters, separators and delimiters; `97.5 %` is one number. */
  read(text: string): this {
    this.text = text;
    this.count = 0;
    this.hasCounter = false;
    for (let at = 0; at < text.length;) {
      const charClass = classAt(text, at);
      let end = at + 1;
      if (charClass === SPACE_CHAR) {
        at = end;
        continue;
      }
      if (charClass === EQUALS_CHAR) {
        while (text.charCodeAt(end) === 61) end++;
        this.push(end - at === 1 ? SEPARATOR : DELIMITER, at, end);
      } else if (charClass === DELIMITER_CHAR) this.push(DELIMITER, at, end);
      else if (charClass === COLON_CHAR && isColonSeparator(text, at)) this.push(SEPARATOR, at, end);
      else this.pushWord(at, (end = wordWithThousandsEnd(text, at)));
      at = end;
    }
    this.isProgress = this.hasCounter || PROGRESS_LINE.test(text);
    return this;
  }

  is(at: number, kind: number): boolean {
    return at >= 0 && at < this.count && this.kinds[at] === kind;
  }

  isNumber(at: number): boolean {
    return this.is(at, NUMBER) || this.is(at, PERCENT);
  }

  /** Whether tokens[at] is the one-character delimiter `delimiter`. */
  isDelimiter(at: number, delimiter: string): boolean {
    return this.is(at, DELIMITER) && this.ends[at] - this.starts[at] === 1 && this.text[this.starts[at]] === delimiter;
  }

  textOf(at: number): string {
    return this.text.slice(this.starts[at], this.ends[at]);
  }

  private push(kind: number, start: number, end: number, value = NaN): void {
    const at = this.count++;
    if (at === this.kinds.length) this.grow();
    this.kinds[at] = kind;
    this.starts[at] = start;
    this.ends[at] = end;
    this.values[at] = value;
  }

  private grow(): void {
    const capacity = 2 * this.kinds.length;
    const grown = <T extends Uint8Array | Int32Array | Float64Array>(array: T, bigger: T) => (bigger.set(array), bigger);
    this.kinds = grown(this.kinds, new Uint8Array(capacity));
    this.starts = grown(this.starts, new Int32Array(capacity));
    this.ends = grown(this.ends, new Int32Array(capacity));
    this.values = grown(this.values, new Float64Array(capacity));
  }

  private pushWord(start: number, end: number): void {
    const { text } = this;
    const first = text.charCodeAt(start);
    const last = this.count - 1;
    if (first === 37 && end - start === 1 && this.is(last, NUMBER) && start - this.ends[last] <= 1) {
      this.kinds[last] = PERCENT; // `97.5 %`
      return;
    }
    const numeric = (first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46;
    const isCounter = numeric && isCounterText(text, start, end);
    const value = numeric && !isCounter ? numberAt(text, start, end) : NaN;
    if (isCounter) {
      this.push(COUNTER, start, end, numberAt(text, start, text.indexOf('/', start)));
      this.hasCounter = true;
    } else if (!Number.isNaN(value)) this.push(text.charCodeAt(end - 1) === 37 ? PERCENT : NUMBER, start, end, value);
    else if (mayBeNonFinite(first) && end - start >= 3 && end - start <= 9 && NON_FINITE_WORD.test(text.slice(start, end)))
      this.push(NUMBER, start, end);
    else this.push(hasAlphanumeric(text, start, end) ? WORD : DELIMITER, start, end);
  }
}

const PROGRESS_WORD = /^(?:epoch|step|iter|iteration|batch|round|fold|trial)s?$/;
const PROGRESS_LINE = /^\W*(?:epoch|step|iter|iteration)\b/i;

/** Whether the word tokens[at] ends a sentence (so it cannot start a key). */
const endsSentence = (line: LineTokens, at: number) => '.!?'.includes(line.text[line.ends[at] - 1]);

/** The words just before tokens[end] (with a `(group)` right before it), back to anything that is no word. */
function keyBefore(line: LineTokens, end: number): string | undefined {
  const last = end - 1;
  let at = last;
  if (line.isDelimiter(at, ')') && line.is(at - 1, WORD)) {
    let open = at - 1;
    while (line.is(open, WORD) && at - open <= MAX_KEY_WORDS) open--;
    if (!line.isDelimiter(open, '(') || !line.is(open - 1, WORD)) return undefined;
    at = open - 1;
  }
  let first = -1;
  for (let words = 0; line.is(at, WORD) && words <= MAX_KEY_WORDS; words++, at--) {
    if (words > 0 && endsSentence(line, at)) break;
    first = at;
  }
  return first < 0 ? undefined : normalizeMetricKey(line.text.slice(line.starts[first], line.ends[last]));
}

/** The value after a separator: a number, or a counter (`9891/10000 (99%)` → 99, a step's `3/10` → 3). */
function valueAfter(line: LineTokens, at: number, key: string): number | undefined {
  if (line.isNumber(at)) return line.values[at];
  if (!line.is(at, COUNTER)) return undefined;
  if (line.isDelimiter(at + 1, '(') && line.is(at + 2, PERCENT) && line.isDelimiter(at + 3, ')')) return line.values[at + 2];
  return PROGRESS_WORD.test(key.slice(key.lastIndexOf(' ') + 1)) ? line.values[at] : undefined;
}

/**
 * `key value` without a separator: on a progress line any words (`loss 0.52`, `Epoch 3/10`,
 * `Epoch [3/10]`), elsewhere only a progress word right before the number (`… at step 500`).
 */
function bareValueKey(line: LineTokens, at: number): string | undefined {
  const isCounter = line.is(at, COUNTER);
  if ((!isCounter && !line.isNumber(at)) || line.is(at - 1, SEPARATOR)) return undefined;
  const keyEnd = isCounter && line.isDelimiter(at - 1, '[') ? at - 1 : at;
  if (!line.isProgress && !line.is(keyEnd - 1, WORD)) return undefined;
  const key = line.isProgress ? keyBefore(line, keyEnd) : normalizeMetricKey(line.textOf(keyEnd - 1));
  const isProgressKey = key !== undefined && PROGRESS_WORD.test(key);
  return isProgressKey || (line.isProgress && key !== undefined && !isCounter) ? key : undefined;
}

function metricAt(line: LineTokens, at: number): MetricValue | undefined {
  if (line.is(at, SEPARATOR)) {
    const name = keyBefore(line, at);
    const value = name === undefined ? undefined : valueAfter(line, at + 1, name);
    return name !== undefined && value !== undefined ? { name, value } : undefined;
  }
  const name = bareValueKey(line, at);
  return name === undefined ? undefined : { name, value: line.values[at] };
}

/** The one LineTokens, read into by each line in turn (reading a line never reads another meanwhile). */
const lineTokens = new LineTokens();

function addPairMetrics(text: string, found: MetricValue[]): void {
  const line = lineTokens.read(text);
  for (let at = 0; at < line.count; at++) {
    const kind = line.kinds[at];
    const metric = kind === WORD || kind === DELIMITER ? undefined : metricAt(line, at);
    if (metric && Number.isFinite(metric.value)) found.push(metric);
  }
}

/** Adds the metrics of one line of output to `found`. */
function addLineMetrics(raw: string, found: MetricValue[]): void {
  const line = raw.trim();
  if (line.length > MAX_METRIC_LINE_CHARS || !/\d/.test(line) || isNoiseLine(line)) return;
  const fromObject = line.startsWith('{') && line.endsWith('}') ? objectMetrics(line) : undefined;
  if (fromObject) found.push(...fromObject);
  else {
    const cleaned = withoutDebris(line);
    if (MAY_HOLD_PAIR.test(cleaned)) addPairMetrics(cleaned, found);
  }
}

/** The metrics of one line of output (a lone number gives none: only the last line's is the score). */
export function parseMetricLine(raw: string): MetricValue[] {
  const found: MetricValue[] = [];
  addLineMetrics(raw, found);
  return found;
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
    let start = 0;
    let newline = chunk.indexOf('\n');
    let carriageReturn = chunk.indexOf('\r');
    while (newline >= 0 || carriageReturn >= 0) {
      const end = carriageReturn < 0 || (newline >= 0 && newline < carriageReturn) ? newline : carriageReturn;
      this.append(chunk.slice(start, end));
      this.endLine(found);
      start = end === carriageReturn && newline === end + 1 ? end + 2 : end + 1;
      if (newline >= 0 && newline < start) newline = chunk.indexOf('\n', start);
      if (carriageReturn >= 0 && carriageReturn < start) carriageReturn = chunk.indexOf('\r', start);
    }
    this.append(start === 0 ? chunk : chunk.slice(start));
    return found;
  }

  finish(): MetricValue[] {
    const found: MetricValue[] = [];
    this.endLine(found);
    if (this.lastLoneNumber !== undefined) found.push({ name: 'score', value: this.lastLoneNumber });
    this.lastLoneNumber = undefined;
    return found;
  }

  private append(text: string): void {
    if (this.overflowed || text.length === 0) return;
    this.overflowed = this.partial.length + text.length > MAX_METRIC_LINE_CHARS;
    this.partial = this.overflowed ? '' : this.partial + text;
  }

  private endLine(found: MetricValue[]): void {
    const line = this.partial.trim();
    const dropped = this.overflowed;
    this.partial = '';
    this.overflowed = false;
    if (dropped) this.lastLoneNumber = undefined;
    if (dropped || !line) return;
    this.lastLoneNumber = loneNumber(line);
    if (this.lastLoneNumber === undefined) addLineMetrics(line, found);
  }
}

/** Adds every value found to its key's values, in order. */
function addValues(all: Map<string, number[]>, found: MetricValue[]): void {
  for (const { name, value } of found) {
    const values = all.get(name);
    if (values) values.push(value);
    else all.set(name, [value]);
  }
}

function summaryOf(all: Map<string, number[]>): ParsedMetrics {
  const metrics: Record<string, number> = {};
  const series: Record<string, number[]> = {};
  for (const [name, values] of all) {
    metrics[name] = values[values.length - 1];
    if (values.length > 1) series[name] = values;
  }
  return { metrics, series };
}

/** Last value per key, and the series of the keys seen more than once. */
export function summarizeMetrics(found: MetricValue[]): ParsedMetrics {
  const all = new Map<string, number[]>();
  addValues(all, found);
  return summaryOf(all);
}

/** Output is read in pieces of this many characters, so that what is found need not be held all at once. */
const PIECE_CHARS = 65_536;

export function parseMetrics(output: string): ParsedMetrics {
  const stream = new MetricStream();
  const all = new Map<string, number[]>();
  for (let at = 0; at < output.length; at += PIECE_CHARS) addValues(all, stream.push(output.slice(at, at + PIECE_CHARS)));
  addValues(all, stream.finish());
  return summaryOf(all);
}
