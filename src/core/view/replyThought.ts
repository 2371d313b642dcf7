import { RESPONSE_ENTRIES } from '../format/response';

/** The Thought of a planner reply that is still arriving: what the "Now" line shows while the model writes. */

const ENTRY_NAMES = [...RESPONSE_ENTRIES, 'Observation'].sort((a, b) => b.length - a.length);
const namePattern = (name: string) => name.replace(/ and /g, ' (?:and|&) ').replace(/ /g, '[ \\t_-]*');

/** `Thought:`, `**Thought:**`, `### Thought`: a heading at the start of a line, its text after it. */
const HEADING = new RegExp(
  String.raw`^[ \t]*(?:#{1,6}[ \t]*)?[*_]{0,2}[ \t]*(${ENTRY_NAMES.map(namePattern).join('|')})[ \t]*[*_]{0,2}[ \t]*(?::[*_]{0,2}(.*)|$)`,
  'i',
);

const MAX_THOUGHT_CHARS = 400;

/**
 * The text after the Thought heading up to the next heading (Action, Action Input, …), on one line;
 * '' while the reply has not reached its Thought.
 */
export function replyThought(reply: string): string {
  const lines: string[] = [];
  let inThought = false;
  for (const line of reply.split('\n')) {
    const heading = HEADING.exec(line);
    if (heading) {
      if (inThought) break;
      inThought = heading[1].toLowerCase() === 'thought';
      if (inThought) lines.push(heading[2] ?? '');
      continue;
    }
    if (inThought) lines.push(line);
  }
  const text = lines.join(' ').replace(/\s+/g, ' ').trim();
  return text.length <= MAX_THOUGHT_CHARS ? text : `${text.slice(0, MAX_THOUGHT_CHARS - 1)}…`;
}
