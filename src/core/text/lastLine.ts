/** How much of the latest output is kept to find its last line. */
const TAIL_CHARS = 4096;

/** The longest line shown. */
const MAX_LINE_CHARS = 300;

/** Colour and cursor escapes (CSI), and terminal titles and links (OSC). */
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/**
 * The last non-empty line of a text as a terminal shows it: without escapes, and of a line
 * rewritten with carriage returns (a progress bar) only what follows the last one.
 */
export function lastShownLine(text: string): string | undefined {
  const lines = text.replace(ANSI, '').split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = shownPart(lines[i]);
    if (line !== '') return line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS - 1)}…` : line;
  }
  return undefined;
}

/** What a terminal shows of one line: the text after its last carriage return ("\r\n" ends are ignored). */
function shownPart(line: string): string {
  const trimmed = line.replace(/\r+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('\r') + 1).trim();
}

/** Follows a process's output as it arrives and tells its last non-empty line. */
export class LastLine {
  private tail = '';

  push(chunk: string): string | undefined {
    this.tail = (this.tail + chunk).slice(-TAIL_CHARS);
    return lastShownLine(this.tail);
  }
}
