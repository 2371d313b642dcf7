/** A text as lines, remembering whether it ended with a newline. */
export interface Lines {
  lines: string[];
  trailingNewline: boolean;
}

/** Splits on \n (a \r before it stays with the line); '' has no lines. */
export function splitLines(text: string): Lines {
  if (text === '') return { lines: [], trailingNewline: false };
  const trailingNewline = text.endsWith('\n');
  const lines = (trailingNewline ? text.slice(0, -1) : text).split('\n');
  return { lines, trailingNewline };
}

export function joinLines({ lines, trailingNewline }: Lines): string {
  if (lines.length === 0) return '';
  return lines.join('\n') + (trailingNewline ? '\n' : '');
}

/** Lines with their 1-based numbers, right-aligned: "  12 | code". */
export function numberLines(lines: readonly string[], firstNumber: number): string {
  const width = String(firstNumber + lines.length - 1).length;
  return lines.map((line, i) => `${String(firstNumber + i).padStart(width)} | ${line}`).join('\n');
}
