import type { ChatMessage, Usage } from './types';

/**
 * Token estimates, deliberately pessimistic: real tokenizers average about four characters per
 * token on English and code, so counting one token per three characters overestimates. Used for
 * the budget's worst case before a request and for streams that ended without reporting usage.
 */

/** Per-message overhead of the chat format (role markers, separators). */
const TOKENS_PER_MESSAGE = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3);
}

export function estimateMessagesTokens(messages: readonly Pick<ChatMessage, 'content'>[]): number {
  return messages.reduce((sum, message) => sum + estimateTokens(message.content) + TOKENS_PER_MESSAGE, 0);
}

/**
 * Usage of a request whose provider reported nothing: the prompt sent plus the text received,
 * never more output than the request allowed (so it never passes the worst case the budget checked).
 */
export function estimateUsage(messages: readonly Pick<ChatMessage, 'content'>[], outputText: string, maxOutputTokens = Infinity): Usage {
  return {
    input: estimateMessagesTokens(messages),
    cachedInput: 0,
    output: Math.min(estimateTokens(outputText), maxOutputTokens),
    estimated: true,
  };
}
