/** Numbers as the sidebar shows them. */

export function percent(ratio: number): string {
  const value = ratio * 100;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} %`;
}

/** A score with about four significant digits, without trailing zeros (0.6, not 0.6000). */
export function score(value: number): string {
  if (value === 0) return '0';
  const digits = Math.max(0, 4 - Math.floor(Math.log10(Math.abs(value))) - 1);
  const text = value.toFixed(Math.min(digits, 6));
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** A change against the baseline, already signed so that positive is better: "11.9 % better". */
export function change(better: number): string {
  const value = Math.abs(better * 100);
  return `${value.toFixed(value < 1 ? 2 : 1)} % ${better >= 0 ? 'better' : 'worse'}`;
}

/** ↑ / ↓ and the words, for a metric's direction; '' when unknown. */
export function direction(higherIsBetter: boolean | null): string {
  return higherIsBetter === null ? '' : higherIsBetter ? '↑ higher is better' : '↓ lower is better';
}

/** `openai:gpt-4.1-mini` → `gpt-4.1-mini` (the provider is in the tooltip). */
export function shortModel(id: string): string {
  const colon = id.indexOf(':');
  return colon >= 0 ? id.slice(colon + 1) : id;
}

/** A duration as the sidebar writes it: "12 s", "3 min 04 s", "1 h 02 min". */
export function duration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** The folder a command runs in, as the user reads it. */
export function folderText(folder: string): string {
  return folder === '.' || folder === '' ? 'the workspace folder' : folder;
}
