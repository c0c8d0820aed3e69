import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import smart from 'fhirclient';
import type { Bundle } from '@medplum/fhirtypes';
import { Browser, addClient, addPatient, addRelatedPerson, addUser, formAction, freePort, startLiveRegistry, unique, type LiveRegistry } from './helpers.ts';

let live: LiveRegistry;
let app: Server;
let appBase = '';
const sessions = new Map<string, unknown>();
/** fhirclient's storage contract (get/set/unset), one browser session. */
const storage = {
  get: async (k: string) => sessions.get(k),
  set: async (k: string, v: unknown) => void sessions.set(k, v),
  unset: async (k: string) => sessions.delete(k),
};
let launchOptions: Record<string, unknown> = {};

/** A SMART app written with fhirclient's Node API: /launch redirects to authorize, /callback reads the record. */
async function appHandler(req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', appBase);
    if (url.pathname === '/launch') {
      await smart(req, res, storage).authorize({ ...launchOptions, redirectUri: `${appBase}/callback` } as never);
      return;
    }
    const client = await smart(req, res, storage).ready();
    const patient = client.getPatientId();
    const imms = (await client.request(`Immunization?patient=${patient}`)) as Bundle;
    let other = 0;
    try {
      await client.request(`Patient/${url.searchParams.get('other') ?? String(launchOptions.other)}`);
      other = 200;
    } catch (e) {
      other = (e as { status?: number }).status ?? 0;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ patient, fhirUser: client.getFhirUser(), immunizations: imms.entry?.length ?? 0, otherStatus: other }));
  } catch (e) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(String(e instanceof Error ? e.message : e));
  }
}

before(async () => {
  live = await startLiveRegistry();
  const port = await freePort();
  appBase = `http://127.0.0.1:${port}`;
  app = createServer((req, res) => void appHandler(req, res));
  await new Promise<void>((resolve) => app.listen(port, '127.0.0.1', resolve));
});
after(async () => {
  await new Promise((resolve) => app.close(resolve));
  await live?.close();
});

describe('SMART App Launch with fhirclient (Node) against the registry', () => {
  it('a guardian app: authorize with PKCE, pick the child, read their immunizations; another patient is refused', async () => {
    const id = unique();
    const kid = await addPatient(live, 6, `Kid${id}`);
    const stranger = await addPatient(live, 7, `Str${id}`);
    const rp = await addRelatedPerson(live, kid);
    await live.registry.repo.createResource({ resourceType: 'Immunization', status: 'completed', vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code: '20' }] }, patient: { reference: `Patient/${kid}` }, occurrenceDateTime: '2021-01-01', primarySource: false });
    await addUser(live, { username: `mom-${id}`, role: 'patient', fhirUser: [`RelatedPerson/${rp}`] });
    await addClient(live, { id: `fc-${id}`, type: 'public', role: 'patient', redirectUris: [`${appBase}/callback`] });
    launchOptions = { clientId: `fc-${id}`, scope: 'openid fhirUser launch/patient patient/*.rs', iss: live.fhirBase, pkceMode: 'required', other: stranger };
    const browser = new Browser();
    const launch = await browser.send(`${appBase}/launch`);
    const authorize = launch.headers.get('location') ?? '';
    assert.match(authorize, /code_challenge_method=S256/, 'fhirclient sends PKCE S256');
    assert.ok(authorize.startsWith(`${live.issuer}/`), authorize);
    let step = await browser.follow(authorize, `${appBase}/callback`);
    let html = await step.res.text();
    assert.match(html, /Sign in/, html.slice(0, 300));
    step = await browser.follow(formAction(html, step.url), `${appBase}/callback`, { username: `mom-${id}`, password: 'correct horse battery' });
    html = await step.res.text();
    assert.match(html, /Allow access/);
    step = await browser.follow(formAction(html, step.url), `${appBase}/callback`, { decision: 'allow', patient: kid });
    assert.ok(step.url.startsWith(`${appBase}/callback`), step.url);
    const page = await browser.send(step.url);
    const body = await page.text();
    assert.equal(page.status, 200, body);
    const result = JSON.parse(body) as { patient: string; fhirUser: string; immunizations: number; otherStatus: number };
    assert.equal(result.patient, kid);
    assert.equal(result.fhirUser, `RelatedPerson/${rp}`);
    assert.equal(result.immunizations, 1);
    assert.equal(result.otherStatus, 403);
  });
});
