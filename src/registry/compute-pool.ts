import type { Immunization, Patient, Resource } from '@medplum/fhirtypes';
import { Worker } from 'node:worker_threads';
import type { R4ValidationReport, R4Validator } from '../fhir/r4-validator.ts';
import type { FhirForecast } from './forecast/forecast-service.ts';

/** Options of {@link ComputePool}. */
export interface ComputePoolOptions {
  /** Worker threads to use under load; 0 computes on the calling thread only. */
  workers: number;
  /** Validations per second at which the workers are started (default 100; 0 starts them on first use). */
  startAbove?: number;
  /** Requests waiting in every worker beyond which work runs on the calling thread instead (default 16). */
  queueLimit?: number;
}

/** A job for a worker (see compute-worker.ts). */
export type ComputeJob =
  | { kind: 'validate'; resource: Resource }
  | { kind: 'forecast'; patient: Patient; immunizations: Immunization[]; assessmentDate: string };

interface Pending {
  inline: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** Does a job on the calling thread instead, settling its promise the way the inline call ends. */
function redoInline(p: Pending): void {
  try {
    p.resolve(p.inline());
  } catch (err) {
    p.reject(err);
  }
}

/**
 * Starts the worker script next to this module. Run from TypeScript sources (tsx), a worker thread does not inherit
 * the parent's module hooks, so it registers tsx's loader before importing the script.
 */
function spawnComputeWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./compute-worker.js', import.meta.url));
  const script = new URL('./compute-worker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(script)}); })`, { eval: true });
}

class ComputeThread {
  ready = false;
  readonly pending = new Map<number, Pending>();
  private readonly worker: Worker;
  private next = 0;

  constructor(onGone: (thread: ComputeThread) => void) {
    this.worker = spawnComputeWorker();
    this.worker.unref();
    this.worker.on('message', (m: { ready?: boolean; id?: number; result?: unknown; error?: string }) => {
      if (m.ready) this.ready = true;
      if (m.id === undefined) return;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (!p) return;
      // A failure inside the worker is redone on the calling thread, where it raises (or not) as it would have.
      if (m.error === undefined) p.resolve(m.result);
      else redoInline(p);
    });
    this.worker.on('error', () => onGone(this));
    this.worker.on('exit', () => onGone(this));
  }

  run<T>(job: ComputeJob, inline: () => T): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { inline, resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, job });
    });
  }

  async stop(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

/**
 * Runs the registry's CPU-heavy pure work (resource validation, https://hl7.org/fhir/R4/validation.html, and CDSi
 * forecasts) on the calling thread or, under sustained write load, in worker threads that hold their own copies
 * of the same validator and supporting data, so the main thread keeps serving requests and writing meanwhile. The
 * result is the same either way; a worker that fails or exits hands its pending work back to the calling thread,
 * so nothing is lost or left unchecked.
 */
export class ComputePool {
  /** Jobs done in workers so far. */
  offloaded = 0;
  private threads: ComputeThread[] = [];
  private started = false;
  private windowStart = 0;
  private windowCount = 0;

  /**
   * @param inline - the validator used on the calling thread (and for `$validate` with profiles).
   * @param options - worker options.
   */
  constructor(
    private readonly inline: R4Validator,
    private readonly options: ComputePoolOptions,
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
   * Validates in a worker when the pool is running and not overloaded, else on the calling thread. Validations
   * are what start the pool: past `startAbove` a second.
   * @param resource - the resource (not modified).
   * @returns the report.
   */
  async validateAsync(resource: Resource): Promise<R4ValidationReport> {
    this.noteLoad();
    return this.run({ kind: 'validate', resource }, () => this.inline.validate(resource));
  }

  /**
   * Forecasts in a worker when the pool is running and not overloaded, else with `inline`.
   * @param patient - the patient.
   * @param immunizations - their immunizations.
   * @param assessmentDate - the date to evaluate on.
   * @param inline - the same forecast on the calling thread.
   * @returns the forecast.
   */
  forecastAsync(patient: Patient, immunizations: Immunization[], assessmentDate: string, inline: () => FhirForecast): Promise<FhirForecast> {
    return this.run({ kind: 'forecast', patient, immunizations, assessmentDate }, inline);
  }

  /** @returns how many workers are up and taking work. */
  get readyWorkers(): number {
    return this.threads.filter((t) => t.ready).length;
  }

  /** Stops the workers; what they still held is done on the calling thread. */
  async close(): Promise<void> {
    this.started = true; // never restart after close
    await Promise.all([...this.threads].map((t) => this.retire(t)));
  }

  private async run<T>(job: ComputeJob, inline: () => T): Promise<T> {
    const limit = this.options.queueLimit ?? 16;
    let best: ComputeThread | undefined;
    for (const t of this.threads) if (t.ready && t.pending.size < limit && (!best || t.pending.size < best.pending.size)) best = t;
    if (!best) return inline();
    this.offloaded++;
    return best.run(job, inline);
  }

  private noteLoad(): void {
    if (this.started || this.options.workers <= 0) return;
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
    for (let i = 0; i < this.options.workers; i++) this.threads.push(new ComputeThread((t) => void this.retire(t)));
  }

  private async retire(thread: ComputeThread): Promise<void> {
    this.threads = this.threads.filter((t) => t !== thread);
    const left = [...thread.pending.values()];
    thread.pending.clear();
    for (const p of left) redoInline(p);
    await thread.stop().catch(() => undefined);
  }
}
