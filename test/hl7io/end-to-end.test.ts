import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as soap from 'soap';
import type { Bundle } from '@medplum/fhirtypes';
import { buildApp, type Registry } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { runSenderCommand } from '../../src/cli/sender-commands.ts';
import { openTestPglite } from '../helpers/pglite-template.ts';
import { mintAccessToken } from '../helpers/auth-tokens.ts';
import { unique } from '../helpers/builders.ts';
import { lines, nistText } from '../hl7v2/nist.ts';

/** A NIST VXU with a fresh control id and MRN (so runs and databases do not collide). */
function nistVxu(tag: string): string {
  return nistText('nist-onc2015-iz-ad-1.1-send-v04-z22')
    .replace(/\r?\n/g, '\r')
    .replace(/^(MSH(?:\|[^|\r]*){8}\|)([^|\r]*)/m, `$1${tag}`)
    .replace(/^(PID\|[^|]*\|[^|]*\|)([^|^\r]+)/m, `$1${tag}`)
    .replace(/^(PID(?:\|[^|\r]*){4}\|)([^|^\r]+)/m, `$1Fam${tag}`);
}

describe('HL7 v2 end to end: registered sender -> SOAP and HTTP -> the real processor -> FHIR', () => {
  let registry: Registry;
  let client: soap.Client;
  let facilityId = '';
  let organizationId = '';
  const password = 'a-long-sender-password';
  let username = '';

  before(async () => {
    const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', BASE_URL: 'http://localhost:8080', SEED_DEMO_DATA: 'false', MLLP_ENABLED: 'false' });
    const db = config.databaseUrl ? undefined : await openTestPglite();
    registry = await buildApp(config, db ? { db } : {});
    const address = await registry.app.listen({ port: 0, host: '127.0.0.1' });
    facilityId = unique('FAC');
    username = unique('sender');
    const out = await runSenderCommand(registry.core, ['add', '--facility-id', facilityId, '--name', 'E2E Clinic', '--username', username, '--password-stdin'], password);
    organizationId = /Organization\/([^ ]+)/.exec(out)?.[1] ?? '';
    client = await soap.createClientAsync(`${address}/hl7/soap?wsdl`, { forceSoap12Headers: true });
    client.setEndpoint(`${address}/hl7/soap`);
  });
  after(async () => registry.close());

  it('a VXU over SOAP is stored as FHIR; a QBP over SOAP answers Z32 with its doses; HTTP takes a backend token', async () => {
    const tag = unique('E');
    const vxu = nistVxu(tag);
    const [ack] = (await client.submitSingleMessageAsync({ username, password, facilityID: facilityId, hl7Message: vxu })) as [{ return: string }];
    assert.match(ack.return, new RegExp(`\\rMSA\\|AA\\|${tag}`));
    const [logged] = await registry.hl7.messages.search({ sender: facilityId });
    assert.ok(logged);
    const full = await registry.hl7.messages.get(logged.id);
    const patientRef = full?.touched.find((t) => t.startsWith('Patient/'));
    assert.ok(patientRef, 'the log lists the FHIR resources the message touched');
    assert.equal(full?.status, 'processed');
    assert.equal(full?.ackCode, 'AA');
    assert.match(full?.reply ?? '', new RegExp(`\\rMSA\\|AA\\|${tag}`), 'the reply logged with the data is the one sent');
    const admin = await mintAccessToken(registry, { role: 'state-admin', scopes: ['user/*.rs'] });
    const imms = await registry.app.inject({ method: 'GET', url: `/fhir/Immunization?patient=${patientRef}`, headers: { authorization: `Bearer ${admin}` } });
    const doses = (JSON.parse(imms.body) as Bundle).entry?.length ?? 0;
    assert.equal(doses, lines(vxu).filter((l) => l[0] === 'RXA' && !l[5]?.startsWith('998')).length);

    const qbp = `MSH|^~\\&|EHR|${facilityId}|IIS|IIS|20241201||QBP^Q11^QBP_Q11|Q${tag}|P|2.5.1|||ER|AL|||||Z34^CDCPHINVS\rQPD|Z34^Request Immunization History^CDCPHINVS|T${tag}|${tag}^^^NIST-MPI-1^MR\rRCP|I|5^RD&Records&HL70126\r`;
    const [rsp] = (await client.submitSingleMessageAsync({ username, password, facilityID: facilityId, hl7Message: qbp })) as [{ return: string }];
    assert.match(rsp.return, /\|Z32\^CDCPHINVS/);
    assert.equal(lines(rsp.return.replace(/\r?\n/g, '\r')).filter((l) => l[0] === 'RXA').length, doses);

    const token = await mintAccessToken(registry, { role: 'ehr-system', scopes: ['system/*.rs'], organization: organizationId, backend: true });
    const http = await registry.app.inject({ method: 'POST', url: '/hl7/v2', headers: { authorization: `Bearer ${token}`, 'content-type': 'x-application/hl7-v2+er7' }, payload: nistVxu(unique('H')) });
    assert.equal(http.statusCode, 200);
    assert.match(http.body, /\rMSA\|AA\|/);
    const denied = await registry.app.inject({ method: 'POST', url: '/hl7/v2', headers: { authorization: `Bearer ${admin}`, 'content-type': 'x-application/hl7-v2+er7' }, payload: nistVxu(unique('H')) });
    assert.equal(denied.statusCode, 401);
    const tools = await registry.app.inject({ method: 'GET', url: `/hl7/messages?sender=${facilityId}`, headers: { authorization: `Bearer ${admin}` } });
    assert.equal(tools.statusCode, 200);
    const nurse = await mintAccessToken(registry, { role: 'clinic-staff', scopes: ['user/*.rs'], organization: organizationId });
    assert.equal((await registry.app.inject({ method: 'GET', url: '/hl7/messages', headers: { authorization: `Bearer ${nurse}` } })).statusCode, 403);
  });
});
