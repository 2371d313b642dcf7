/**
 * Passes values on at most once per `intervalMs`: the first at once, then the latest of those held
 * back when the interval is over. Live views get a few updates a second, never a flood.
 */
export class Throttle<T> {
  private lastSent = -Infinity;
  private held: { value: T } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly send: (value: T) => void,
  ) {}

  push(value: T): void {
    const wait = this.lastSent + this.intervalMs - Date.now();
    if (wait <= 0) return this.pass(value);
    this.held = { value };
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), wait);
    this.timer.unref?.();
  }

  /** Drops what is held back: nothing is sent after this. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.held = undefined;
  }

  private flush(): void {
    this.timer = undefined;
    const held = this.held;
    if (held) this.pass(held.value);
  }

  private pass(value: T): void {
    this.stop();
    this.lastSent = Date.now();
    this.send(value);
  }
}
