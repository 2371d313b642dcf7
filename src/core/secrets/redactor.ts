/** Secrets shorter than this are not redacted: they would match ordinary text. */
const MIN_SECRET_LENGTH = 8;

/**
 * Replaces every known secret (the provider keys) in text by a marker naming it, so no key reaches
 * a file, a log line, a view or a prompt. Works on whole texts; a stream that may cut a key in two
 * keeps the last `overlap` characters back (see `overlap`).
 */
export class Redactor {
  private readonly secrets: Array<{ value: string; name: string }>;

  constructor(secrets: ReadonlyArray<{ value: string | undefined; name: string }>) {
    this.secrets = secrets
      .filter((s): s is { value: string; name: string } => typeof s.value === 'string' && s.value.length >= MIN_SECRET_LENGTH)
      .sort((a, b) => b.value.length - a.value.length);
  }

  /** Characters a stream must hold back so that a key cut across two chunks is still found. */
  get overlap(): number {
    return Math.max(0, ...this.secrets.map((s) => s.value.length - 1));
  }

  text(text: string): string {
    let out = text;
    for (const { value, name } of this.secrets) if (out.includes(value)) out = out.split(value).join(`[redacted ${name}]`);
    return out;
  }

  /** True when the text holds a known secret. */
  holdsSecret(text: string): boolean {
    return this.secrets.some((s) => text.includes(s.value));
  }
}
