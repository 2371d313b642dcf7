import type { WorkerLlm, WorkerRequest } from '../actions/action';
import { askCascade, type CascadeDeps } from '../llm/cascade';
import type { ModelRef } from '../llm/types';

export interface WorkerSetup {
  deps: CascadeDeps;
  chain: readonly ModelRef[];
  listLength: number;
  maxOutputTokens: number;
  /** the step being run, for the log */
  step: () => number;
}

/** Temperature inside actions, as in the paper. */
const WORKER_TEMPERATURE = 0.01;

/** The worker models behind the LLM actions: cheapest first, escalating when a reply fails verification. */
export function createWorker(setup: WorkerSetup): WorkerLlm {
  return {
    async ask(request: WorkerRequest, signal: AbortSignal): Promise<string> {
      const answer = await askCascade(
        {
          role: 'worker',
          chain: setup.chain,
          listLength: setup.listLength,
          ask: () => ({
            request: {
              messages: [
                { role: 'system', content: request.system },
                { role: 'user', content: request.user },
              ],
              maxOutputTokens: request.maxOutputTokens ?? setup.maxOutputTokens,
              temperature: WORKER_TEMPERATURE,
            },
            validate: async (text) => {
              const problem = request.verify ? await request.verify(text) : undefined;
              return problem ? { ok: false, error: problem, reason: 'verification' } : { ok: true, value: text };
            },
          }),
          step: setup.step(),
          purpose: request.purpose,
        },
        setup.deps,
        signal,
      );
      return answer.value;
    },
  };
}
