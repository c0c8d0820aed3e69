import type { Resource } from '@medplum/fhirtypes';
import { Worker } from 'node:worker_threads';
import type { R4ValidationReport, R4Validator } from './r4-validator.ts';

/** Options of {@link ValidationPool}. */
export interface ValidationPoolOptions {
  /** Worker threads to use under load; 0 validates on the calling thread only. */
  workers: number;
  /** Validations per second at which the workers are started (default 100; 0 starts them on first use). */
  startAbove?: number;
  /** Requests waiting in every worker beyond which a validation runs on the calling thread instead (default 16). */
  queueLimit?: number;
}

interface Pending {
  resource: Resource;
  resolve: (report: R4ValidationReport) => void;
}

/**
 * Starts the worker script next to this module. Run from TypeScript sources (tsx), a worker thread does not inherit
 * the parent's module hooks, so it registers tsx's loader before importing the script.
 */
function spawnValidationWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./validation-worker.js', import.meta.url));
  const script = new URL('./validation-worker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(script)}); })`, { eval: true });
}

class ValidationThread {
  ready = false;
  readonly pending = new Map<number, Pending>();
  private readonly worker: Worker;
  private next = 0;

  constructor(onGone: (thread: ValidationThread) => void) {
    this.worker = spawnValidationWorker();
    this.worker.unref();
    this.worker.on('message', (m: { ready?: boolean; id?: number; report?: R4ValidationReport; error?: string }) => {
      if (m.ready) this.ready = true;
      if (m.id === undefined) return;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (p && m.report) p.resolve(m.report);
      else if (p) onGone(this); // a failure inside the worker: the pool re-validates on the calling thread
    });
    this.worker.on('error', () => onGone(this));
    this.worker.on('exit', () => onGone(this));
  }

  run(resource: Resource): Promise<R4ValidationReport> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending.set(id, { resource, resolve });
      this.worker.postMessage({ id, resource });
    });
  }

  async stop(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

/**
 * Validates resources (https://hl7.org/fhir/R4/validation.html) on the calling thread or, under sustained write load,
 * in worker threads that hold their own copy of the same validator, so the main thread keeps serving requests and
 * writing while resources are checked. The report is the same either way; a worker that fails or exits hands its
 * pending resources back to the calling thread, so no write is lost or left unvalidated.
 */
export class ValidationPool {
  /** Validations done in workers so far. */
  offloaded = 0;
  private threads: ValidationThread[] = [];
  private started = false;
  private windowStart = 0;
  private windowCount = 0;

  /**
   * @param inline - the validator used on the calling thread (and for `$validate` with profiles).
   * @param options - worker options.
   */
  constructor(
    private readonly inline: R4Validator,
    private readonly options: ValidationPoolOptions,
  ) {}

  /**
   * Validates on the calling thread.
   * @param resource - the resource.
   * @param options - extra profiles to check.
   * @returns the report.
   */
  validate(resource: Resource, options: { profiles?: string[] } = {}): R4ValidationReport {
    return this.inline.validate(resource, options);
  }

  /**
   * Validates in a worker when the pool is running and not overloaded, else on the calling thread.
   * @param resource - the resource (not modified).
   * @returns the report.
   */
  async validateAsync(resource: Resource): Promise<R4ValidationReport> {
    if (this.options.workers <= 0) return this.inline.validate(resource);
    this.noteLoad();
    const limit = this.options.queueLimit ?? 16;
    let best: ValidationThread | undefined;
    for (const t of this.threads) if (t.ready && t.pending.size < limit && (!best || t.pending.size < best.pending.size)) best = t;
    if (!best) return this.inline.validate(resource);
    this.offloaded++;
    return best.run(resource);
  }

  /** @returns how many workers are up and taking work. */
  get readyWorkers(): number {
    return this.threads.filter((t) => t.ready).length;
  }

  /** Stops the workers; what they still held is validated on the calling thread. */
  async close(): Promise<void> {
    this.started = true; // never restart after close
    await Promise.all([...this.threads].map((t) => this.retire(t)));
  }

  private noteLoad(): void {
    if (this.started) return;
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.windowCount = 0;
    }
    this.windowCount++;
    if (this.windowCount >= (this.options.startAbove ?? 100)) this.start();
  }

  private start(): void {
    this.started = true;
    for (let i = 0; i < this.options.workers; i++) this.threads.push(new ValidationThread((t) => void this.retire(t)));
  }

  private async retire(thread: ValidationThread): Promise<void> {
    this.threads = this.threads.filter((t) => t !== thread);
    const left = [...thread.pending.values()];
    thread.pending.clear();
    for (const p of left) p.resolve(this.inline.validate(p.resource));
    await thread.stop().catch(() => undefined);
  }
}
