import { z } from 'zod';
import type { ActionDef } from './action';

const input = z.strictObject({ final_answer: z.string() });

export const finalAnswer: ActionDef<typeof input> = {
  name: 'Final Answer',
  description: 'Ends the run with your final answer, once the task is solved or no further progress is possible.',
  input,
  inputHelp: { final_answer: 'a detailed description of the final answer: what you did, the final score and where the result is' },
  usesLlm: false,
  run: async ({ final_answer }) => {
    if (final_answer.trim() === '') {
      return { observation: 'EnvError: final_answer is empty; describe what you did and the result you reached.' };
    }
    return { observation: 'Final answer submitted. The run ends here.', finalAnswer: final_answer };
  },
};
