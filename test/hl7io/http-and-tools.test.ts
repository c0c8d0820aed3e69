import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildVxu } from '../helpers/hl7-samples.ts';
import { unique } from '../helpers/builders.ts';
import { hl7Registry, registerTestSender, type TestSender } from './hl7-app.ts';

after(async () => (await hl7Registry()).close());

async function post(body: string, headers: Record<string, string>): Promise<{ status: number; body: string; type: string }> {
  const { app } = await hl7Registry();
  const res = await app.inject({ method: 'POST', url: '/hl7/v2', headers, payload: body });
  return { status: res.statusCode, body: res.body, type: String(res.headers['content-type']) };
}

async function getJson(url: string, auth = 'Bearer admin'): Promise<{ status: number; body: Record<string, unknown> }> {
  const { app } = await hl7Registry();
  const res = await app.inject({ method: 'GET', url, headers: auth ? { authorization: auth } : {} });
  return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, unknown> };
}

describe('POST /hl7/v2', () => {
  let sender: TestSender;
  before(async () => {
    sender = await registerTestSender();
  });

  it('refuses a request without a bearer token (401)', async () => {
    const res = await post(buildVxu({ facilityId: sender.facilityId }), { 'content-type': 'x-application/hl7-v2+er7' });
    assert.equal(res.status, 401);
  });

  it('answers the ACK in the request content type, for ER7 and text/plain bodies', async () => {
    for (const ct of ['x-application/hl7-v2+er7', 'text/plain']) {
      const controlId = unique('H');
      const res = await post(buildVxu({ facilityId: sender.facilityId, controlId }), { 'content-type': ct, authorization: `Bearer org:${sender.organizationId}` });
      assert.equal(res.status, 200);
      assert.ok(res.type.startsWith(ct), res.type);
      assert.match(res.body, new RegExp(`\\rMSA\\|AA\\|${controlId}`));
    }
  });

  it('refuses, with an AR ACK, a message whose MSH-4 is a facility of another organization', async () => {
    const res = await post(buildVxu({ facilityId: sender.facilityId }), { 'content-type': 'x-application/hl7-v2+er7', authorization: 'Bearer org:someone-else' });
    assert.equal(res.status, 200);
    assert.match(res.body, /\rMSA\|AR\|/);
  });

  it('splits a batch file and answers a batch of ACKs, each message logged and checked as if sent alone (issue 6)', async () => {
    const { hl7 } = await hl7Registry();
    const other = await registerTestSender();
    const ids = [unique('HB'), unique('HB'), unique('HB')];
    const body = [
      `FHS|^~\\&|EHR|${sender.facilityId}|IIS|STATE|20250101||||HF1`,
      'BHS|^~\\&|EHR|' + sender.facilityId + '|||20250101||||HB1',
      buildVxu({ facilityId: sender.facilityId, controlId: ids[0] as string }),
      // MSH-4 of another organization: refused on its own, the rest of the batch still processed.
      buildVxu({ facilityId: other.facilityId, controlId: ids[1] as string }),
      buildVxu({ facilityId: sender.facilityId, controlId: ids[2] as string }),
      'BTS|3',
      'FTS|1',
    ].join('\r');
    const res = await post(body, { 'content-type': 'x-application/hl7-v2+er7', authorization: `Bearer org:${sender.organizationId}` });
    assert.equal(res.status, 200);
    const segs = res.body.split('\r').filter(Boolean);
    assert.deepEqual(segs[0]?.split('|').slice(0, 6), ['FHS', '^~\\&', 'IIS', 'STATE', 'EHR', sender.facilityId]);
    assert.equal(segs[0]?.split('|')[11], 'HF1');
    assert.equal(segs[1]?.split('|')[11], 'HB1');
    assert.equal(segs.filter((s) => s.startsWith('MSH|')).length, 3);
    const msas = segs.filter((s) => s.startsWith('MSA|')).map((s) => s.split('|').slice(1, 3));
    assert.deepEqual(msas, [
      ['AA', ids[0]],
      ['AR', ids[1]],
      ['AA', ids[2]],
    ]);
    assert.equal(segs.at(-2), 'BTS|3');
    assert.equal(segs.at(-1), 'FTS|1');
    const logged = (await hl7.messages.search({ sender: sender.facilityId })).filter((m) => ids.includes(m.controlId ?? ''));
    assert.deepEqual(logged.map((m) => m.controlId).sort(), [ids[0], ids[2]].sort(), 'each message of the batch is its own log entry');
    assert.ok(logged.every((m) => m.transport === 'http' && m.ackCode === 'AA' && m.messageType === 'VXU^V04^VXU_V04'));
  });

  it('answers garbage with an AR ACK and logs it', async () => {
    const { hl7 } = await hl7Registry();
    const org = unique('org');
    const res = await post('\u0000\u0001 definitely not HL7', { 'content-type': 'text/plain', authorization: `Bearer org:${org}` });
    assert.equal(res.status, 200);
    assert.match(res.body, /\rMSA\|AR(\||\r)/);
    const logged = await hl7.messages.search({ sender: `client-${org}` });
    assert.equal(logged.length, 1);
    assert.equal(logged[0]?.transport, 'http');
    assert.equal((await hl7.messages.get(logged[0]?.id ?? ''))?.raw.includes('definitely not HL7'), true);
  });
});

