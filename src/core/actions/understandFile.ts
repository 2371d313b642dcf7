import { z } from 'zod';
import { understandBlockPrompt, understandCombinePrompt } from '../agents/workerPrompts';
import { numberLines, splitLines } from '../text/lines';
import { observeEnvErrors } from '../workspace';
import type { ActionContext, ActionDef } from './action';

const input = z.strictObject({ file_name: z.string(), things_to_look_for: z.string() });

/** A block is at most this many lines or characters, whichever comes first. */
const BLOCK_LINES = 150;
const BLOCK_CHARS = 8000;
/** Huge files (data) are read only up to this many blocks from the top. */
const MAX_BLOCKS = 12;

export interface Block {
  firstLine: number;
  lastLine: number;
  lines: string[];
}

export const understandFile: ActionDef<typeof input> = {
  name: 'Understand File',
  description: 'Has an expert read a whole file and report what you ask for, with line references.',
  input,
  inputHelp: {
    file_name: 'the file to read, relative to the work directory',
    things_to_look_for: 'a precise description of what to look for and what to return (use Inspect Script Lines to see exact text)',
  },
  usesLlm: true,
  run: ({ file_name, things_to_look_for }, ctx) =>
    observeEnvErrors(async () => {
      const head = await ctx.workspace.readTextHead(file_name, MAX_BLOCKS * BLOCK_CHARS);
      const allBlocks = splitIntoBlocks(head.text);
      const blocks = allBlocks.slice(0, MAX_BLOCKS);
      if (blocks.length === 0) return { observation: `${file_name} is empty.` };
      const notes = await readBlocks(ctx, file_name, things_to_look_for, blocks);
      const summary = notes.length === 1 ? notes[0] : await combine(ctx, file_name, things_to_look_for, notes);
      const lastLine = blocks[blocks.length - 1].lastLine;
      const partial =
        head.truncated || blocks.length < allBlocks.length
          ? `Only lines 1-${lastLine} of ${file_name} were read (the file has ${head.size} bytes); use Inspect Script Lines for the rest.\n\n`
          : '';
      return { observation: partial + summary.trim() };
    }),
};

/** Cuts a text into blocks of at most BLOCK_LINES lines and about BLOCK_CHARS characters. */
export function splitIntoBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  let chars = 0;
  splitLines(text).lines.forEach((raw, i) => {
    const line = raw.length > BLOCK_CHARS ? `${raw.slice(0, BLOCK_CHARS)} … [line cut]` : raw;
    if (!current || current.lines.length >= BLOCK_LINES || chars + line.length > BLOCK_CHARS) {
      current = { firstLine: i + 1, lastLine: i + 1, lines: [] };
      blocks.push(current);
      chars = 0;
    }
    current.lines.push(line);
    current.lastLine = i + 1;
    chars += line.length + 1;
  });
  return blocks;
}

async function readBlocks(ctx: ActionContext, fileName: string, lookFor: string, blocks: Block[]): Promise<string[]> {
  const notes: string[] = [];
  for (const [i, block] of blocks.entries()) {
    const prompt = understandBlockPrompt({
      fileName,
      thingsToLookFor: lookFor,
      numberedText: numberLines(block.lines, block.firstLine),
      firstLine: block.firstLine,
      lastLine: block.lastLine,
      index: i + 1,
      count: blocks.length,
    });
    const purpose = `Understand File ${fileName}: lines ${block.firstLine}-${block.lastLine}`;
    const note = await ctx.worker.ask({ ...prompt, purpose, verify: nonEmpty }, ctx.signal);
    notes.push(blocks.length > 1 ? `Lines ${block.firstLine}-${block.lastLine}: ${note.trim()}` : note);
  }
  return notes;
}

function combine(ctx: ActionContext, fileName: string, lookFor: string, notes: string[]): Promise<string> {
  const prompt = understandCombinePrompt(fileName, lookFor, notes);
  return ctx.worker.ask({ ...prompt, purpose: `Understand File ${fileName}: combining notes`, verify: nonEmpty }, ctx.signal);
}

async function nonEmpty(reply: string): Promise<string | undefined> {
  return reply.trim() === '' ? 'The reply is empty; describe what the text shows.' : undefined;
}
