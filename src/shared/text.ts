/** Small helpers every layer shares. */

/** At most `max` characters, ending in an ellipsis when cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * For the default branch of a switch that has handled every case: the compiler checks that none is left;
 * at run time a value it does not know (written by a newer version) is ignored.
 */
export function assertNever(value: never): void {
  void value;
}
