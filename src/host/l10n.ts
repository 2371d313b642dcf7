/**
 * Translation for the host modules that stay free of `vscode` (the words of the Experiments view
 * and the comparison, whose unit tests run in plain Node). `l10n.t` works like `vscode.l10n.t`:
 * the English message with `{0}`, `{1}`… filled in, until activation hands it `vscode.l10n.t`
 * (`useTranslation`); from then on it returns the message of the display language's bundle.
 * Modules that import `vscode` call `vscode.l10n.t` directly. Either way the messages are found by
 * scripts/l10n-bundle.mjs, so the first argument is always one quoted string.
 */

export type MessageArg = string | number | boolean;
type Translate = (message: string, ...args: MessageArg[]) => string;

let translate: Translate = format;

export const l10n = {
  t(message: string, ...args: MessageArg[]): string {
    return translate(message, ...args);
  },
};

/** From activation on: the messages in the display language (`vscode.l10n.t`). */
export function useTranslation(t: Translate): void {
  translate = t;
}

/** `{n}` replaced by the n-th argument; a placeholder without an argument stays as it is. */
function format(message: string, ...args: MessageArg[]): string {
  return message.replace(/\{(\d+)\}/g, (match, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : match));
}

/** A run's status in words: "final answer", "max steps", "budget exhausted", "cancelled"… (unknown ones as written). */
export function runStatusText(status: string): string {
  switch (status) {
    case 'final_answer':
      return l10n.t('final answer');
    case 'max_steps':
      return l10n.t('max steps');
    case 'budget_exhausted':
      return l10n.t('budget exhausted');
    case 'cancelled':
      return l10n.t('cancelled');
    case 'error':
      return l10n.t('error');
    case 'running':
      return l10n.t('running');
    case 'interrupted':
      return l10n.t('interrupted');
    default:
      return status.replace(/_/g, ' ');
  }
}

/** A measured verdict in words: "improved", "not improved", "not measured". */
export function verdictWord(verdict: string): string {
  switch (verdict) {
    case 'improved':
      return l10n.t('improved');
    case 'not improved':
      return l10n.t('not improved');
    case 'not measured':
      return l10n.t('not measured');
    default:
      return verdict;
  }
}
