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

export const PYTHON_KEYWORDS = new Set(
  ('False None True and as assert async await break class continue def del elif else except finally for from ' +
    'global if import in is lambda nonlocal not or pass raise return try while with yield').split(' '),
);

const NAME = /[\p{L}_][\p{L}\p{N}_]*/uy;
const NUMBER = /(?:0[xX][\da-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][-+]?\d[\d_]*)?)[jJ]?/y;
const OPERATOR = /\*\*=|\/\/=|>>=|<<=|\.\.\.|->|:=|[-+*/%&|^@=!<>]=|\*\*|\/\/|<<|>>|[^\s\w]/uy;
const STRING_PREFIX = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/;
const OPENERS = '([{';
const CLOSERS = ')]}';

function matchAt(pattern: RegExp, code: string, at: number): string {
  pattern.lastIndex = at;
  return pattern.exec(code)?.[0] ?? '';
}

/** Where the string opening at `quoteAt` ends (just past its closing quote), and whether it was closed at all. */
function stringEnd(code: string, quoteAt: number): { end: number; closed: boolean } {
  const quote = code[quoteAt];
  const triple = code.startsWith(quote.repeat(3), quoteAt);
  const closer = triple ? quote.repeat(3) : quote;
  let i = quoteAt + closer.length;
  while (i < code.length) {
    const c = code[i];
    if (c === '\\') i += 2;
    else if (code.startsWith(closer, i)) return { end: i + closer.length, closed: true };
    else if (c === '\n' && !triple) return { end: i, closed: false };
    else i++;
  }
  return { end: code.length, closed: false };
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '\n': '' };

function stringValue(prefix: string, body: string): string | undefined {
  if (/f/i.test(prefix)) return undefined;
  if (/r/i.test(prefix)) return body;
  return body.replace(/\\([\s\S])/g, (all, c: string) => ESCAPES[c] ?? all);
}

/** A string token; an f-string or an unterminated string has no value. */
function stringToken(code: string, prefixAt: number, quoteAt: number, line: number): PyToken {
  const { end, closed } = stringEnd(code, quoteAt);
  const text = code.slice(prefixAt, Math.min(end, code.length));
  const quoteLength = code.startsWith(code[quoteAt].repeat(3), quoteAt) ? 3 : 1;
  const body = code.slice(quoteAt + quoteLength, end - quoteLength);
  return { kind: 'string', text, line, value: closed ? stringValue(code.slice(prefixAt, quoteAt), body) : undefined };
}

function numberValue(text: string): number | undefined {
  if (/[jJ]$/.test(text)) return undefined;
  const value = Number(text.replace(/_/g, ''));
  return Number.isFinite(value) ? value : undefined;
}

/** The token starting at `at` (never whitespace, a comment or a line end). */
function tokenAt(code: string, at: number, line: number): PyToken {
  const c = code[at];
  if (c === '"' || c === "'") return stringToken(code, at, at, line);
  const name = matchAt(NAME, code, at);
  if (name) {
    const next = code[at + name.length];
    if ((next === '"' || next === "'") && STRING_PREFIX.test(name)) return stringToken(code, at, at + name.length, line);
    return { kind: 'name', text: name, line };
  }
  const number = /[\d.]/.test(c) ? matchAt(NUMBER, code, at) : '';
  if (number && number !== '.') return { kind: 'number', text: number, line, value: numberValue(number) };
  return { kind: 'op', text: matchAt(OPERATOR, code, at) || c, line };
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
  const endStatement = () => {
    if (current.length > 0) statements.push({ indent, tokens: current });
    current = [];
  };
  let i = 0;
  while (i < code.length) {
    const c = code[i];
    if (c === '\n') {
      line++;
      lineStart = ++i;
      lineIndent = -1;
      if (depth === 0) endStatement();
    } else if (c === '#') {
      while (i < code.length && code[i] !== '\n') i++;
    } else if (c === '\\' && /^\r?\n/.test(code.slice(i + 1, i + 3))) {
      i = code.indexOf('\n', i) + 1;
      line++;
      lineStart = i;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i++;
    } else if (c === ';' && depth === 0) {
      endStatement();
      i++;
    } else {
      if (lineIndent < 0) lineIndent = i - lineStart;
      if (current.length === 0) indent = lineIndent;
      const token = tokenAt(code, i, line);
      if (OPENERS.includes(token.text)) depth++;
      if (CLOSERS.includes(token.text)) depth = Math.max(0, depth - 1);
      line += (token.text.match(/\n/g) ?? []).length;
      if (token.kind === 'string' && token.text.includes('\n')) lineStart = i + token.text.lastIndexOf('\n') + 1;
      current.push(token);
      i += token.text.length;
    }
  }
  endStatement();
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
  const strings = tokens.slice(start, end);
  if (!strings.every((t) => t.kind === 'string' && typeof t.value === 'string')) return undefined;
  return strings.map((t) => t.value).join('');
}

/** Index of the first `op` token with this text at bracket depth 0 in tokens[start, end), or -1. */
export function indexAtTopLevel(tokens: PyToken[], text: string, start: number, end = tokens.length): number {
  let depth = 0;
  for (let i = start; i < end; i++) {
    const token = tokens[i];
    if (token.kind !== 'op') continue;
    if (depth === 0 && token.text === text) return i;
    if (OPENERS.includes(token.text)) depth++;
    if (CLOSERS.includes(token.text)) depth--;
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
  return tokens
    .slice(start, open)
    .map((t) => t.text)
    .join('');
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

function argumentsBetween(tokens: PyToken[], open: number, close: number, isDefinition: boolean): PyArgument[] {
  const args: PyArgument[] = [];
  let start = open + 1;
  while (start < close) {
    const comma = indexAtTopLevel(tokens, ',', start, close);
    const end = comma < 0 ? close : comma;
    if (end > start) args.push(argumentOf(tokens, start, end, isDefinition));
    start = end + 1;
  }
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
  const open: Array<{ at: number; call?: PyCall }> = [];
  tokens.forEach((token, at) => {
    if (token.kind !== 'op') return;
    if (OPENERS.includes(token.text)) {
      const call = callOpenedAt(tokens, at);
      if (call) calls.push(call);
      open.push({ at, call });
    } else if (CLOSERS.includes(token.text)) {
      const frame = open.pop();
      if (frame?.call) frame.call.args = argumentsBetween(tokens, frame.at, at, frame.call.isDefinition);
    }
  });
  return calls;
}
