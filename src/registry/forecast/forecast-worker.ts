import type { Repository } from '../../store/repository.ts';
import type { ForecastService } from './forecast-service.ts';
import { claimForecasts } from '../../store/forecast-queue.ts';

/**
 * Keeps stored ImmunizationRecommendations current in the background: claims queued patients in batches (each
 * batch one transaction) and recomputes them, polling every `intervalMs` when the queue is empty. Writes never wait
 * for a forecast; a recommendation is typically current within a second of the change.
 */
export class ForecastWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = true;

  /**
   * @param repo - repository outside any request transaction.
   * @param service - the recommender.
   * @param options - batch size, poll interval, error callback.
   */
  constructor(
    private readonly repo: Repository,
    private readonly service: ForecastService,
    private readonly options: { batchSize?: number; intervalMs?: number; onError?: (err: unknown) => void } = {},
  ) {}

  /** Starts polling. */
  start(): void {
    this.stopped = false;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.drain()
        .catch((err: unknown) => this.options.onError?.(err))
        .finally(() => this.schedule());
    }, this.options.intervalMs ?? 250);
  }

  /**
   * Processes the queue until it is empty (tests call this to wait for pending recomputations).
   * @returns how many patients were recomputed.
   */
  async drain(): Promise<number> {
    if (this.running) await this.running.catch(() => 0);
    this.running = (async () => {
      let total = 0;
      for (;;) {
        const n = await this.repo.transaction(async (tx) => {
          const ids = await claimForecasts(tx.db, this.options.batchSize ?? 100);
          if (ids.length) await this.service.refresh(tx, ids);
          return ids.length;
        });
        total += n;
        if (n === 0) return total;
      }
    })();
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  /** Stops polling and finishes the batch in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => 0);
  }
}
