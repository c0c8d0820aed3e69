import autocannon from 'autocannon';

/** One measured workload. */
export interface LoadResult {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Options of one load run. */
export interface LoadOptions {
  name: string;
  url: string;
  method?: 'GET' | 'POST' | 'PUT';
  /** Builds each request: path and body. */
  next: () => { path: string; body?: string };
  connections?: number;
  seconds?: number;
  headers?: Record<string, string>;
}

let defaultHeaders: Record<string, string> = {};
/**
 * Sends this bearer token with every later load run (the FHIR API needs one).
 * @param token - an access token.
 */
export function useBearer(token: string): void {
  defaultHeaders = { authorization: `Bearer ${token}` };
}

/**
 * Runs an HTTP load with autocannon and returns throughput and latency percentiles. The load generator runs in this
 * process, on the server's event loop (per-request `setupRequest` closures cannot cross to a worker thread), so
 * every workload, the bare ceiling included, pays the same client cost; measured with autocannon in a separate
 * process the read/ceiling ratio came out the same within the machine's noise.
 * @param o - the workload.
 * @returns the measurements.
 */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: o.url,
    connections: o.connections ?? 10,
    duration: o.seconds ?? 5,
    method: o.method ?? 'GET',
    headers: { 'content-type': 'application/fhir+json', ...defaultHeaders, ...o.headers },
    requests: [
      {
        setupRequest: (req) => {
          const { path, body } = o.next();
          return { ...req, path, ...(body !== undefined ? { body } : {}) } as typeof req;
        },
      },
    ],
  });
  return {
    name: o.name,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/**
 * Prints results as a table.
 * @param title - heading.
 * @param rows - results.
 */
export function printResults(title: string, rows: (LoadResult & { extra?: string })[]): void {
  console.log(`\n${title}`);
  console.log('workload'.padEnd(34) + 'req/s'.padStart(10) + 'p50 ms'.padStart(9) + 'p99 ms'.padStart(9) + 'errors'.padStart(8) + '  notes');
  for (const r of rows) {
    console.log(
      r.name.padEnd(34) + r.rps.toFixed(0).padStart(10) + String(r.p50).padStart(9) + String(r.p99).padStart(9) + String(r.errors + r.non2xx).padStart(8) + `  ${r.extra ?? ''}`,
    );
  }
}
