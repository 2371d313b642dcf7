import { z } from 'zod';
import { observeEnvErrors } from '../workspace';
import type { ActionDef } from './action';

const input = z.strictObject({ source: z.string(), destination: z.string() });

export const copyFile: ActionDef<typeof input> = {
  name: 'Copy File',
  description: 'Copies a file inside the work directory, e.g. to keep a working version before editing.',
  input,
  inputHelp: {
    source: 'the file to copy, relative to the work directory',
    destination: 'the new file name, relative to the work directory (an existing file is overwritten)',
  },
  usesLlm: false,
  run: ({ source, destination }, ctx) =>
    observeEnvErrors(async () => {
      ctx.signal.throwIfAborted();
      await ctx.workspace.copy(source, destination);
      // the run wrote it itself: its new text is what later steps are compared with
      await ctx.landed?.follow(ctx.workspace, destination);
      return { observation: `File ${source} copied to ${destination}.` };
    }),
};
