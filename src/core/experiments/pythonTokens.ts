import type { Literal } from './types';

/**
 * A small Python tokenizer: enough of the language to find literals, assignments, calls and imports in a
 * script without a Python parser. Comments are dropped; strings (prefixed, triple-quoted) are one token
 * each, so nothing inside a string is ever read as code; statements end at a newline outside brackets,
 * at `;`, and never at a backslash-continued line end.
 */

export type PyTokenKind = 'name' | 'number' | 'string' | 'op';

export interface PyToken {
  kind: PyTokenKind;
  text: string;
  /** 1-based line where the token starts */
  line: number;
  /** the value of a number or of a plain string (not of an f-string, not of a complex number) */
  value?: number | string;
}

export interface PyStatement {
  /** columns of indentation of the line the statement starts on (a tab counts as one) */
  indent: number;
  tokens: PyToken[];
}

const PYTHON_KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally ' +
    'for from global if import in is lambda nonlocal not or pass raise return try while with yield'
  ).split(' '),
);

const NAME = /[\p{L}_][\p{L}\p{N}_]*/uy;
const NUMBER = /(?:0[xX][\da-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][-+]?\d[\d_]*)?)[jJ]?/y;
const OPERATOR = /\*\*=|\/\/=|>>=|<<=|\.\.\.|->|:=|[-+*/%&|^@=!<>]=|\*\*|\/\/|<<|>>|[^\s\w]/uy;
const STRING_PREFIX = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/;

// Character codes the tokenizer looks at (it reads codes, not one-character strings, to stay fast).
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const HASH = 35;
const BACKSLASH = 92;
const SEMICOLON = 59;
const DOT = 46;
const EQUALS = 61;
const SINGLE_QUOTE = 39;
const DOUBLE_QUOTE = 34;

const isDigitCode = (c: number) => c >= 48 && c <= 57;
const isAsciiLetterCode = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isQuoteCode = (c: number) => c === SINGLE_QUOTE || c === DOUBLE_QUOTE;
const isBlankCode = (c: number) => c === 32 || c === 9 || c === CARRIAGE_RETURN || c === 12;

function matchAt(pattern: RegExp, code: string, at: number): string {
  pattern.lastIndex = at;
  return pattern.exec(code)?.[0] ?? '';
}

/** The end of the name starting at `at` (`at` when none does): ASCII by hand, anything else by NAME. */
function nameEnd(code: string, at: number): number {
  const first = code.charCodeAt(at);
  if (first >= 128) return at + matchAt(NAME, code, at).length;
  if (!isAsciiLetterCode(first)) return at;
  let end = at + 1;
  while (isAsciiLetterCode(code.charCodeAt(end)) || isDigitCode(code.charCodeAt(end))) end++;
  return code.charCodeAt(end) >= 128 ? at + matchAt(NAME, code, at).length : end;
}

/** Where the string opening at `quoteAt` ends (just past its closing quote), and whether it was closed at all. */
function stringEnd(code: string, quoteAt: number, quoteLength: number): { end: number; closed: boolean } {
  const quote = code.charCodeAt(quoteAt);
  let i = quoteAt + quoteLength;
  while (i < code.length) {
    const c = code.charCodeAt(i);
    if (c === BACKSLASH) i += 2;
    else if (c === quote && (quoteLength === 1 || (code.charCodeAt(i + 1) === quote && code.charCodeAt(i + 2) === quote))) {
      return { end: i + quoteLength, closed: true };
    } else if (c === NEWLINE && quoteLength === 1) return { end: i, closed: false };
    else i++;
  }
  return { end: code.length, closed: false };
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '\n': '' };
const ESCAPE = /\\([\s\S])/g;

function stringValue(prefix: string, body: string): string | undefined {
  if (prefix.includes('f') || prefix.includes('F')) return undefined;
  if (prefix.includes('r') || prefix.includes('R') || !body.includes('\\')) return body;
  return body.replace(ESCAPE, (all, c: string) => ESCAPES[c] ?? all);
}

