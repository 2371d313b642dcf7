/** The planner's ask-the-expert lifelines; escalations that reach the expert model spend them too. */
export class Lifelines {
  constructor(
    readonly total: number,
    private usedCount = 0,
  ) {}

  get used(): number {
    return this.usedCount;
  }

  get left(): number {
    return Math.max(0, this.total - this.usedCount);
  }

  /** Spends one; false when none is left. */
  spend(): boolean {
    if (this.left === 0) return false;
    this.usedCount += 1;
    return true;
  }
}
