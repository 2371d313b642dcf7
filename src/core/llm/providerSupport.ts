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
  /** sends the request with `signal` (aborted on cancellation, a stall or a cut); resolves once the response has started */
  open(signal: AbortSignal): Promise<AsyncIterable<Chunk>>;
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

/**
 * A reply is cut once it is this many characters per allowed output token long: four characters a
 * token, four times over. Only a server that ignores the request's limit gets there; what it sent
 * would otherwise go back into every later prompt.
 */
const OVERRUN_CHARS_PER_TOKEN = 4 * 4;

/** The most characters of a reply kept for a request allowing `maxOutputTokens`. */
function replyCharLimit(maxOutputTokens: number): number {
  return Math.max(1, maxOutputTokens) * OVERRUN_CHARS_PER_TOKEN;
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
  const control = new RequestControl(options.signal, options.idleTimeoutMs);
  const limit = replyCharLimit(request.maxOutputTokens);
  try {
    const stream = await call.open(control.signal);
    progress.responded = true;
    control.alive();
    for await (const chunk of stream) {
      control.alive();
      take(call.read(chunk), progress, options.onDelta);
      if (progress.text.length > limit) return overran(request, progress, control, started);
    }
    // an SDK may end the iteration quietly when the signal aborts mid-stream
    if (control.idled) throw idleError(call.provider, request, progress, control);
    if (options.signal?.aborted) throw cancelled(call.provider, request, progress);
    const usage = progress.usage ?? estimateUsage(request.messages, progress.text, request.maxOutputTokens);
    return { text: progress.text, usage, latencyMs: Date.now() - started };
  } catch (error) {
    if (error instanceof DeltaCallbackError) throw error.cause;
    if (control.idled && !(error instanceof ProviderError)) throw idleError(call.provider, request, progress, control);
    throw toProviderError(call, error, request, progress, options.signal);
  } finally {
    control.dispose();
  }
}

/**
 * A reply past its limit: the stream is cancelled, the text cut, and everything received is
 * counted (a server that ignores the limit bills what it sent, past the worst case checked).
 */
function overran(request: ChatRequest, progress: StreamProgress, control: RequestControl, started: number): ChatResult {
  control.cancel();
  const usage = progress.usage ?? estimateUsage(request.messages, progress.text);
  return { text: progress.text.slice(0, replyCharLimit(request.maxOutputTokens)), usage, latencyMs: Date.now() - started, overran: true };
}

/** A stalled request, cancelled: retryable, with the prompt (and anything received) still counted. */
function idleError(provider: string, request: ChatRequest, progress: StreamProgress, control: RequestControl): ProviderError {
  const seconds = Math.round((control.idleTimeoutMs ?? 0) / 100) / 10;
  const what = progress.responded ? 'the stream stalled' : 'no response';
  const message = `${provider} ${request.model}: ${what}: nothing arrived for ${seconds} s; the request was cancelled`;
  return new ProviderError(message, 'network', undefined, undefined, partialResult(request, progress));
}

/**
 * The signal one request is sent with: it follows the caller's, and aborts by itself when no chunk
 * arrived for `idleTimeoutMs` (then `idled` is set) or when the reply is cut.
 */
class RequestControl {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout> | undefined;
  private readonly forward = () => this.controller.abort(this.parent?.reason);
  idled = false;

  constructor(
    private readonly parent: AbortSignal | undefined,
    readonly idleTimeoutMs: number | undefined,
  ) {
    parent?.addEventListener('abort', this.forward, { once: true });
    if (idleTimeoutMs !== undefined && idleTimeoutMs > 0 && Number.isFinite(idleTimeoutMs)) {
      this.timer = setTimeout(() => {
        this.idled = true;
        this.controller.abort(new Error('idle timeout'));
      }, idleTimeoutMs);
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** a chunk (or the response) arrived: the idle time starts again */
  alive(): void {
    this.timer?.refresh();
  }

  cancel(): void {
    this.controller.abort(new Error('reply cut'));
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.parent?.removeEventListener('abort', this.forward);
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