/** A string token; an f-string or an unterminated string has no value. */
function stringToken(code: string, prefixAt: number, quoteAt: number, line: number): PyToken {
  const quote = code.charCodeAt(quoteAt);
  const quoteLength = code.charCodeAt(quoteAt + 1) === quote && code.charCodeAt(quoteAt + 2) === quote ? 3 : 1;
  const { end, closed } = stringEnd(code, quoteAt, quoteLength);
  const text = code.slice(prefixAt, end);
  const value = closed ? stringValue(code.slice(prefixAt, quoteAt), code.slice(quoteAt + quoteLength, end - quoteLength)) : undefined;
  return { kind: 'string', text, line, value };
}

function numberValue(text: string): number | undefined {
  const last = text.charCodeAt(text.length - 1);
  if (last === 106 || last === 74) return undefined; // j, J: a complex number
  const value = Number(text.includes('_') ? text.replace(/_/g, '') : text);
  return Number.isFinite(value) ? value : undefined;
}

/** The length of the ASCII operator at `at`: `**=`, `//=`, `>>=`, `<<=`, `...`, `->`, `:=`, `+=` …, `**`, `//`, `<<`, `>>`, else 1. */
function operatorLength(code: string, at: number): number {
  const c = code.charCodeAt(at);
  const next = code.charCodeAt(at + 1);
  if (c === next && (c === 42 || c === 47 || c === 60 || c === 62)) return code.charCodeAt(at + 2) === EQUALS ? 3 : 2; // * / < >
  if (c === DOT) return next === DOT && code.charCodeAt(at + 2) === DOT ? 3 : 1;
  if ((c === 45 && next === 62) || (c === 58 && next === EQUALS)) return 2; // -> :=
  return next === EQUALS && '-+*/%&|^@=!<>'.includes(code[at]) ? 2 : 1;
}

/** The token starting at `at` (never whitespace, a comment or a line end). */
function tokenAt(code: string, at: number, line: number): PyToken {
  const c = code.charCodeAt(at);
  if (isQuoteCode(c)) return stringToken(code, at, at, line);
  const end = nameEnd(code, at);
  if (end > at) {
    const name = code.slice(at, end);
    if (isQuoteCode(code.charCodeAt(end)) && STRING_PREFIX.test(name)) return stringToken(code, at, end, line);
    return { kind: 'name', text: name, line };
  }
  const number = isDigitCode(c) || c === DOT ? matchAt(NUMBER, code, at) : '';
  if (number) return { kind: 'number', text: number, line, value: numberValue(number) };
  if (c < 128) return { kind: 'op', text: code.slice(at, at + operatorLength(code, at)), line };
  return { kind: 'op', text: matchAt(OPERATOR, code, at) || code[at], line };
}

/** Whether `i` starts a backslash that continues the line (`\` before `\n` or `\r\n`). */
function isLineContinuation(code: string, i: number): boolean {
  const next = code.charCodeAt(i + 1);
  return next === NEWLINE || (next === CARRIAGE_RETURN && code.charCodeAt(i + 2) === NEWLINE);
}

/** 1 for an opening bracket, -1 for a closing one, else 0. */
function bracketChange(token: PyToken): number {
  if (token.kind !== 'op' || token.text.length !== 1) return 0;
  const c = token.text.charCodeAt(0);
  if (c === 40 || c === 91 || c === 123) return 1; // ( [ {
  return c === 41 || c === 93 || c === 125 ? -1 : 0; // ) ] }
}