describe('message tools API', () => {
  let sender: TestSender;
  const from = new Date(Date.now() - 1000).toISOString();
  before(async () => {
    sender = await registerTestSender();
    const auth = { authorization: `Bearer org:${sender.organizationId}`, 'content-type': 'x-application/hl7-v2+er7' };
    await post(buildVxu({ facilityId: sender.facilityId, controlId: 'TOOLS-1' }), auth);
    await post(buildVxu({ facilityId: sender.facilityId, controlId: 'TOOLS-2' }), auth);
    await post(buildVxu({ facilityId: sender.facilityId, controlId: '' }), auth);
  });

  it('is for administrators only', async () => {
    assert.equal((await getJson('/hl7/messages', 'Bearer org:x')).status, 403);
    assert.equal((await getJson('/hl7/messages/report', '')).status, 403);
  });

  it('lists messages by sender, type and ACK code, without bodies', async () => {
    const all = await getJson(`/hl7/messages?sender=${sender.facilityId}`);
    assert.equal(all.status, 200);
    const items = all.body.items as Record<string, unknown>[];
    assert.equal(items.length, 3);
    assert.equal(items[0]?.raw, undefined);
    const ar = await getJson(`/hl7/messages?sender=${sender.facilityId}&ack=AR`);
    assert.equal((ar.body.items as unknown[]).length, 1);
    const vxu = await getJson(`/hl7/messages?sender=${sender.facilityId}&type=VXU^V04&_count=2`);
    assert.equal((vxu.body.items as unknown[]).length, 2);
    const qbp = await getJson(`/hl7/messages?sender=${sender.facilityId}&type=QBP`);
    assert.equal((qbp.body.items as unknown[]).length, 0);
    const later = await getJson(`/hl7/messages?sender=${sender.facilityId}&from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    assert.equal((later.body.items as unknown[]).length, 0);
    const paged = await getJson(`/hl7/messages?sender=${sender.facilityId}&_count=2&_offset=2`);
    assert.equal((paged.body.items as unknown[]).length, 1);
  });

  it('returns one message with its raw text and reply', async () => {
    const list = await getJson(`/hl7/messages?sender=${sender.facilityId}&ack=AA`);
    const id = (list.body.items as { id: string }[])[0]?.id;
    const one = await getJson(`/hl7/messages/${id}`);
    assert.equal(one.status, 200);
    assert.match(String(one.body.raw), /^MSH\|/);
    assert.match(String(one.body.reply), /MSA\|AA\|TOOLS-/);
    assert.equal((await getJson('/hl7/messages/no-such-id')).status, 404);
  });

  it('reports counts by sender, profile and ACK code, and by error code', async () => {
    const res = await getJson(`/hl7/messages/report?from=${encodeURIComponent(from)}&sender=${sender.facilityId}`);
    assert.equal(res.status, 200);
    const rows = res.body.bySender as { sender: string; profile: string; ackCode: string; count: number }[];
    assert.deepEqual(
      rows.map((r) => [r.sender, r.profile, r.ackCode, r.count]),
      [
        [sender.facilityId, 'Z22', 'AA', 2],
        [sender.facilityId, 'Z22', 'AR', 1],
      ],
    );
    // The missing MSH-10 of the third message; the registry may add informational codes (e.g. a dose already on record).
    assert.ok((res.body.byErrorCode as { code: string; count: number }[]).some((r) => r.code === '101' && r.count === 1), JSON.stringify(res.body.byErrorCode));
  });

  it('rejects bad query values with 400', async () => {
    assert.equal((await getJson('/hl7/messages?from=yesterday')).status, 400);
    assert.equal((await getJson('/hl7/messages?_count=-1')).status, 400);
  });
});
