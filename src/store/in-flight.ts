/**
 * Counts the units of work (transactions) running on a database so shutdown can let them finish before the
 * connections close: a write that was accepted commits (or rolls back) on its own terms instead of failing on a
 * closed pool, and its audit record is written after it.
 */
export class InFlight {
  private running = 0;
  private waiters: (() => void)[] = [];

  /**
   * @param fn - a unit of work.
   * @returns its result.
   */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    this.running++;
    try {
      return await fn();
    } finally {
      this.running--;
      if (this.running === 0) for (const w of this.waiters.splice(0)) w();
    }
  }

  /**
   * @param timeoutMs - longest wait.
   * @returns once nothing runs, or when the wait times out.
   */
  async settled(timeoutMs: number): Promise<void> {
    if (this.running === 0) return;
    await Promise.race([new Promise<void>((resolve) => this.waiters.push(resolve)), new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }
}