/** The code as statements of tokens, in order. */
export function pythonStatements(code: string): PyStatement[] {
  const statements: PyStatement[] = [];
  let current: PyToken[] = [];
  let indent = 0;
  let lineIndent = -1;
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  let i = 0;
  while (i < code.length) {
    const c = code.charCodeAt(i);
    if (isBlankCode(c)) {
      i++;
    } else if (c === NEWLINE || (c === SEMICOLON && depth === 0)) {
      i++;
      if (c === NEWLINE) {
        line++;
        lineStart = i;
        lineIndent = -1;
      }
      if (depth === 0 && current.length > 0) {
        statements.push({ indent, tokens: current });
        current = [];
      }
    } else if (c === HASH) {
      const end = code.indexOf('\n', i);
      i = end < 0 ? code.length : end;
    } else if (c === BACKSLASH && isLineContinuation(code, i)) {
      i = code.indexOf('\n', i) + 1;
      line++;
      lineStart = i;
    } else {
      if (lineIndent < 0) lineIndent = i - lineStart;
      if (current.length === 0) indent = lineIndent;
      const token = tokenAt(code, i, line);
      depth = Math.max(0, depth + bracketChange(token));
      for (let n = token.kind === 'string' ? token.text.indexOf('\n') : -1; n >= 0; n = token.text.indexOf('\n', n + 1)) {
        line++;
        lineStart = i + n + 1;
      }
      current.push(token);
      i += token.text.length;
    }
  }
  if (current.length > 0) statements.push({ indent, tokens: current });
  return statements;
}

const isOp = (token: PyToken | undefined, text: string) => token?.kind === 'op' && token.text === text;

/**
 * The literal that fills tokens[start, end) exactly: a number (with an optional sign), a plain string
 * (adjacent strings joined), True or False. Anything else (names, expressions, f-strings) is undefined.
 */
export function literalOf(tokens: PyToken[], start: number, end: number): Literal | undefined {
  if (end <= start) return undefined;
  const first = tokens[start];
  if (end - start === 1 && first.kind === 'name') return first.text === 'True' ? true : first.text === 'False' ? false : undefined;
  if (first.kind === 'op' && (first.text === '-' || first.text === '+') && end - start === 2) {
    const number = tokens[start + 1];
    if (number.kind !== 'number' || typeof number.value !== 'number') return undefined;
    return first.text === '-' ? -number.value : number.value;
  }
  if (first.kind === 'number') return end - start === 1 ? first.value : undefined;
  let joined = '';
  for (let i = start; i < end; i++) {
    const { kind, value } = tokens[i];
    if (kind !== 'string' || typeof value !== 'string') return undefined;
    joined += value;
  }
  return joined;
}

/** Index of the first `op` token with this text at bracket depth 0 in tokens[start, end), or -1. */
function indexAtTopLevel(tokens: PyToken[], text: string, start: number, end = tokens.length): number {
  let depth = 0;
  for (let i = start; i < end; i++) {
    const token = tokens[i];
    if (token.kind !== 'op') continue;
    if (depth === 0 && token.text === text) return i;
    depth += bracketChange(token);
  }
  return -1;
}

/** `name = literal` or `name: annotation = literal` as a whole statement: [name, literal]. */
export function assignedLiteral(statement: PyStatement): [string, Literal] | undefined {
  const [target, next] = statement.tokens;
  if (target?.kind !== 'name' || PYTHON_KEYWORDS.has(target.text)) return undefined;
  let equals = -1;
  if (isOp(next, '=')) equals = 1;
  else if (isOp(next, ':')) equals = indexAtTopLevel(statement.tokens, '=', 2);
  if (equals < 0) return undefined;
  const value = literalOf(statement.tokens, equals + 1, statement.tokens.length);
  return value === undefined ? undefined : [target.text, value];
}

export interface PyArgument {
  /** the keyword, for `name=value` (and for a parameter of a `def`) */
  name?: string;
  /** the value when it is a literal */
  value?: Literal;
}

export interface PyCall {
  /** the dotted name called, e.g. `torch.manual_seed`; only the last name when the callee is an expression */
  callee: string;
  /** the name after the dot-free end of `callee`: `manual_seed` */
  name: string;
  /** a `def` (its parameters' defaults are the arguments) rather than a call */
  isDefinition: boolean;
  args: PyArgument[];
}

