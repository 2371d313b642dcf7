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
 * Only a heading with its colon, written in the format's own case, is moved.
 */
function splitGluedHeadings(text: string, missing: readonly string[], fixes: string[]): string {
  let out = text;
  for (const name of byLength(missing)) {
    const glued = new RegExp(String.raw`(\S)[ \t]*((?:\*\*)?${namePattern(name)}(?:\*\*)?[ \t]*:)`);
    const match = glued.exec(out);
    if (!match) continue;
    // `Action Input:` glued after `Action:`'s text must not be read as `Action` + ` Input:`
    const before = out.slice(0, match.index + 1);
    if (byLength(missing).some((longer) => longer.length > name.length && longer.endsWith(name) && before.endsWith(longer.slice(0, -name.length).trim())))
      continue;
    out = `${before}\n${out.slice(match.index + 1).replace(/^[ \t]*/, '')}`;
    fixes.push(`"${name}" was glued to the text before it`);
  }
  return out;
}

/** A list marker or a number in front of a heading: `1. Reflection:`, `- **Action:**`, `### 5. Action`. */
const LIST_MARKER = String.raw`(?:\d{1,2}[.)]|[-*•+])[ \t]+`;

/**
 * A heading line whose form the plain reading does not accept: numbered or bulleted, without a
 * colon (`Action List Files`), or with a dash or a full-width colon (`Action - List Files`,
 * `Thought：…`). Rewritten as `Name: rest`.
 */
function rewriteHeadingLine(line: string, names: readonly string[], missing: ReadonlySet<string>): { line: string; fix?: string } {
  const pattern = new RegExp(
    String.raw`^[ \t]*(#{1,6}[ \t]*)?(${LIST_MARKER})?(\*\*|__)?[ \t]*(` +
      byLength(names).map(namePattern).join('|') +
      String.raw`)(\*\*|__)?[ \t]*([:：]|[-–—](?=[ \t])|[ \t](?=\S))?[ \t]*(\*\*|__)?(.*)$`,
    'i',
  );
  const match = pattern.exec(line);
  if (!match) return { line };
  const [, hashes, marker, , written, , separator, , rest] = match;
  const name = names.find((n) => squash(n) === squash(written)) ?? written;
  if (!missing.has(name)) return { line };
  if (!marker && (separator === ':' || (separator === undefined && rest.trim() === ''))) return { line };
  const heading = `${hashes ? '' : ''}${name}: ${rest.trim()}`.trimEnd();
  const fix = marker ? `"${name}" was written as a list item` : `"${name}" had no colon after it`;
  return { line: heading, fix };
}

/**
 * Repairs the headings of the entries in `missing` (those the plain reading did not find);
 * `names` are all the heading names the reader knows. Returns the text unchanged when no repair
 * applies.
 */
export function repairHeadings(text: string, names: readonly string[], missing: readonly string[]): Repaired {
  const fixes: string[] = [];
  const split = splitGluedHeadings(text, missing, fixes);
  const wanted = new Set(missing);
  const lines = split.split('\n').map((line) => {
    const rewritten = rewriteHeadingLine(line, names, wanted);
    if (!rewritten.fix) return line;
    // the first heading found for an entry is the one that counts
    wanted.delete(line.match(/[A-Za-z &]+/)?.[0] ?? '');
    if (!fixes.includes(rewritten.fix)) fixes.push(rewritten.fix);
    return rewritten.line;
  });
  return { text: lines.join('\n'), fixes };
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
      out += JSON.stringify(json.slice(i + 1, end).replace(/\\'/g, "'"));
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
