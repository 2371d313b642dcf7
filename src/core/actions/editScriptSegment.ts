import { z } from 'zod';
import { editSegmentPrompt } from '../agents/workerPrompts';
import { joinLines, splitLines } from '../text/lines';
import { EnvError, observeEnvErrors } from '../workspace';
import type { ActionDef } from './action';
import { codeOf, editVerifier, outputTokensFor, proposeWorkerEdit, readOrEmpty } from './editSupport';

const input = z.strictObject({
  script_name: z.string(),
  start_line_number: z.coerce.number().int(),
  end_line_number: z.coerce.number().int(),
  edit_instruction: z.string(),
  save_name: z.string(),
});

/** lines shown around the segment so the editor knows where it sits */
const CONTEXT_LINES = 5;

export const editScriptSegment: ActionDef<typeof input> = {
  name: 'Edit Script Segment (AI)',
  description: 'Has an expert rewrite a range of lines of a long script by your instruction; you see the diff.',
  input,
  inputHelp: {
    script_name: 'the script to edit, relative to the work directory; it must exist',
    start_line_number: 'the first line of the segment (lines start at 1)',
    end_line_number: 'the last line of the segment',
    edit_instruction: 'a detailed step-by-step description of how to edit the segment',
    save_name: 'where to save the edited script (the same name to overwrite it)',
  },
  usesLlm: true,
  run: (args, ctx) =>
    observeEnvErrors(async () => {
      const { script_name, start_line_number: start, end_line_number: end, edit_instruction, save_name } = args;
      if (edit_instruction.trim() === '') throw new EnvError('edit_instruction is empty; describe the edit step by step.');
      if (start < 1) throw new EnvError(`start_line_number must be 1 or more (lines start at 1), not ${start}.`);
      if (end < start) throw new EnvError(`end_line_number ${end} is before start_line_number ${start}; give the range in order.`);
      const saveRel = ctx.workspace.relative(await ctx.workspace.resolve(save_name, 'write'));
      const baseRel = ctx.workspace.relative(await ctx.workspace.resolve(script_name, 'read'));
      const baseText = await ctx.workspace.readText(baseRel);
      const { segment, last, build, before, after } = cutSegment(baseRel, baseText, start, end);
      const prompt = editSegmentPrompt({
        fileName: baseRel,
        segment,
        instruction: edit_instruction,
        firstLine: start,
        lastLine: last,
        before,
        after,
      });
      const verify = editVerifier(ctx, { saveRel, build, replaced: segment, allowEmpty: true });
      const purpose = `Edit Script Segment (AI) ${baseRel} lines ${start}-${last} → ${saveRel}`;
      const reply = await ctx.worker.ask({ ...prompt, purpose, verify, maxOutputTokens: outputTokensFor(segment) }, ctx.signal);
      const target = saveRel === baseRel ? { text: baseText, existed: true } : await readOrEmpty(ctx, saveRel);
      return proposeWorkerEdit(ctx, {
        saveRel,
        original: target.text,
        existed: target.existed,
        proposed: build(codeOf(reply)),
        reason: edit_instruction,
        baseRel,
        baseText,
      });
    }),
};

/** The segment start..end (the end clamped to the file), its surroundings, and how to splice a new one in. */
function cutSegment(rel: string, text: string, start: number, end: number) {
  const { lines, trailingNewline } = splitLines(text);
  if (lines.length === 0) throw new EnvError(`${rel} is empty; use Edit Script (AI) to write it whole.`);
  if (start > lines.length) throw new EnvError(`${rel} has only ${lines.length} lines; start_line_number ${start} is past the end.`);
  const last = Math.min(end, lines.length);
  const build = (code: string) =>
    joinLines({ lines: [...lines.slice(0, start - 1), ...splitLines(code).lines, ...lines.slice(last)], trailingNewline });
  return {
    segment: lines.slice(start - 1, last).join('\n'),
    last,
    build,
    before: lines.slice(Math.max(0, start - 1 - CONTEXT_LINES), start - 1).join('\n'),
    after: lines.slice(last, last + CONTEXT_LINES).join('\n'),
  };
}
