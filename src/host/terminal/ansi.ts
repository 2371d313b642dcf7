/**
 * Removes terminal escape sequences (CSI, OSC, DCS and short ESC sequences) and stray control
 * characters from a stream of terminal output, and turns CRLF into LF. A sequence split across
 * chunks is held back until its end arrives.
 */
export class EscapeStripper {
  private pending = '';

  /** Returns the plain text of `chunk` that is complete so far. */
  push(chunk: string): string {
    const text = this.pending + chunk;
    this.pending = '';
    let out = '';
    let i = 0;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x1b || c === 0x9b) {
        const end = sequenceEnd(text, i);
        if (end === undefined) {
          // incomplete: keep it for the next chunk unless it is implausibly long
          if (text.length - i < MAX_PENDING) {
            this.pending = text.slice(i);
            return out;
          }
          i++;
          continue;
        }
        i = end;
        continue;
      }
      if (c === 0x0d) {
        if (i + 1 === text.length) {
          this.pending = '\r';
          return out;
        }
        if (text.charCodeAt(i + 1) === 0x0a) {
          i++;
          continue;
        }
        out += '\r';
        i++;
        continue;
      }
      if (c < 0x20 && c !== 0x09 && c !== 0x0a) {
        i++;
        continue;
      }
      out += text[i];
      i++;
    }
    return out;
  }

  /** The text still held back, without escape sequences (call when the stream has ended). */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    if (rest === '\r') return '\r';
    return '';
  }
}

const MAX_PENDING = 8192;

/** Index just past the escape sequence starting at `start`, or undefined when it is not complete yet. */
function sequenceEnd(text: string, start: number): number | undefined {
  if (text.charCodeAt(start) === 0x9b) return csiEnd(text, start + 1);
  const next = text.charCodeAt(start + 1);
  if (Number.isNaN(next)) return undefined;
  switch (text[start + 1]) {
    case '[':
      return csiEnd(text, start + 2);
    case ']':
    case 'P':
    case '_':
    case '^':
    case 'X':
      return stringEnd(text, start + 2);
    default:
      break;
  }
  // ESC, optional intermediates (0x20-0x2f), one final byte
  let i = start + 1;
  while (i < text.length && text.charCodeAt(i) >= 0x20 && text.charCodeAt(i) <= 0x2f) i++;
  return i < text.length ? i + 1 : undefined;
}

function csiEnd(text: string, from: number): number | undefined {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x40 && c <= 0x7e) return i + 1;
    // parameters and intermediates are 0x20-0x3f; anything else: malformed, resume at this character
    if (c < 0x20 || c > 0x3f) return i;
  }
  return undefined;
}

/** OSC/DCS-style strings end with BEL or ESC \ */
function stringEnd(text: string, from: number): number | undefined {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x07) return i + 1;
    if (c === 0x1b) {
      if (i + 1 === text.length) return undefined;
      return text[i + 1] === '\\' ? i + 2 : i;
    }
    if (c === 0x9c) return i + 1;
  }
  return undefined;
}
