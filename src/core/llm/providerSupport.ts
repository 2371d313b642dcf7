import { estimateUsage } from './estimate';
import { throwIfCancelled } from './retry';
import { ProviderError, type ChatRequest, type ChatResult, type CompleteOptions, type Usage } from './types';

/**
 * What the streaming providers (openai.ts, gemini.ts) share: running one streamed call, keeping
 * what it delivered so far, and mapping its failures to ProviderError. The provider supplies the
 * request, how to read a chunk, and how to read the errors its SDK throws.
 */

/** What a stream delivered so far: kept outside the try so a failure can still report it. */
export interface StreamProgress {
  text: string;
  usage?: Usage;
  /** the response started: a later failure broke the stream mid-way */
  responded: boolean;
}

/** What one chunk of a stream carries. */
export interface ChunkContent {
  /** the next piece of the answer's text */
  piece?: string | null;
  /** the usage of the whole call, when this chunk reports it */
  usage?: Usage;
}

/** What was delivered before a failure. */
export type PartialResult = { text: string; usage: Usage };

export interface StreamCall<Chunk> {
  /** the provider's name: error messages start with it and the model */
  provider: string;
  /** no API key is set, yet the endpoint needs one */
  missingKey: boolean;
  /** sends the request; resolves once the response has started */
  open(): Promise<AsyncIterable<Chunk>>;
  read(chunk: Chunk): ChunkContent;
  /**
   * The errors only this provider's SDK knows how to read (HTTP errors, error events inside the
   * stream); undefined for anything else, which is reported as a network failure.
   * `partial` is set when the response had started.
   */
  knownError(error: unknown, prefix: string, partial: PartialResult | undefined): ProviderError | undefined;
  /** an SDK error that means the caller cancelled, besides an AbortError */
  isCancellation?(error: unknown): boolean;
  /** removes API keys from an error text */
  redact(text: string): string;
}

/** Runs a streamed call; every failure but the caller's own onDelta exception becomes a ProviderError. */
export async function streamCompletion<Chunk>(
  call: StreamCall<Chunk>,
  request: ChatRequest,
  options: CompleteOptions,
): Promise<ChatResult> {
  throwIfCancelled(options.signal);
  if (call.missingKey) throw new ProviderError(`${call.provider}: no API key is set`, 'auth');
  const started = Date.now();
  const progress: StreamProgress = { text: '', responded: false };
  try {
    const stream = await call.open();
    progress.responded = true;
    for await (const chunk of stream) take(call.read(chunk), progress, options.onDelta);
    // an SDK may end the iteration quietly when the signal aborts mid-stream
    if (options.signal?.aborted) throw cancelled(call.provider, request, progress);
    const usage = progress.usage ?? estimateUsage(request.messages, progress.text, request.maxOutputTokens);
    return { text: progress.text, usage, latencyMs: Date.now() - started };
  } catch (error) {
    if (error instanceof DeltaCallbackError) throw error.cause;
    throw toProviderError(call, error, request, progress, options.signal);
  }
}

function take(content: ChunkContent, progress: StreamProgress, onDelta: CompleteOptions['onDelta']): void {
  const { piece, usage } = content;
  if (piece) {
    progress.text += piece;
    try {
      onDelta?.(piece);
    } catch (error) {
      throw new DeltaCallbackError(error);
    }
  }
  if (usage) progress.usage = usage;
}

function toProviderError<Chunk>(
  call: StreamCall<Chunk>,
  error: unknown,
  request: ChatRequest,
  progress: StreamProgress,
  signal: AbortSignal | undefined,
): ProviderError {
  if (error instanceof ProviderError) return error;
  if (signal?.aborted || isAbortError(error) || call.isCancellation?.(error)) {
    return cancelled(call.provider, request, progress);
  }
  const prefix = `${call.provider} ${request.model}`;
  const partial = progress.responded ? partialResult(request, progress) : undefined;
  const known = call.knownError(error, prefix, partial);
  if (known) return known;
  // connection failures, a stream that broke mid-way, unreadable chunks
  const where = progress.responded ? 'the stream broke' : 'connection failed';
  return new ProviderError(`${prefix}: ${where}: ${call.redact(describe(error))}`, 'network', undefined, undefined, partial);
}

/** Cancelled after the request was sent: the prompt may be billed, so report it. */
function cancelled(provider: string, request: ChatRequest, progress: StreamProgress): ProviderError {
  const partial = partialResult(request, progress);
  return new ProviderError(`${provider} ${request.model}: the request was cancelled`, 'cancelled', undefined, undefined, partial);
}

/** What was delivered before a failure; usage is estimated unless the stream had already reported it. */
function partialResult(request: ChatRequest, progress: StreamProgress): PartialResult {
  return { text: progress.text, usage: progress.usage ?? estimateUsage(request.messages, progress.text, request.maxOutputTokens) };
}

/** Error texts may quote the key: `apiKey` and anything shaped like a key (`keyPattern`) become `masked`. */
export function redactKey(text: string, apiKey: string, keyPattern: RegExp, masked: string): string {
  const withoutKey = apiKey.length >= 4 ? text.split(apiKey).join('***') : text;
  return withoutKey.replace(keyPattern, masked);
}

/** Carries an exception thrown by the caller's onDelta past the error mapping, unchanged. */
class DeltaCallbackError extends Error {
  constructor(override readonly cause: unknown) {
    super('onDelta failed');
  }
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** The error's message with its causes, e.g. "Connection error. (fetch failed; connect ECONNREFUSED …)". */
function describe(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current instanceof Error && parts.length < 3) {
    parts.push(current.message);
    current = current.cause;
  }
  if (parts.length === 0) return String(error);
  return parts.length === 1 ? parts[0] : `${parts[0]} (${parts.slice(1).join('; ')})`;
}
