import { createReadStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { numberLines } from '../text/lines';
import { EnvError, fsError, observeEnvErrors } from '../workspace';
import type { ActionDef } from './action';

const input = z.strictObject({
  script_name: z.string(),
  start_line_number: z.coerce.number().int(),
  end_line_number: z.coerce.number().int(),
});

const MAX_LINES = 100;
/** a longer line (e.g. in a data file) is cut for display */
const MAX_LINE_CHARS = 1000;

export const inspectScriptLines: ActionDef<typeof input> = {
  name: 'Inspect Script Lines',
  description: `Shows up to ${MAX_LINES} lines of a file exactly, with line numbers.`,
  input,
  inputHelp: {
    script_name: 'the file to read, relative to the work directory',
    start_line_number: 'the first line to show (lines start at 1)',
    end_line_number: `the last line to show (at most ${MAX_LINES} lines after the first)`,
  },
  usesLlm: false,
  run: ({ script_name, start_line_number: start, end_line_number: end }, ctx) =>
    observeEnvErrors(async () => {
      checkRange(start, end);
      const abs = await ctx.workspace.resolve(script_name, 'read');
      const { lines, total } = await readLineRange(abs, script_name, start, end);
      if (total === 0) return { observation: `${script_name} is empty.` };
      if (start > total) {
        throw new EnvError(`${script_name} has only ${total} lines; start_line_number ${start} is past the end.`);
      }
      const shownEnd = Math.min(end, total);
      const header = `Here are lines ${start}-${shownEnd} of ${script_name} (the file ends at line ${total}):`;
      return { observation: `${header}\n\n${numberLines(lines, start)}` };
    }),
};

function checkRange(start: number, end: number): void {
  if (start < 1) throw new EnvError(`start_line_number must be 1 or more (lines start at 1), not ${start}.`);
  if (end < start) {
    throw new EnvError(`end_line_number ${end} is before start_line_number ${start}; give the range in order.`);
  }
  if (end - start + 1 > MAX_LINES) {
    throw new EnvError(
      `At most ${MAX_LINES} lines can be shown at once; ask for lines ${start}-${start + MAX_LINES - 1} and then continue.`,
    );
  }
}

/** Streams the file: keeps only lines start..end (cut when very long) and counts all lines. */
async function readLineRange(abs: string, shown: string, start: number, end: number) {
  try {
    if ((await fs.stat(abs)).isDirectory()) throw new EnvError(`${shown} is a folder, not a file.`);
    const reader = createInterface({ input: createReadStream(abs, { encoding: 'utf8' }), crlfDelay: Infinity });
    const lines: string[] = [];
    let total = 0;
    for await (const line of reader) {
      total += 1;
      if (total >= start && total <= end) lines.push(cutLine(line));
    }
    return { lines, total };
  } catch (error) {
    throw fsError(error, shown, 'read');
  }
}

function cutLine(line: string): string {
  if (line.length <= MAX_LINE_CHARS) return line;
  return `${line.slice(0, MAX_LINE_CHARS)} … [${line.length - MAX_LINE_CHARS} more characters]`;
}
