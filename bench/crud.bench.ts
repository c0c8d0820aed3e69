import type { Bundle, BundleEntry, Immunization, Patient } from '@medplum/fhirtypes';
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { printResults, runLoad, useBearer, type LoadResult } from './lib/load.ts';
import { benchPostgres } from './lib/postgres.ts';
import { mintAccessToken } from '../test/helpers/auth-tokens.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CVX = ['20', '10', '08', '116', '133', '03', '21', '83', '140', '115'];

function patient(i: number): Patient {
  return {
    resourceType: 'Patient',
    identifier: [{ system: 'https://open-iis.org/fhir/sid/bench-mrn', value: `B${i}-${randomUUID().slice(0, 8)}` }],
    name: [{ family: `Benchperson${i % 997}`, given: ['Alex', 'Sam'] }],
    gender: i % 2 ? 'female' : 'male',
    birthDate: `${2010 + (i % 12)}-0${1 + (i % 9)}-1${i % 10}`,
    address: [{ line: [`${i} Main St`], city: 'Hartford', state: 'CT', postalCode: '06101' }],
    telecom: [{ system: 'phone', value: `555-01${String(i % 100).padStart(2, '0')}` }],
  };
}

function immunization(patientRef: string, j: number): Immunization {
  return {
    resourceType: 'Immunization',
    status: 'completed',
    vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: CVX[j % CVX.length] as string }] },
    patient: { reference: patientRef },
    occurrenceDateTime: `2023-0${1 + (j % 9)}-15`,
    primarySource: true,
    lotNumber: `LOT${j}X`,
    manufacturer: { identifier: { system: 'http://terminology.hl7.org/CodeSystem/MVX', value: 'MSD' } },
    doseQuantity: { value: 0.5, unit: 'mL', system: 'http://unitsofmeasure.org', code: 'mL' },
    fundingSource: { coding: [{ system: 'urn:oid:2.16.840.1.114222.4.5.274', code: 'VXC50' }] },
  };
}

/** A 100-entry transaction: 10 patients, each with 9 immunizations, linked by urn:uuid. */
function transactionBundle(seq: number): Bundle {
  const entry: BundleEntry[] = [];
  for (let p = 0; p < 10; p++) {
    const full = `urn:uuid:${randomUUID()}`;
    entry.push({ fullUrl: full, resource: patient(seq * 10 + p), request: { method: 'POST', url: 'Patient' } });
    for (let j = 0; j < 9; j++) entry.push({ resource: immunization(full, j), request: { method: 'POST', url: 'Immunization' } });
  }
  return { resourceType: 'Bundle', type: 'transaction', entry };
}

async function benchOne(label: string, env: Record<string, string>): Promise<void> {
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent', SEED_DEMO_DATA: 'false', PORT: '0', MLLP_ENABLED: 'false' });
  const registry = await buildApp(config);
  // A real token of the registry's own authorization server (looked up on every request, as in production).
  const token = await mintAccessToken(registry, { role: 'state-admin', scopes: ['user/*.cruds'] });
  useBearer(token);
  const address = await registry.app.listen({ port: 0, host: '127.0.0.1' });
  // The ceiling: a bare Fastify route doing the same primary-key SELECT on the same database.
  const bare = Fastify();
  bare.get('/bare/:id', async (req, reply) => {
    const rows = await registry.db.query<{ content: string }>('SELECT content::text AS content FROM resource WHERE resource_type = $1 AND id = $2', ['Patient', (req.params as { id: string }).id]);
    reply.type('application/json').send(rows[0]?.content);
  });
  const bareAddress = await bare.listen({ port: 0, host: '127.0.0.1' });

  // Seed patients to read and update.
  const ids: string[] = [];
  for (let b = 0; b < 20; b++) {
    const res = await registry.app.inject({ method: 'POST', url: '/fhir', headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${token}` }, payload: JSON.stringify(transactionBundle(100000 + b)) });
    const out = JSON.parse(res.body) as Bundle;
    for (const e of out.entry ?? []) if (e.response?.location?.startsWith('Patient/')) ids.push(e.response.location.split('/')[1] as string);
  }
  const pick = (): string => ids[Math.floor(Math.random() * ids.length)] as string;
  const rows: (LoadResult & { extra?: string })[] = [];
  const ceiling = await runLoad({ name: 'ceiling: bare PK SELECT route', url: bareAddress, seconds: SECONDS, next: () => ({ path: `/bare/${pick()}` }) });
  const read = await runLoad({ name: 'read Patient', url: address, seconds: SECONDS, next: () => ({ path: `/fhir/Patient/${pick()}` }) });
  rows.push(ceiling, { ...read, extra: `${((100 * read.rps) / ceiling.rps).toFixed(0)}% of ceiling` });
  let n = 0;
  rows.push(await runLoad({ name: 'create Patient', url: address, method: 'POST', seconds: SECONDS, next: () => ({ path: '/fhir/Patient', body: JSON.stringify(patient(n++)) }) }));
  rows.push(
    await runLoad({
      name: 'update Patient',
      url: address,
      method: 'PUT',
      seconds: SECONDS,
      next: () => {
        const id = pick();
        return { path: `/fhir/Patient/${id}`, body: JSON.stringify({ ...patient(n++), id }) };
      },
    }),
  );
  let seq = 0;
  const tx = await runLoad({
    name: 'transaction, 100 entries',
    url: address,
    method: 'POST',
    connections: 4,
    seconds: SECONDS,
    headers: { prefer: 'return=minimal' },
    next: () => ({ path: '/fhir', body: JSON.stringify(transactionBundle(seq++)) }),
  });
  rows.push({ ...tx, extra: `${(tx.rps * 100).toFixed(0)} resources/s` });
  printResults(`CRUD on ${label} (${SECONDS}s each, 10 connections; transactions 4)`, rows);
  await bare.close();
  await registry.close();
}

/** Benchmarks create, read, update and 100-entry transactions on PGlite and PostgreSQL, beside the bare ceiling. */
export async function runCrudBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'iis-bench-'));
  try {
    await benchOne('PGlite (embedded)', { DATA_DIR: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const db = await benchPostgres('crud');
  try {
    await benchOne('PostgreSQL', { DATABASE_URL: db.url });
  } finally {
    await db.drop();
  }
}
