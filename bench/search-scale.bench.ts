import type { ImmunizationRecommendation, Patient, Resource } from '@medplum/fhirtypes';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createCore } from '../src/core.ts';
import { parseSearchRequest } from '../src/fhir/search/parse-search-request.ts';
import { printResults, runLoad, useBearer, type LoadResult } from './lib/load.ts';
import { mintAccessToken } from '../test/helpers/auth-tokens.ts';
import { generatePopulationBatches } from './population/index.ts';
import { bulkCreateResources } from '../src/store/bulk-load.ts';
import { restoreLoadIndexes, suspendLoadIndexes } from '../src/store/bulk-indexes.ts';

const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 1_000_000);
const IMMS_PER_PATIENT = Number(process.env.BENCH_IMMS_PER_PATIENT ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const BATCH = Number(process.env.BENCH_BATCH ?? 4000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);

/** A simple stored forecast per patient, so ImmunizationRecommendation searches run against a realistic table. */
function recommendationFor(p: Patient): ImmunizationRecommendation {
  return {
    resourceType: 'ImmunizationRecommendation',
    id: `rec-${p.id}`,
    patient: { reference: `Patient/${p.id}` },
    date: '2026-01-01',
    recommendation: [
      {
        vaccineCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '88' }] }],
        forecastStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/immunization-recommendation-status', code: 'due' }] },
        dateCriterion: [{ code: { coding: [{ system: 'http://loinc.org', code: '30980-7' }] }, value: '2026-10-01' }],
      },
    ],
  };
}

async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client(process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  await c.connect();
  await c.query(sql);
  await c.end();
}

/**
 * Loads the synthetic population through the store's bulk path (the real indexer, COPY of resource and index rows,
 * version 1 as a create would store it; no HTTP, validation or audit: the generator's output is known-valid).
 * The secondary indexes are dropped first and rebuilt at the end (one sort each instead of row-by-row B-tree
 * upkeep); the rate counts that rebuild and the VACUUM ANALYZE. Several batches are in flight so that PostgreSQL
 * copies one while this process generates and indexes the next.
 * @returns resources loaded and seconds taken, with the split between copying and index building.
 */
async function loadPopulation(databaseUrl: string): Promise<{ count: number; seconds: number; copySeconds: number; indexSeconds: number }> {
  const core = await createCore(loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }));
  const registry = core.services.searchParameters;
  const started = Date.now();
  const indexes = await suspendLoadIndexes(core.db);
  let count = 0;
  const inFlight = new Set<Promise<void>>();
  for (const batch of generatePopulationBatches({ seed: 20261123, patients: PATIENTS, immunizationsPerPatient: IMMS_PER_PATIENT }, BATCH)) {
    const extra: Resource[] = batch.filter((r): r is Patient => r.resourceType === 'Patient').map(recommendationFor);
    const all = [...batch, ...extra];
    const job = bulkCreateResources(core.db, registry, all, { asynchronousCommit: true }).then((n) => {
      count += n;
      if (count % 100_000 < n) {
        const s = (Date.now() - started) / 1000;
        process.stderr.write(`\r  loaded ${count} resources, ${(count / s).toFixed(0)}/s   `);
      }
    });
    inFlight.add(job);
    void job.finally(() => inFlight.delete(job));
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const copied = Date.now();
  process.stderr.write(`\n  copied in ${((copied - started) / 1000).toFixed(0)} s; building ${indexes.length} indexes\n`);
  await restoreLoadIndexes(core.db, indexes, { parallel: 2, memory: '1GB' });
  // VACUUM as well as ANALYZE: it sets the visibility map, without which index-only scans still visit the heap.
  // Own connection: VACUUM cannot run in a transaction, and the pool's statement timeout is meant for requests.
  const c = new pg.Client(databaseUrl);
  await c.connect();
  await c.query('VACUUM (ANALYZE)');
  await c.end();
  const seconds = (Date.now() - started) / 1000;
  await core.close();
  return { count, seconds, copySeconds: (copied - started) / 1000, indexSeconds: (Date.now() - copied) / 1000 };
}

interface Sample {
  id: string;
  family: string;
  given: string;
  birthDate: string;
  identifier: string;
}

async function samplePatients(databaseUrl: string): Promise<Sample[]> {
  const c = new pg.Client(databaseUrl);
  await c.connect();
  const rows = await c.query<{ content: Patient }>(`SELECT content FROM resource TABLESAMPLE SYSTEM (1) WHERE resource_type = 'Patient' LIMIT 2000`);
  await c.end();
  return rows.rows.map(({ content: p }) => ({
    id: p.id as string,
    family: p.name?.[0]?.family ?? '',
    given: p.name?.[0]?.given?.[0] ?? '',
    birthDate: p.birthDate ?? '',
    identifier: `${p.identifier?.[0]?.system}|${p.identifier?.[0]?.value}`,
  }));
}

/**
 * Reads every index of the resource and search tables into the operating system's cache (pg_prewarm's `read`
 * mode: the cache outside shared_buffers, which at 128 MB could hold little of it).
 * @returns how much was read, for the report.
 */
async function prewarmIndexes(databaseUrl: string): Promise<string> {
  const c = new pg.Client(databaseUrl);
  await c.connect();
  const started = Date.now();
  await c.query('CREATE EXTENSION IF NOT EXISTS pg_prewarm');
  const rows = await c.query<{ blocks: string }>(
    `SELECT sum(pg_prewarm(i.indexrelid, 'read'))::text AS blocks FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
     WHERE t.relname = ANY($1::text[])`,
    [['resource', 'sp_string', 'sp_token', 'sp_date', 'sp_reference']],
  );
  await c.end();
  return `${Math.round((Number(rows.rows[0]?.blocks ?? 0) * 8) / 1024)} MB in ${((Date.now() - started) / 1000).toFixed(0)} s`;
}

