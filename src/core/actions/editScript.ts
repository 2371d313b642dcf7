import { z } from 'zod';
import { editWholePrompt } from '../agents/workerPrompts';
import { EnvError, observeEnvErrors } from '../workspace';
import type { ActionDef } from './action';
import { codeOf, editVerifier, outputTokensFor, proposeWorkerEdit, readOrEmpty } from './editSupport';

const input = z.strictObject({ script_name: z.string(), edit_instruction: z.string(), save_name: z.string() });

export const editScript: ActionDef<typeof input> = {
  name: 'Edit Script (AI)',
  description: 'Has an expert rewrite (or create) a whole script by your instruction; you see the diff.',
  input,
  inputHelp: {
    script_name: 'the script to edit, relative to the work directory; a new empty script when it does not exist',
    edit_instruction: 'a detailed step-by-step description of how to edit it (describe the edit; do not write the code yourself)',
    save_name: 'where to save the edited script (the same name to overwrite it)',
  },
  usesLlm: true,
  run: ({ script_name, edit_instruction, save_name }, ctx) =>
    observeEnvErrors(async () => {
      if (edit_instruction.trim() === '') throw new EnvError('edit_instruction is empty; describe the edit step by step.');
      // check the target first, so a refused save costs no worker call
      const saveRel = ctx.workspace.relative(await ctx.workspace.resolve(save_name, 'write'));
      const baseRel = ctx.workspace.relative(await ctx.workspace.resolve(script_name, 'read'));
      const base = await readOrEmpty(ctx, baseRel);
      const target = saveRel === baseRel ? base : await readOrEmpty(ctx, saveRel);
      const prompt = editWholePrompt({ fileName: baseRel, content: base.text, instruction: edit_instruction, isNew: !base.existed });
      const verify = editVerifier(ctx, { saveRel, build: (code) => code, replaced: base.text, allowEmpty: false });
      const purpose = `Edit Script (AI) ${baseRel} → ${saveRel}`;
      const reply = await ctx.worker.ask({ ...prompt, purpose, verify, maxOutputTokens: outputTokensFor(base.text) }, ctx.signal);
      return proposeWorkerEdit(ctx, {
        saveRel,
        original: target.text,
        existed: target.existed,
        proposed: codeOf(reply),
        reason: edit_instruction,
        baseRel,
        baseText: base.text,
      });
    }),
};
