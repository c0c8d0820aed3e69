import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConnection } from 'node:net';
import { Client, Message } from 'node-hl7-client';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { frameMllp } from '../../src/hl7v2/transport/mllp-framing.ts';
import { startMllpServer, type MllpServer } from '../../src/hl7v2/transport/mllp-server.ts';
import { openTestPglite } from '../helpers/pglite-template.ts';
import { buildVxu } from '../helpers/hl7-samples.ts';
import { MllpTestClient } from '../helpers/mllp-client.ts';
import { unique } from '../helpers/builders.ts';
import { hl7Registry, registerTestSender, TEST_MAX_BYTES, type TestSender } from './hl7-app.ts';

after(async () => (await hl7Registry()).close());

function msa(reply: string): { code?: string; controlId?: string } {
  const seg = reply.split('\r').find((s) => s.startsWith('MSA|'));
  const f = seg?.split('|') ?? [];
  return { ...(f[1] ? { code: f[1] } : {}), ...(f[2] ? { controlId: f[2] } : {}) };
}

describe('MLLP transport', () => {
  let server: MllpServer;
  let sender: TestSender;

  before(async () => {
    const { hl7 } = await hl7Registry();
    sender = await registerTestSender();
    server = await startMllpServer({ host: '127.0.0.1', port: 0, maxBytes: TEST_MAX_BYTES, handle: hl7.handle, store: hl7.messages, senders: hl7.senders });
  });
  after(async () => {
    await server.close();
  });

  it('answers a VXU with an ACK echoing MSH-10, and logs message and reply', async () => {
    const { hl7 } = await hl7Registry();
    const c = await MllpTestClient.connect(server.port);
    const controlId = unique('MLLP');
    const reply = await c.send(buildVxu({ facilityId: sender.facilityId, controlId }));
    await c.close();
    assert.deepEqual(msa(reply), { code: 'AA', controlId });
    const [logged] = await hl7.messages.search({ sender: sender.facilityId, type: 'VXU' });
    assert.equal(logged?.controlId, controlId);
    assert.equal(logged?.transport, 'mllp');
    const full = await hl7.messages.get(logged?.id ?? '');
    assert.equal(full?.reply, reply);
    assert.match(full?.raw ?? '', /^MSH\|/);
  });

  it('serves several connections at once, several messages per connection, replies in order', async () => {
    const clients = await Promise.all([1, 2, 3, 4].map(() => MllpTestClient.connect(server.port)));
    await Promise.all(
      clients.map(async (c) => {
        const ids = [1, 2, 3].map(() => unique('M'));
        for (const id of ids) c.writeRaw(frameMllp(buildVxu({ facilityId: sender.facilityId, controlId: id })));
        for (const id of ids) assert.equal(msa(await c.nextReply()).controlId, id);
        await c.close();
      }),
    );
  });

  it('reassembles frames split across TCP chunks, even byte by byte, and frames coalesced in one chunk', async () => {
    const c = await MllpTestClient.connect(server.port);
    const id1 = unique('S');
    const frame = frameMllp(buildVxu({ facilityId: sender.facilityId, controlId: id1 }));
    for (let i = 0; i < frame.length; i += 97) {
      c.writeRaw(frame.subarray(i, i + 97));
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(msa(await c.nextReply()).controlId, id1);
    // End block split between FS and CR.
    const id2 = unique('S');
    const f2 = frameMllp(buildVxu({ facilityId: sender.facilityId, controlId: id2 }));
    c.writeRaw(f2.subarray(0, f2.length - 1));
    await new Promise((r) => setTimeout(r, 20));
    c.writeRaw(f2.subarray(f2.length - 1));
    assert.equal(msa(await c.nextReply()).controlId, id2);
    const id3 = unique('S');
    const id4 = unique('S');
    c.writeRaw(Buffer.concat([frameMllp(buildVxu({ facilityId: sender.facilityId, controlId: id3 })), frameMllp(buildVxu({ facilityId: sender.facilityId, controlId: id4 }))]));
    assert.equal(msa(await c.nextReply()).controlId, id3);
    assert.equal(msa(await c.nextReply()).controlId, id4);
    await c.close();
  });

  it('answers a batch file with a batch of ACKs, one per message', async () => {
    const c = await MllpTestClient.connect(server.port);
    const ids = [unique('B'), unique('B'), unique('B')];
    const batch = [
      'FHS|^~\\&|APP|' + sender.facilityId + '|||20250101||||F1',
      'BHS|^~\\&|APP|' + sender.facilityId + '|||20250101||||B1',
      ...ids.map((id) => buildVxu({ facilityId: sender.facilityId, controlId: id })),
      'BTS|3',
      'FTS|1',
    ].join('\r');
    const reply = await c.send(batch);
    await c.close();
    const segs = reply.split('\r').filter(Boolean);
    assert.equal(segs[0]?.slice(0, 3), 'FHS');
    assert.equal(segs[0]?.split('|')[11], 'F1');
    assert.equal(segs[1]?.slice(0, 3), 'BHS');
    const msas = segs.filter((s) => s.startsWith('MSA|')).map((s) => s.split('|'));
    assert.deepEqual(
      msas.map((f) => [f[1], f[2]]),
      ids.map((id) => ['AA', id]),
    );
    assert.ok(segs.includes('BTS|3'));
    assert.equal(segs.at(-1), 'FTS|1');
  });

  it('answers garbage and unknown senders with AR, logs them, and ignores bytes between frames', async () => {
    const { hl7 } = await hl7Registry();
    const c = await MllpTestClient.connect(server.port);
    c.writeRaw(Buffer.from('random noise \x00\xff outside any frame\r\n'));
    const garbage = await c.send(`garbage ${unique('G')} \x00 not hl7`);
    assert.equal(msa(garbage).code, 'AR');
    assert.match(garbage, /\rERR\|\|\|100\^/);
    const stranger = unique('NOFAC');
    const unknown = await c.send(buildVxu({ facilityId: stranger, controlId: unique('U') }));
    assert.equal(msa(unknown).code, 'AR');
    const ok = await c.send(buildVxu({ facilityId: sender.facilityId, controlId: unique('OK') }));
    assert.equal(msa(ok).code, 'AA', 'the connection still works');
    await c.close();
    const logged = await hl7.messages.search({ sender: stranger });
    assert.equal(logged.length, 1);
    assert.equal(logged[0]?.ackCode, 'AR');
    assert.deepEqual(logged[0]?.errorCodes, ['207']);
    const garbageLogged = (await hl7.messages.search({ ackCode: 'AR', count: 50 })).find((m) => m.transport === 'mllp' && m.errorCodes.includes('100'));
    assert.ok(garbageLogged, 'the garbage frame is stored');
    assert.match((await hl7.messages.get(garbageLogged.id))?.raw ?? '', /^garbage /);
  });

  it('answers an oversize frame with AR without buffering it, then keeps serving', async () => {
    const c = await MllpTestClient.connect(server.port);
    const id = unique('BIG');
    const big = buildVxu({ facilityId: sender.facilityId, controlId: id }) + `\rNTE|1||${'x'.repeat(TEST_MAX_BYTES * 3)}`;
    const reply = await c.send(big);
    assert.deepEqual(msa(reply), { code: 'AR', controlId: id });
    assert.match(reply, /exceeds the limit/);
    assert.equal(msa(await c.send(buildVxu({ facilityId: sender.facilityId }))).code, 'AA');
    await c.close();
  });

  it('works with node-hl7-client as the sender', async () => {
    const client = new Client({ host: '127.0.0.1' });
    const controlId = unique('NC');
    const got = new Promise<string>((resolve) => {
      const conn = client.createConnection({ port: server.port, maxConnectionAttempts: 3 }, (res) => resolve(res.getMessage().toString()));
      void conn.sendMessage(new Message({ text: buildVxu({ facilityId: sender.facilityId, controlId }) }));
    });
    const reply = await Promise.race([got, new Promise<string>((_r, reject) => setTimeout(() => reject(new Error('no ACK')), 10_000))]);
    client.closeAll();
    assert.deepEqual(msa(reply), { code: 'AA', controlId });
  });

  it('frames still queued when their connection is gone are not started (nobody could get their ACK)', async () => {
    const { hl7 } = await hl7Registry();
    const ids = [1, 2, 3].map(() => unique('GONE'));
    const socket = createConnection({ host: '127.0.0.1', port: server.port });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // Three frames in one write, then the sender hangs up before any ACK.
    socket.end(ids.map((id) => frameMllp(buildVxu({ facilityId: sender.facilityId, controlId: id }))).join(''));
    const logged = async (): Promise<string[]> => (await hl7.messages.search({ sender: sender.facilityId, type: 'VXU', count: 1000 })).map((m) => m.controlId ?? '');
    await new Promise((r) => setTimeout(r, 1_000));
    // A later message on another connection is answered, so the server has moved past the abandoned frames.
    const c = await MllpTestClient.connect(server.port);
    const later = unique('AFTER');
    assert.equal(msa(await c.send(buildVxu({ facilityId: sender.facilityId, controlId: later }))).code, 'AA');
    await c.close();
    const seen = await logged();
    assert.ok(seen.includes(later));
    assert.ok(!seen.includes(ids[2] as string), 'the last queued frame is never started');
  });

  it('a peer that disconnects mid-frame does not disturb the server', async () => {
    const c = await MllpTestClient.connect(server.port);
    c.writeRaw(frameMllp(buildVxu({ facilityId: sender.facilityId })).subarray(0, 100));
    c.socket.destroy();
    const d = await MllpTestClient.connect(server.port);
    assert.equal(msa(await d.send(buildVxu({ facilityId: sender.facilityId }))).code, 'AA');
    await d.close();
  });
});

describe('MLLP listener lifecycle', () => {
  it('starts when the app listens and stops when it closes', async () => {
    const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', SEED_DEMO_DATA: 'false', MLLP_ENABLED: 'true', MLLP_PORT: '0', MLLP_HOST: '127.0.0.1' });
    const registry = await buildApp(config, config.databaseUrl ? {} : { db: await openTestPglite() });
    assert.equal(registry.hl7.mllp(), undefined);
    await registry.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (await registry.hl7.mllpStarted())?.port ?? 0;
    assert.ok(port > 0);
    const c = await MllpTestClient.connect(port);
    assert.equal(msa(await c.send('MSH|^~\\&|A|UNREGISTERED|||20250101||VXU^V04^VXU_V04|X1|P|2.5.1')).code, 'AR');
    await c.close();
    await registry.close();
    assert.equal(registry.hl7.mllp(), undefined);
  });
});
