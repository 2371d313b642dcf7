import { z } from 'zod';
import { observeEnvErrors } from '../workspace';
import type { ActionDef } from './action';

const input = z.strictObject({ dir_path: z.string() });

export const listFiles: ActionDef<typeof input> = {
  name: 'List Files',
  description: 'Lists the files in a folder of the work directory (folders end in "/").',
  input,
  inputHelp: { dir_path: 'a folder relative to the work directory, such as "." or "data/train"' },
  usesLlm: false,
  run: ({ dir_path }, ctx) =>
    observeEnvErrors(async () => {
      const listing = await ctx.workspace.list(dir_path);
      return { observation: listing || `The folder ${dir_path} is empty.` };
    }),
};