/** Loads a state-scale population into PostgreSQL and measures the common registry queries over HTTP. */
export async function runSearchScaleBench(): Promise<void> {
  let url = process.env.BENCH_SCALE_DATABASE_URL;
  if (!url) {
    const name = process.env.BENCH_SCALE_DB_NAME ?? `iis_scale_${Date.now()}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    url = (process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres').replace(/\/[^/]*$/, `/${name}`);
    console.log(`\nLoading ${PATIENTS} patients (~${IMMS_PER_PATIENT} immunizations each, plus one recommendation) into ${name}`);
    const load = await loadPopulation(url);
    console.log(`load: ${load.count} resources in ${load.seconds.toFixed(0)} s = ${(load.count / load.seconds).toFixed(0)} resources/s`
      + ` (copy ${load.copySeconds.toFixed(0)} s = ${(load.count / load.copySeconds).toFixed(0)}/s, index build + VACUUM ANALYZE ${load.indexSeconds.toFixed(0)} s)`);
    console.log(`(keep it for later runs: BENCH_SCALE_DATABASE_URL=${url})`);
    if (process.env.BENCH_LOAD_ONLY === '1') return;
  }
  const samples = await samplePatients(url);
  const pick = (): Sample => samples[Math.floor(Math.random() * samples.length)] as Sample;
  const registry = await buildApp(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', SEED_DEMO_DATA: 'false', MLLP_ENABLED: 'false' }));
  // A real token of the registry's own authorization server (looked up on every request, as in production).
  const token = await mintAccessToken(registry, { role: 'state-admin', scopes: ['user/*.cruds'] });
  useBearer(token);
  const address = await registry.app.listen({ port: 0, host: '127.0.0.1' });
  const cvx = ['20', '10', '08', '116', '133', '03', '21', '83', '88', '115', '62', '114', '208'];
  const queries: [string, () => string][] = [
    ['Patient by identifier', () => `/fhir/Patient?identifier=${encodeURIComponent(pick().identifier)}`],
    ['Patient by family+given+birthdate', () => {
      const s = pick();
      return `/fhir/Patient?family=${encodeURIComponent(s.family)}&given=${encodeURIComponent(s.given)}&birthdate=${s.birthDate}`;
    }],
    ['Patient by phonetic name', () => `/fhir/Patient?phonetic=${encodeURIComponent(pick().family)}&birthdate=${pick().birthDate.slice(0, 4)}`],
    ['Immunization by patient +_include', () => `/fhir/Immunization?patient=${pick().id}&_include=Immunization:patient`],
    ['Immunization by vaccine-code+date', () => {
      const y = 2015 + Math.floor(Math.random() * 10);
      const m = String(1 + Math.floor(Math.random() * 12)).padStart(2, '0');
      return `/fhir/Immunization?vaccine-code=${cvx[Math.floor(Math.random() * cvx.length)]}&date=ge${y}-${m}-01&date=lt${y}-${m}-08`;
    }],
    ['ImmunizationRecommendation by patient', () => `/fhir/ImmunizationRecommendation?patient=${pick().id}`],
    ['Immunization?patient.identifier= (chain)', () => `/fhir/Immunization?patient.identifier=${encodeURIComponent(pick().identifier)}`],
  ];
  const measure = async (pass: string): Promise<(LoadResult & { extra?: string })[]> => {
    const rows: (LoadResult & { extra?: string })[] = [];
    for (const [name, next] of queries) {
      const single = await runLoad({ name: `${name} (1 conn)`, url: address, connections: 1, seconds: Math.max(3, SECONDS / 2), next: () => ({ path: next() }) });
      const loaded = await runLoad({ name: `${name} (${CONNECTIONS} conn)`, url: address, connections: CONNECTIONS, seconds: SECONDS, next: () => ({ path: next() }) });
      rows.push({ ...single, extra: pass }, { ...loaded, extra: pass });
    }
    return rows;
  };
  // Cold: straight after the load (or a restart), with whatever the index build left in the caches.
  const cold = await measure('cold');
  printResults(`Search at scale on PostgreSQL, cold pass (latency with 1 connection, throughput with ${CONNECTIONS})`, cold);
  const warmed = await prewarmIndexes(url);
  const warm = await measure('warm');
  printResults(`Warm pass, after reading the search indexes into the OS cache (${warmed}) and the cold pass`, warm);
  console.log('\nQuery plans (EXPLAIN ANALYZE of one sample of each):');
  for (const [name, next] of queries) {
    const path = next();
    const [typePath, qs = ''] = path.replace('/fhir/', '').split('?');
    const request = parseSearchRequest(registry.services.searchParameters, [typePath as string], [...new URLSearchParams(qs).entries()]);
    console.log(`\n-- ${name}: ${path}\n${await registry.repo.explainSearch(request)}`);
  }
  const counts = await registry.db.query<{ t: string; n: number }>(
    `SELECT resource_type AS t, count(*)::int AS n FROM resource GROUP BY 1 ORDER BY 2 DESC`,
  );
  const size = await registry.db.query<{ s: string }>('SELECT pg_size_pretty(pg_database_size(current_database())) AS s');
  console.log(`\nrows: ${counts.map((c) => `${c.t} ${c.n}`).join(', ')}; database size ${size[0]?.s}`);
  await registry.close();
}
