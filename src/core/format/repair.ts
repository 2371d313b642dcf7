/**
 * Local repairs of answers that miss the format by a little, in ways models are seen to: a heading
 * glued to the end of the line before, a heading without its colon or with a dash, headings
 * numbered or bulleted as a list, JSON with comments or Python's quotes. Each repair says what it
 * did, so that a repaired answer is logged as such. Headings are repaired only for entries the
 * plain reading did not find, so text inside an entry that was read is never touched.
 */

export interface Repaired {
  text: string;
  /** what was repaired, for the log; empty when nothing was */
  fixes: string[];
}

/** Longest names first, so that `Action Input` is never read as `Action` followed by `Input`. */
function byLength(names: readonly string[]): string[] {
  return [...names].sort((a, b) => b.length - a.length);
}

function namePattern(name: string): string {
  return name
    .split(' ')
    .map((word) => (word === 'and' ? '(?:and|&)' : word))
    .join('[ \\t_-]*');
}

const squash = (s: string) =>
  s
    .toLowerCase()
    .replace('&', 'and')
    .replace(/[^a-z]/g, '');

/**
 * Puts a heading that follows other text on its line at the start of a line of its own:
 * `Action: Inspect Script LinesAction Input: {…}`, `Thought: I will list them.Action: List Files`.
 * Only a heading with its colon, after a word or a sentence's end, is moved.
 */
function splitGluedHeadings(text: string, missing: readonly string[], fixes: string[]): string {
  let out = text;
  for (const name of byLength(missing)) {
    const glued = new RegExp(String.raw`([\w.!?)\]}` + '`' + String.raw`"'])[ \t]*((?:\*\*)?${namePattern(name)}(?:\*\*)?[ \t]*:)`);
    const match = glued.exec(out);
    if (!match) continue;
    const cut = match.index + 1;
    out = `${out.slice(0, cut)}\n${out.slice(cut).replace(/^[ \t]*/, '')}`;
    fixes.push(`"${name}" was glued to the text before it`);
  }
  return out;
}

/** A list marker or a number in front of a heading: `1. Reflection:`, `- **Action:**`, `### 5. Action`. */
const LIST_MARKER = String.raw`(?:\d{1,2}[.)]|[-*•+])[ \t]+`;

/** What may follow a heading's name: a colon, a full-width colon, a dash, nothing, or a space and the text. */
const SEPARATOR = String.raw`([ \t]*[:：]|[ \t]+[-–—](?=[ \t])|[ \t]*$|[ \t]+(?=\S))`;

function headingLinePattern(names: readonly string[]): RegExp {
  return new RegExp(
    String.raw`^[ \t]*(?:#{1,6}[ \t]*)?(${LIST_MARKER})?(?:\*\*|__)?[ \t]*(` +
      byLength(names).map(namePattern).join('|') +
      String.raw`)(?:\*\*|__)?` +
      SEPARATOR +
      String.raw`[ \t]*(?:\*\*|__)?(.*)$`,
    'i',
  );
}

interface RewrittenLine {
  /** the entry whose heading this line is */
  name: string;
  line: string;
  fix: string;
}

/**
 * A heading line whose form the plain reading does not accept: numbered or bulleted, without a
 * colon (`Action List Files`), or with a dash or a full-width colon (`Action - List Files`,
 * `Thought：…`). Rewritten as `Name: rest`; undefined for any other line.
 */
function rewriteHeadingLine(line: string, pattern: RegExp, names: readonly string[]): RewrittenLine | undefined {
  const match = pattern.exec(line);
  if (!match) return undefined;
  const [, marker, written, rawSeparator, rest] = match;
  const separator = rawSeparator.trim();
  // with a colon, or alone on its line, only a list marker keeps it from being read already
  if (!marker && (separator === ':' || (separator === '' && rest.trim() === ''))) return undefined;
  const name = names.find((n) => squash(n) === squash(written)) ?? written;
  const fix = marker ? `"${name}" was written as a list item` : `"${name}" had no colon after it`;
  return { name, line: `${name}: ${rest.trim()}`.trimEnd(), fix };
}

/**
 * Repairs the headings of the entries in `missing` (those the plain reading did not find);
 * `names` are all the heading names the reader knows. Returns the text unchanged when no repair
 * applies.
 */
export function repairHeadings(text: string, names: readonly string[], missing: readonly string[]): Repaired {
  const fixes: string[] = [];
  const pattern = headingLinePattern(names);
  // an entry with two candidate lines (a list in the Thought that names an action, then the real one) is
  // ambiguous: guessing could run an action the model did not choose, so it is left for the model to fix
  const candidates = text.split('\n').flatMap((line) => rewriteHeadingLine(line, pattern, names)?.name ?? []);
  const wanted = new Set(missing.filter((name) => candidates.filter((c) => c === name).length <= 1));
  const lines = text.split('\n').map((line) => {
    const rewritten = rewriteHeadingLine(line, pattern, names);
    // the first heading of an entry is the one that counts
    if (!rewritten || !wanted.has(rewritten.name)) return line;
    wanted.delete(rewritten.name);
    if (!fixes.includes(rewritten.fix)) fixes.push(rewritten.fix);
    return rewritten.line;
  });
  const split = splitGluedHeadings(lines.join('\n'), [...wanted], fixes);
  return { text: split, fixes };
}

// ---- JSON ---------------------------------------------------------------------------------

const PYTHON_LITERALS: Record<string, string> = { True: 'true', False: 'false', None: 'null' };

/**
 * JSON as models write it when they think in Python or JavaScript: `//` and `/* *\/` comments,
 * 'single-quoted' strings and keys, True / False / None. Strings in double quotes are kept as they are.
 */
export function relaxedJson(json: string): Repaired {
  const fixes = new Set<string>();
  let out = '';
  for (let i = 0; i < json.length; i++) {
    const char = json[i];
    if (char === '"') {
      const end = stringEnd(json, i, '"');
      out += json.slice(i, end + 1);
      i = end;
    } else if (char === "'") {
      const end = stringEnd(json, i, "'");
      out += doubleQuoted(json.slice(i + 1, end));
      fixes.add('single quotes');
      i = end;
    } else if (json.startsWith('//', i)) {
      i = json.indexOf('\n', i) < 0 ? json.length : json.indexOf('\n', i) - 1;
      fixes.add('comments');
    } else if (json.startsWith('/*', i)) {
      i = json.indexOf('*/', i + 2) < 0 ? json.length : json.indexOf('*/', i + 2) + 1;
      fixes.add('comments');
    } else {
      const word = /^(?:True|False|None)\b/.exec(json.slice(i))?.[0];
      if (word && !/[\w$]/.test(json[i - 1] ?? '')) {
        out += PYTHON_LITERALS[word];
        fixes.add(`Python's ${word}`);
        i += word.length - 1;
      } else out += char;
    }
  }
  return { text: out, fixes: [...fixes] };
}

/** Index of the quote that closes the string opening at `start` (or the last index when it is never closed). */
function stringEnd(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return text.length - 1;
}

/** The body of a single-quoted string as a JSON string: escapes kept as written, `\'` unescaped, `"` escaped. */
function doubleQuoted(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (char === '\\' && i + 1 < body.length) {
      out += body[i + 1] === "'" ? "'" : char + body[i + 1];
      i++;
    } else out += char === '"' ? '\\"' : char;
  }
  return `"${out}"`;
}
