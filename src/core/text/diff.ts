import { createTwoFilesPatch } from 'diff';

/**
 * A unified diff with `a/` and `b/` headers and 3 lines of context, as `git diff` shows it.
 * Returns '' when nothing changed. `afterPath` names the new file when it differs (save under another name).
 */
export function unifiedDiff(relPath: string, before: string, after: string, afterPath: string = relPath): string {
  if (before === after && relPath === afterPath) return '';
  const patch = createTwoFilesPatch(`a/${relPath}`, `b/${afterPath}`, before, after, undefined, undefined, { context: 3 });
  // jsdiff starts with a line of '=' that carries no information
  return patch.replace(/^=+\n/, '');
}
