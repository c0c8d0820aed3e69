import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as soap from 'soap';
import { unique } from '../helpers/builders.ts';
import { buildVxu } from '../helpers/hl7-samples.ts';
import { hl7Registry, registerTestSender, TEST_MAX_BYTES, type TestSender } from './hl7-app.ts';

interface SoapError extends Error {
  root?: { Envelope?: { Body?: { Fault?: { Detail?: Record<string, unknown> } } } };
}

function faultElement(err: unknown): string | undefined {
  const detail = (err as SoapError).root?.Envelope?.Body?.Fault?.Detail;
  return detail ? Object.keys(detail)[0] : undefined;
}

describe('SOAP transport (CDC WSDL urn:cdc:iisb:2011, SOAP 1.2)', () => {
  let url = '';
  let client: soap.Client;
  let sender: TestSender;

  before(async () => {
    const { app } = await hl7Registry();
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    url = `${address}/hl7/soap`;
    sender = await registerTestSender();
    client = await soap.createClientAsync(`${url}?wsdl`, { forceSoap12Headers: true });
    client.setEndpoint(url);
  });
  after(async () => (await hl7Registry()).close());

  it('serves the WSDL with the service address rewritten to BASE_URL and the schema inlined', async () => {
    const { app } = await hl7Registry();
    const res = await app.inject({ method: 'GET', url: '/hl7/soap?wsdl' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<soap12:address location="http:\/\/localhost:8080\/hl7\/soap"\s*\/>/);
    assert.match(res.body, /<xsd:element name="submitSingleMessage"/);
    assert.doesNotMatch(res.body, /schemaLocation=/);
  });

  it('connectivityTest echoes echoBack', async () => {
    const [result] = (await client.connectivityTestAsync({ echoBack: 'ping <&> é' })) as [{ return: string }];
    assert.equal(result.return, 'ping <&> é');
  });

  it('submitSingleMessage returns the ACK and logs the message with its reply', async () => {
    const { hl7 } = await hl7Registry();
    const controlId = `SOAP${Date.now()}`;
    const [result] = (await client.submitSingleMessageAsync({
      username: sender.username,
      password: sender.password,
      facilityID: sender.facilityId,
      hl7Message: buildVxu({ facilityId: sender.facilityId, controlId }),
    })) as [{ return: string }];
    assert.match(result.return, /^MSH\|/);
    assert.match(result.return, new RegExp(`\\rMSA\\|AA\\|${controlId}`), 'segments keep their CR terminators');
    const [logged] = await hl7.messages.search({ sender: sender.facilityId });
    assert.equal(logged?.controlId, controlId);
    assert.equal(logged?.transport, 'soap');
    assert.equal(logged?.ackCode, 'AA');
    assert.equal(logged?.status, 'processed');
    assert.equal(logged?.messageType, 'VXU^V04^VXU_V04');
    assert.equal(logged?.profile, 'Z22');
  });

  it('submitSingleMessage with a batch file answers a batch of ACKs, each message processed alone (issue 6)', async () => {
    const { hl7 } = await hl7Registry();
    const ids = [unique('SB'), unique('SB')];
    // XML parsers turn CR into LF: the batch arrives LF-separated, as real SOAP clients send it.
    const batch = [
      `FHS|^~\\&|EHR|${sender.facilityId}|IIS|STATE|20250101||||SF1`,
      `BHS|^~\\&|EHR|${sender.facilityId}|IIS|STATE|20250101||||SB1`,
      ...ids.map((id) => buildVxu({ facilityId: sender.facilityId, controlId: id })),
      'BTS|2',
      'FTS|1',
    ].join('\n');
    const [result] = (await client.submitSingleMessageAsync({ username: sender.username, password: sender.password, facilityID: sender.facilityId, hl7Message: batch })) as [
      { return: string },
    ];
    const segs = result.return.split('\r').filter(Boolean);
    assert.equal(segs[0]?.slice(0, 4), 'FHS|');
    assert.equal(segs[0]?.split('|')[11], 'SF1');
    assert.equal(segs[1]?.split('|')[11], 'SB1');
    assert.deepEqual(
      segs.filter((s) => s.startsWith('MSA|')).map((s) => s.split('|').slice(1, 3)),
      ids.map((id) => ['AA', id]),
    );
    assert.equal(segs.at(-2), 'BTS|2');
    assert.equal(segs.at(-1), 'FTS|1');
    const logged = (await hl7.messages.search({ sender: sender.facilityId })).filter((m) => ids.includes(m.controlId ?? ''));
    assert.equal(logged.length, 2, 'each message of the batch is its own log entry');
    assert.ok(logged.every((m) => m.transport === 'soap' && m.ackCode === 'AA' && m.profile === 'Z22'));
  });

  it('a wrong password is a SecurityFault', async () => {
    await assert.rejects(
      client.submitSingleMessageAsync({ username: sender.username, password: 'wrong-password', facilityID: sender.facilityId, hl7Message: 'MSH|^~\\&|' }),
      (err) => faultElement(err) === 'SecurityFault',
    );
  });

  it('a facilityID that is not the one of the username is a SecurityFault', async () => {
    const other = await registerTestSender();
    await assert.rejects(
      client.submitSingleMessageAsync({ username: sender.username, password: sender.password, facilityID: other.facilityId, hl7Message: 'MSH|^~\\&|' }),
      (err) => faultElement(err) === 'SecurityFault',
    );
  });

  it('an unknown username is a SecurityFault', async () => {
    await assert.rejects(
      client.submitSingleMessageAsync({ username: 'nobody-at-all', password: 'whatever-password', facilityID: '', hl7Message: 'MSH|^~\\&|' }),
      (err) => faultElement(err) === 'SecurityFault',
    );
  });

  it('a message above the configured limit is a MessageTooLargeFault', async () => {
    const big = buildVxu({ facilityId: sender.facilityId }) + `\rNTE|1||${'x'.repeat(TEST_MAX_BYTES)}`;
    await assert.rejects(
      client.submitSingleMessageAsync({ username: sender.username, password: sender.password, facilityID: sender.facilityId, hl7Message: big }),
      (err) => faultElement(err) === 'MessageTooLargeFault',
    );
  });

  it('garbage inside a valid envelope is answered with an AR ACK and logged', async () => {
    const { hl7 } = await hl7Registry();
    const [result] = (await client.submitSingleMessageAsync({ username: sender.username, password: sender.password, facilityID: sender.facilityId, hl7Message: 'not hl7 at all' })) as [
      { return: string },
    ];
    assert.match(result.return, /\rMSA\|AR(\||\r)/);
    const list = await hl7.messages.search({ sender: sender.facilityId, ackCode: 'AR' });
    assert.ok(list.some((m) => m.transport === 'soap'));
  });

  it('also answers the 2014 CDC WSDL (urn:cdc:iisb:2014) served at ?wsdl=2014', async () => {
    const c14 = await soap.createClientAsync(`${url}?wsdl=2014`, { forceSoap12Headers: true });
    c14.setEndpoint(url);
    const [echo] = (await c14.ConnectivityTestAsync({ EchoBack: 'hi 2014' })) as [{ EchoBack: string }];
    assert.equal(echo.EchoBack, 'hi 2014');
    const controlId = `S14${Date.now()}`;
    const [res] = (await c14.SubmitSingleMessageAsync({
      Username: sender.username,
      Password: sender.password,
      FacilityID: sender.facilityId,
      Hl7Message: buildVxu({ facilityId: sender.facilityId, controlId }),
    })) as [{ Hl7Message: string }];
    assert.match(res.Hl7Message, new RegExp(`\\rMSA\\|AA\\|${controlId}`));
    await assert.rejects(
      c14.SubmitSingleMessageAsync({ Username: sender.username, Password: 'nope-nope', FacilityID: sender.facilityId, Hl7Message: 'MSH|^~\\&|' }),
      (err) => faultElement(err) === 'SecurityFault',
    );
    const big = 'MSH|^~\\&|' + 'x'.repeat(TEST_MAX_BYTES);
    await assert.rejects(c14.SubmitSingleMessageAsync({ Username: sender.username, Password: sender.password, FacilityID: sender.facilityId, Hl7Message: big }), (err) => {
      const detail = (err as SoapError).root?.Envelope?.Body?.Fault?.Detail as { MessageTooLargeFault?: { MaxSize?: unknown } } | undefined;
      return Number(detail?.MessageTooLargeFault?.MaxSize) === TEST_MAX_BYTES;
    });
  });

  it('answers SOAP 1.1 (text/xml) in kind', async () => {
    const { app } = await hl7Registry();
    const body = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><connectivityTest xmlns="urn:cdc:iisb:2011"><echoBack>hello</echoBack></connectivityTest></s:Body></s:Envelope>`;
    const res = await app.inject({ method: 'POST', url: '/hl7/soap', headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: 'urn:cdc:iisb:2011:connectivityTest' }, payload: body });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/xml/);
    assert.match(res.body, /schemas\.xmlsoap\.org\/soap\/envelope/);
    assert.match(res.body, /<return>hello<\/return>/);
  });

  it('malformed XML, DTDs and unknown operations are faults, never a crash', async () => {
    const { app } = await hl7Registry();
    const cases: [string, RegExp][] = [
      ['<not-closed', /<fault xmlns="urn:cdc:iisb:2011">/],
      ['<!DOCTYPE x [<!ENTITY a "a">]><x>&a;</x>', /<fault xmlns="urn:cdc:iisb:2011">/],
      [
        '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><deleteEverything xmlns="urn:cdc:iisb:2011"/></e:Body></e:Envelope>',
        /UnsupportedOperationFault/,
      ],
      ['', /<fault xmlns="urn:cdc:iisb:2011">/],
    ];
    for (const [payload, expected] of cases) {
      const res = await app.inject({ method: 'POST', url: '/hl7/soap', headers: { 'content-type': 'application/soap+xml; charset=utf-8' }, payload });
      assert.ok(res.statusCode === 400 || res.statusCode === 500, `status ${res.statusCode}`);
      assert.match(res.body, /<soap:Fault>/);
      assert.match(res.body, expected);
    }
  });
});
