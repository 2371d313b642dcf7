/**
 * Builds the command line for `command args…` in the given shell, quoting every argument that
 * needs it, so names with spaces, quotes or parentheses reach the program unchanged.
 * `shell` is VS Code's detected shell type (TerminalState.shell) or the default shell's path.
 */
export function commandLineFor(shell: string | undefined, command: string, args: readonly string[]): string {
  const kind = shellKind(shell);
  const words = [command, ...args].map((word) => quote(kind, word));
  return kind === 'pwsh' ? `& ${words.join(' ')}` : words.join(' ');
}

type ShellKind = 'posix' | 'fish' | 'pwsh' | 'cmd';

function shellKind(shell: string | undefined): ShellKind {
  const name =
    (shell ?? '')
      .split(/[\\/]/)
      .pop()
      ?.toLowerCase()
      .replace(/\.exe$/, '') ?? '';
  if (name === 'fish') return 'fish';
  if (name === 'pwsh' || name === 'powershell') return 'pwsh';
  if (name === 'cmd') return 'cmd';
  if (!name && process.platform === 'win32') return 'pwsh';
  return 'posix';
}

const PLAIN = /^[A-Za-z0-9_\-+=./:,@%]+$/;

function quote(kind: ShellKind, word: string): string {
  if (PLAIN.test(word)) return word;
  switch (kind) {
    case 'posix':
      return `'${word.replace(/'/g, `'\\''`)}'`;
    case 'fish':
      return `'${word.replace(/[\\']/g, '\\$&')}'`;
    case 'pwsh':
      return `'${word.replace(/'/g, "''")}'`;
    case 'cmd':
      return `"${word.replace(/"/g, '""')}"`;
  }
}
