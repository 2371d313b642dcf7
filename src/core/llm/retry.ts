import { ProviderError, type ProviderErrorKind } from './types';

/**
 * Retrying failed model calls: which HTTP failures are worth another attempt, how long to wait,
 * and the retry loop itself. The SDKs' own retries are switched off so that every attempt is
 * visible here (and its partial cost can be counted by `onFailure`).
 */

export interface RetryOptions {
  /** attempts in all, the first included (default 4) */
  maxAttempts?: number;
  /** first backoff delay before jitter (default 500 ms); doubles with every attempt */
  baseDelayMs?: number;
  /** cap on any single wait, including a server's retry-after (default 30 s) */
  maxDelayMs?: number;
  signal?: AbortSignal;
  /** called after every failed attempt, before waiting */
  onFailure?: (error: ProviderError, attempt: number, willRetry: boolean, delayMs: number) => void;
  /** waits `ms`, rejecting when `signal` aborts; injectable for tests */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Runs `attempt(1)`, `attempt(2)`, … until one succeeds. Only retryable ProviderErrors
 * (rate_limit, server, network) are retried; any other error is thrown at once, unchanged.
 */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const sleep = options.sleep ?? abortableSleep;
  for (let n = 1; ; n++) {
    throwIfCancelled(options.signal);
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      const willRetry = error.retryable && n < maxAttempts && !options.signal?.aborted;
      const delayMs = willRetry ? retryDelayMs(error, n, options) : 0;
      options.onFailure?.(error, n, willRetry, delayMs);
      if (!willRetry) throw error;
      await sleep(delayMs, options.signal);
    }
  }
}

/** The server's retry-after when it gave one, else exponential backoff with jitter; both capped. */
export function retryDelayMs(
  error: ProviderError,
  attempt: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'> = {},
  random: () => number = Math.random,
): number {
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  if (error.retryAfterMs !== undefined) return Math.min(Math.max(0, error.retryAfterMs), maxDelayMs);
  const ceiling = Math.min(maxDelayMs, (options.baseDelayMs ?? 500) * 2 ** (attempt - 1));
  // "equal jitter": at least half the backoff, so retries never bunch up at zero
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Resolves after `ms`; rejects with a 'cancelled' ProviderError as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** How a failed HTTP status is classified: decides whether it is retried. */
export function kindForStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limit';
  if (status >= 500) return 'server';
  return 'bad_request';
}

/**
 * Milliseconds to wait according to `retry-after-ms` (OpenAI's) or `retry-after`
 * (seconds or an HTTP date). Undefined when neither is present or readable.
 */
export function retryAfterMsFromHeaders(header: (name: string) => string | null | undefined): number | undefined {
  const milliseconds = parseNumber(header('retry-after-ms'));
  if (milliseconds !== undefined && milliseconds >= 0) return milliseconds;
  const value = header('retry-after')?.trim();
  if (!value) return undefined;
  const seconds = parseNumber(value);
  if (seconds !== undefined) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function parseNumber(text: string | null | undefined): number | undefined {
  if (!text?.trim()) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

function cancelledError(): ProviderError {
  return new ProviderError('the request was cancelled', 'cancelled');
}
