import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.ts';
import { runSenderCommand } from '../src/cli/sender-commands.ts';
import { loadConfig } from '../src/config.ts';
import { escapeXml } from '../src/hl7v2/transport/soap-envelope.ts';
import { mintAccessToken } from '../test/helpers/auth-tokens.ts';
import { MllpTestClient } from '../test/helpers/mllp-client.ts';
import { printResults, runLoad, type LoadResult } from './lib/load.ts';
import { benchPostgres } from './lib/postgres.ts';
import { nextBenchVxu } from './lib/vxu-traffic.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 8;
const FACILITY = 'BENCHFAC';
const USER = 'bench-sender';
const PASSWORD = 'bench-password-1';
const WARM_UP_MESSAGES = 400;

const benchVxu = (): string => nextBenchVxu(FACILITY);

function percentile(sorted: number[], p: number): number {
  return sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0) : 0;
}

/**
 * VXUs over MLLP: each of the connections sends one message, waits for its ACK, and repeats while `more()` says so.
 * @returns the time each message took to be acknowledged and how many were not accepted (MSA-1 other than AA).
 */
async function sendOverMllp(port: number, more: () => boolean): Promise<{ latencies: number[]; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const c = await MllpTestClient.connect(port);
      while (more()) {
        const t = performance.now();
        const reply = await c.send(benchVxu());
        latencies.push(performance.now() - t);
        if (!/\rMSA\|AA\|/.test(reply)) errors += 1;
      }
      await c.close();
    }),
  );
  return { latencies, errors };
}

/** VXUs over MLLP for the benchmark's duration. */
async function loadMllp(port: number): Promise<LoadResult> {
  const until = Date.now() + SECONDS * 1000;
  const { latencies, errors } = await sendOverMllp(port, () => Date.now() < until);
  latencies.sort((a, b) => a - b);
  return {
    name: `MLLP VXU, ${CONNECTIONS} connections`,
    requests: latencies.length,
    rps: latencies.length / SECONDS,
    p50: Math.round(percentile(latencies, 50)),
    p99: Math.round(percentile(latencies, 99)),
    errors,
    non2xx: 0,
  };
}

/**
 * Brings the registry to a steady state before timing: a registry's database is never empty, and its planner
 * statistics follow its data (autovacuum analyzes a table after it grows by 10%). Without this, every run would
 * time a freshly created database whose statistics still describe empty tables, so the planner picks plans meant
 * for a handful of rows (reading all of a sender's doses to check access to five of them).
 */
async function warmUp(port: number, registry: Awaited<ReturnType<typeof buildApp>>): Promise<void> {
  let left = WARM_UP_MESSAGES;
  await sendOverMllp(port, () => left-- > 0);
  await registry.db.exec('ANALYZE');
}

function soapEnvelope(): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><submitSingleMessage xmlns="urn:cdc:iisb:2011"><username>${USER}</username><password>${PASSWORD}</password><facilityID>${FACILITY}</facilityID><hl7Message>${escapeXml(benchVxu())}</hl7Message></submitSingleMessage></soap:Body></soap:Envelope>`;
}

async function benchOne(label: string, env: Record<string, string>): Promise<void> {
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent', SEED_DEMO_DATA: 'false', PORT: '0', MLLP_ENABLED: 'true', MLLP_PORT: '0', MLLP_HOST: '127.0.0.1' });
  const registry = await buildApp(config);
  const added = await runSenderCommand(registry.core, ['add', '--facility-id', FACILITY, '--name', 'Bench clinic', '--username', USER, '--password-stdin'], PASSWORD);
  const organization = /Organization\/([^ ]+)/.exec(added)?.[1] ?? '';
  // The EHR's backend-services token for POST /hl7/v2 (role ehr-system of the sender's organization).
  const token = await mintAccessToken(registry, { role: 'ehr-system', scopes: ['system/*.rs'], organization, backend: true });
  const address = await registry.app.listen({ port: 0, host: '127.0.0.1' });
  const mllp = await registry.hl7.mllpStarted();
  if (!mllp) throw new Error('MLLP did not start');
  await warmUp(mllp.port, registry);
  const rows: LoadResult[] = [];
  rows.push(await loadMllp(mllp.port));
  rows.push(
    await runLoad({
      name: `SOAP submitSingleMessage, ${CONNECTIONS} conn`,
      url: address,
      method: 'POST',
      connections: CONNECTIONS,
      seconds: SECONDS,
      headers: { 'content-type': 'application/soap+xml; charset=utf-8' },
      next: () => ({ path: '/hl7/soap', body: soapEnvelope() }),
    }),
  );
  rows.push(
    await runLoad({
      name: `HTTP POST /hl7/v2, ${CONNECTIONS} conn`,
      url: address,
      method: 'POST',
      connections: CONNECTIONS,
      seconds: SECONDS,
      headers: { 'content-type': 'x-application/hl7-v2+er7', authorization: `Bearer ${token}` },
      next: () => ({ path: '/hl7/v2', body: benchVxu() }),
    }),
  );
  const logged = await registry.db.query<{ n: string }>('SELECT count(*) AS n FROM hl7_message');
  printResults(`HL7 v2 VXU/s on ${label} (${SECONDS}s each after ${WARM_UP_MESSAGES} warm-up VXUs and ANALYZE; the registry's processor, ACK after commit; ${logged[0]?.n} messages logged)`, rows);
  await registry.close();
}

/**
 * Benchmarks VXU intake (parse, patient identification, validation, storage, audit, ACK after commit, message log)
 * through the three HL7 v2 transports (MLLP, SOAP, HTTP), on PGlite and on PostgreSQL (a fresh database, or
 * `BENCH_DATABASE_URL`).
 */
export async function runHl7Bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'iis-bench-hl7-'));
  try {
    await benchOne('PGlite (embedded)', { DATA_DIR: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const db = await benchPostgres('hl7');
  try {
    await benchOne('PostgreSQL', { DATABASE_URL: db.url });
  } finally {
    await db.drop();
  }
}
