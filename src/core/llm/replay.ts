import { z } from 'zod';
import { ProviderError, type ChatProvider, type ChatRequest, type ChatResult, type CompleteOptions, type ProviderName } from './types';

/**
 * A recorded run: model answers kept in a file and played back in order. Each request takes the
 * first unused answer whose `match` (a regular expression) is found in its prompt. Everything else
 * in a replayed run is real: actions, script runs, scores and the cost of the tokens.
 */
export const recordingSchema = z.object({
  replies: z
    .array(z.object({ match: z.string().optional(), text: z.string(), chunkDelayMs: z.number().nonnegative().optional() }).passthrough())
    .min(1),
});
export type Recording = z.infer<typeof recordingSchema>;

const CHARS_PER_TOKEN = 4;
const CHUNK_CHARS = 16;

export class ReplayProvider implements ChatProvider {
  private readonly used = new Set<number>();
  private previousPrompt = '';

  constructor(
    readonly name: ProviderName,
    private readonly recording: Recording,
  ) {}

  async complete(request: ChatRequest, options: CompleteOptions): Promise<ChatResult> {
    const started = Date.now();
    const prompt = request.messages.map((m) => m.content).join('\n');
    const index = this.recording.replies.findIndex((r, i) => !this.used.has(i) && (!r.match || new RegExp(r.match).test(prompt)));
    if (index < 0) throw new ProviderError('replay: the recording has no answer for this request', 'bad_request', 400);
    this.used.add(index);
    const reply = this.recording.replies[index];
    const text = reply.text.slice(0, request.maxOutputTokens * CHARS_PER_TOKEN);
    for (let at = 0; at < text.length; at += CHUNK_CHARS) {
      if (options.signal?.aborted) throw new ProviderError('replay: the request was cancelled', 'cancelled');
      options.onDelta?.(text.slice(at, at + CHUNK_CHARS));
      if (reply.chunkDelayMs) await new Promise((r) => setTimeout(r, reply.chunkDelayMs));
    }
    const usage = { input: tokens(prompt.length), cachedInput: this.cachedTokens(prompt), output: tokens(text.length) };
    this.previousPrompt = prompt;
    return { text, usage, latencyMs: Date.now() - started };
  }

  /** Imitates provider-side prompt caching: the prefix shared with the previous prompt. */
  private cachedTokens(prompt: string): number {
    let shared = 0;
    while (shared < prompt.length && prompt.charCodeAt(shared) === this.previousPrompt.charCodeAt(shared)) shared++;
    return tokens(prompt.length) >= 256 ? Math.floor(shared / CHARS_PER_TOKEN) : 0;
  }
}

function tokens(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}
