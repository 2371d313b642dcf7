import { MetricStream } from './metrics';

/** Metric events of a running script are sent at most this often per metric. */
const EMIT_INTERVAL_MS = 250;
/** A series longer than this is thinned to evenly spaced points (the last one kept). */
const MAX_SERIES = 500;

/**
 * Follows a running script's metrics: the last value and the series of each, and a live event per
 * metric at most every EMIT_INTERVAL_MS (a flood of progress lines cannot flood the views).
 */
export class MetricTracker {
  private readonly stream = new MetricStream();
  private readonly values = new Map<string, number[]>();
  private readonly emittedAt = new Map<string, number>();
  private readonly unsent = new Map<string, number>();

  constructor(private readonly onMetric: (name: string, value: number) => void) {}

  push(chunk: string): void {
    this.take(this.stream.push(chunk));
  }

  finish(): void {
    this.take(this.stream.finish());
    for (const [name, value] of this.unsent) this.onMetric(name, value);
    this.unsent.clear();
  }

  last(): Record<string, number> {
    return Object.fromEntries([...this.values].map(([name, values]) => [name, values[values.length - 1]]));
  }

  hasSeries(): boolean {
    return [...this.values.values()].some((v) => v.length > 1);
  }

  series(): Record<string, number[]> {
    const entries = [...this.values].filter(([, values]) => values.length > 1);
    return Object.fromEntries(entries.map(([name, values]) => [name, thin(values)]));
  }

  private take(found: ReadonlyArray<{ name: string; value: number }>): void {
    const now = Date.now();
    for (const { name, value } of found) {
      const values = this.values.get(name) ?? [];
      values.push(value);
      this.values.set(name, values);
      if (now - (this.emittedAt.get(name) ?? 0) < EMIT_INTERVAL_MS) {
        this.unsent.set(name, value);
        continue;
      }
      this.emittedAt.set(name, now);
      this.unsent.delete(name);
      this.onMetric(name, value);
    }
  }
}

function thin(values: number[]): number[] {
  if (values.length <= MAX_SERIES) return values;
  const step = (values.length - 1) / (MAX_SERIES - 1);
  return Array.from({ length: MAX_SERIES }, (_, i) => values[Math.round(i * step)]);
}
