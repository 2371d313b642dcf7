import type { ChatMessage, Usage } from './types';

/**
 * Token estimates, deliberately pessimistic for every script. Used for the budget's worst case
 * before a request and for streams that ended without reporting usage.
 *
 * - ASCII: one token per three characters. Real tokenizers average about four characters a token
 *   on English and code.
 * - Any other character: one token per UTF-8 byte, so two for Latin accents, Greek, Cyrillic,
 *   Hebrew and Arabic, three for CJK, kana, Hangul and Indic scripts, and four for emoji and other
 *   characters outside the BMP (a surrogate pair). Byte-level tokenizers (OpenAI's) and
 *   SentencePiece with byte fallback (Gemini's) never make more tokens than bytes, so this is an
 *   upper bound, not a guess: a Chinese prompt is never billed above its estimate.
 */

/** Per-message overhead of the chat format (role markers, separators). */
const TOKENS_PER_MESSAGE = 4;

const ASCII_CHARS_PER_TOKEN = 3;

export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) ascii++;
    else if (code < 0x800) other += 2;
    // a surrogate half: the pair is one 4-byte character
    else if (code >= 0xd800 && code <= 0xdfff) other += 2;
    else other += 3;
  }
  return Math.ceil(ascii / ASCII_CHARS_PER_TOKEN) + other;
}

export function estimateMessagesTokens(messages: readonly Pick<ChatMessage, 'content'>[]): number {
  return messages.reduce((sum, message) => sum + estimateTokens(message.content) + TOKENS_PER_MESSAGE, 0);
}

/**
 * Usage of a request whose provider reported nothing: the prompt sent plus the text received,
 * never more output than `maxOutputTokens` (by default the request's limit, so it never passes the
 * worst case the budget checked; a reply cut for overrunning its limit passes Infinity).
 */
export function estimateUsage(messages: readonly Pick<ChatMessage, 'content'>[], outputText: string, maxOutputTokens = Infinity): Usage {
  return {
    input: estimateMessagesTokens(messages),
    cachedInput: 0,
    output: Math.min(estimateTokens(outputText), maxOutputTokens),
    estimated: true,
  };
}