function dottedNameBefore(tokens: PyToken[], open: number): string {
  let start = open - 1;
  while (isOp(tokens[start - 1], '.') && tokens[start - 2]?.kind === 'name') start -= 2;
  let name = tokens[start].text;
  for (let i = start + 1; i < open; i++) name += tokens[i].text;
  return name;
}

function argumentOf(tokens: PyToken[], start: number, end: number, isDefinition: boolean): PyArgument {
  const first = tokens[start];
  if (first?.kind === 'name' && isOp(tokens[start + 1], '=')) return { name: first.text, value: literalOf(tokens, start + 2, end) };
  if (isDefinition && first?.kind === 'name') {
    const equals = indexAtTopLevel(tokens, '=', start + 1, end);
    return { name: first.text, value: equals < 0 ? undefined : literalOf(tokens, equals + 1, end) };
  }
  return { value: literalOf(tokens, start, end) };
}

/** The arguments between a call's brackets (whose inside is balanced), split at its top-level commas. */
function argumentsBetween(tokens: PyToken[], open: number, close: number, isDefinition: boolean): PyArgument[] {
  const args: PyArgument[] = [];
  let start = open + 1;
  let depth = 0;
  for (let i = start; i < close; i++) {
    const token = tokens[i];
    if (depth === 0 && isOp(token, ',')) {
      if (i > start) args.push(argumentOf(tokens, start, i, isDefinition));
      start = i + 1;
    } else depth += bracketChange(token);
  }
  if (close > start) args.push(argumentOf(tokens, start, close, isDefinition));
  return args;
}

function callOpenedAt(tokens: PyToken[], open: number): PyCall | undefined {
  const before = tokens[open - 1];
  if (tokens[open].text !== '(' || before?.kind !== 'name' || PYTHON_KEYWORDS.has(before.text)) return undefined;
  const isDefinition = tokens[open - 2]?.kind === 'name' && tokens[open - 2].text === 'def';
  return { callee: dottedNameBefore(tokens, open), name: before.text, isDefinition, args: [] };
}

/** The calls (and `def`s) of a statement, in the order they open. */
export function pythonCalls(statement: PyStatement): PyCall[] {
  const { tokens } = statement;
  const calls: PyCall[] = [];
  const openedAt: number[] = [];
  const openedCalls: Array<PyCall | undefined> = [];
  for (let at = 0; at < tokens.length; at++) {
    const change = bracketChange(tokens[at]);
    if (change > 0) {
      const call = callOpenedAt(tokens, at);
      if (call) calls.push(call);
      openedAt.push(at);
      openedCalls.push(call);
    } else if (change < 0 && openedAt.length > 0) {
      const open = openedAt.pop() as number;
      const call = openedCalls.pop();
      if (call) call.args = argumentsBetween(tokens, open, at, call.isDefinition);
    }
  }
  return calls;
}

// ---- one tokenization per script -----------------------------------------------------------------

/** A script's statements and the calls of each (calls[i] are those of statements[i]). Shared: never to be changed. */
export interface SharedScript {
  readonly statements: readonly PyStatement[];
  readonly calls: ReadonlyArray<readonly PyCall[]>;
}

/** How many scripts are kept, and up to what length a script is kept at all. */
const SHARED_SCRIPTS = 4;
const MAX_SHARED_CHARS = 1_000_000;
const sharedScripts: Array<{ code: string; script: SharedScript }> = [];

/**
 * The statements and calls of one of the last few scripts read, so that the readers of a script (its
 * hyper-parameters, seeds, data files, imports) tokenize it once.
 */
export function sharedPythonScript(code: string): SharedScript {
  for (const shared of sharedScripts) if (shared.code === code) return shared.script;
  const statements = pythonStatements(code);
  const script = { statements, calls: statements.map(pythonCalls) };
  if (code.length > MAX_SHARED_CHARS) return script;
  if (sharedScripts.length >= SHARED_SCRIPTS) sharedScripts.shift();
  sharedScripts.push({ code, script });
  return script;
}
