import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { buildAck } from '../../src/hl7v2/transport/ack.ts';
import { buildBatchReply, splitBatch } from '../../src/hl7v2/transport/batch.ts';
import { outcomeOfReply, readAckSummary, readHeader } from '../../src/hl7v2/transport/er7-header.ts';
import { frameMllp, MllpDecoder } from '../../src/hl7v2/transport/mllp-framing.ts';
import { createHl7Pipeline, withHeader } from '../../src/hl7v2/transport/pipeline.ts';
import { buildVxu } from '../helpers/hl7-samples.ts';
import { unique } from '../helpers/builders.ts';
import { hl7Registry } from './hl7-app.ts';

after(async () => (await hl7Registry()).close());

function decodeAll(bytes: Buffer, chunk: number, max = 1_000_000): { frames: string[]; oversize: number[] } {
  const frames: string[] = [];
  const oversize: number[] = [];
  const d = new MllpDecoder(max, { frame: (b) => frames.push(b.toString('utf8')), oversize: (_h, n) => oversize.push(n) });
  for (let i = 0; i < bytes.length; i += chunk) d.push(bytes.subarray(i, i + chunk));
  return { frames, oversize };
}

describe('MLLP framing', () => {
  it('decodes the same frames whatever the chunk size, dropping bytes between frames', () => {
    const bytes = Buffer.concat([Buffer.from('noise'), frameMllp('MSH|a\rPID|1'), Buffer.from('\r\n\x1c\r junk'), frameMllp('MSH|b'), frameMllp('MSH|c\x1cd')]);
    for (const size of [1, 2, 3, 7, 1000]) {
      assert.deepEqual(decodeAll(bytes, size).frames, ['MSH|a\rPID|1', 'MSH|b', 'MSH|c\x1cd'], `chunk ${size}`);
    }
  });

  it('reports oversize frames without keeping them, and a new start block restarts a truncated frame', () => {
    const bytes = Buffer.concat([frameMllp('x'.repeat(50)), Buffer.from([0x0b]), Buffer.from('trunc'), frameMllp('ok')]);
    const out = decodeAll(bytes, 4, 20);
    assert.deepEqual(out.oversize, [50]);
    assert.deepEqual(out.frames, ['ok']);
  });
});

describe('ER7 header and ACK', () => {
  it('reads MSH-4, MSH-9, MSH-10 and MSH-21 of a VXU', () => {
    const h = readHeader(buildVxu({ facilityId: 'FAC1', controlId: 'CTRL1' }));
    assert.equal(h?.sendingFacilityId, 'FAC1');
    assert.equal(h?.messageType, 'VXU^V04^VXU_V04');
    assert.equal(h?.controlId, 'CTRL1');
    assert.equal(h?.profile, 'Z22');
    assert.equal(readHeader('PID|1'), undefined);
    assert.equal(readHeader(''), undefined);
  });

  it('builds an ACK that swaps sender and receiver and reads back its codes', () => {
    const h = readHeader(buildVxu({ facilityId: 'FAC1', controlId: 'CTRL1' }));
    const ack = buildAck({ ...(h ? { header: h } : {}), code: 'AE', error: { code: '207', text: 'bad | thing' } });
    const [msh, msaSeg, err] = ack.split('\r');
    assert.equal(msh?.split('|')[2], 'NISTIISAPP');
    assert.equal(msh?.split('|')[5], 'FAC1');
    assert.equal(msaSeg, 'MSA|AE|CTRL1');
    assert.match(err ?? '', /^ERR\|\|\|207\^Application internal error\^HL70357\|E\|\|\|\|bad \\F\\ thing$/);
    assert.deepEqual(readAckSummary(ack), { ackCode: 'AE', errorCodes: ['207'] });
    assert.deepEqual(readAckSummary('MSH|^~\\&\rMSA|AE|1\rERR|||102^x^HL70357|W|APP9^y\rERR|||102'), { ackCode: 'AE', errorCodes: ['102', 'app:APP9'] });
  });

  it('splits a batch and builds its reply', () => {
    const b = splitBatch('FHS|^~\\&|EHR^1.2^ISO|CLINIC|IIS|STATE|||||F9\rBHS|^~\\&|||||||||B9\rMSH|^~\\&|1\rPID|1\rMSH|^~\\&|2\rBTS|2\rFTS|1');
    assert.deepEqual(b, {
      fileControlId: 'F9',
      batchControlId: 'B9',
      parties: { sendingApplication: 'EHR^1.2^ISO', sendingFacility: 'CLINIC', receivingApplication: 'IIS', receivingFacility: 'STATE' },
      messages: ['MSH|^~\\&|1\rPID|1\r', 'MSH|^~\\&|2\r'],
    });
    const reply = buildBatchReply(b, ['MSH|x\rMSA|AA|1\r', 'MSH|y\rMSA|AA|2\r']).split('\r');
    assert.equal(reply.filter((s) => s.startsWith('MSA')).length, 2);
    // HL7 v2.5.1 §2.10.3: sender and receiver swapped, FHS-12/BHS-12 reference the batch, BTS-1 counts messages.
    assert.deepEqual(reply[0]?.split('|').slice(2, 6), ['IIS', 'STATE', 'EHR^1.2^ISO', 'CLINIC']);
    assert.equal(reply[0]?.split('|')[11], 'F9');
    assert.equal(reply[1]?.split('|')[11], 'B9');
    assert.equal(reply.at(-3), 'BTS|2');
    assert.equal(reply.at(-2), 'FTS|1');
  });
});

describe('message pipeline', () => {
  it('stores the message before processing, then the reply with codes and touched resources', async () => {
    const { hl7 } = await hl7Registry();
    let seenBefore = false;
    const facilityId = unique('PF');
    const handle = createHl7Pipeline({
      store: hl7.messages,
      processor: async (msg) => {
        seenBefore = (await hl7.messages.search({ sender: facilityId })).some((m) => m.status === 'received');
        const header = readHeader(msg.raw);
        return { reply: buildAck({ ...(header ? { header } : {}), code: 'AE', error: { code: '103', text: 'x' } }), touched: ['Patient/p1', 'Immunization/i1'] };
      },
    });
    await handle({ raw: buildVxu({ facilityId }), transport: 'mllp', receivedAt: new Date(), sender: { facilityId, organizationId: 'o', name: 'n' } });
    assert.ok(seenBefore, 'logged as received before the processor ran');
    const [m] = await hl7.messages.search({ sender: facilityId });
    assert.equal(m?.status, 'processed');
    assert.equal(m?.ackCode, 'AE');
    assert.deepEqual(m?.errorCodes, ['103']);
    assert.deepEqual(m?.touched, ['Patient/p1', 'Immunization/i1']);
  });

  it('hands the processor the log id, and leaves the log alone when the processor logged its reply with its data', async () => {
    const { hl7 } = await hl7Registry();
    const facilityId = unique('PF');
    let handed: string | undefined;
    const handle = createHl7Pipeline({
      store: hl7.messages,
      processor: async (msg) => {
        handed = msg.messageId;
        const reply = buildAck({ ...withHeader(msg.raw), code: 'AA' });
        // What the registry's processor does inside the transaction that stores the message's data.
        await hl7.messages.saveReply(msg.messageId as string, outcomeOfReply(reply, ['Patient/in-transaction']));
        return { reply, touched: ['Patient/not-saved-again'], logged: true };
      },
    });
    await handle({ raw: buildVxu({ facilityId }), transport: 'mllp', receivedAt: new Date(), sender: { facilityId, organizationId: 'o', name: 'n' } });
    const [m] = await hl7.messages.search({ sender: facilityId });
    assert.equal(handed, m?.id);
    assert.equal(m?.status, 'processed');
    assert.equal(m?.ackCode, 'AA');
    assert.deepEqual(m?.touched, ['Patient/in-transaction']);
  });

  it('answers AR with ERR 207 and marks the message failed when the processor throws', async () => {
    const { hl7 } = await hl7Registry();
    const facilityId = unique('PF');
    const errors: string[] = [];
    const handle = createHl7Pipeline({ store: hl7.messages, processor: async () => Promise.reject(new Error('boom')), onError: (id) => errors.push(id) });
    const controlId = unique('C');
    const reply = await handle({ raw: buildVxu({ facilityId, controlId }), transport: 'soap', receivedAt: new Date() });
    assert.match(reply, new RegExp(`\\rMSA\\|AR\\|${controlId}\\r`));
    assert.match(reply, /\rERR\|\|\|207\^/);
    const [m] = await hl7.messages.search({ sender: facilityId });
    assert.equal(m?.status, 'failed');
    assert.deepEqual(m?.errorCodes, ['207']);
    assert.deepEqual(errors, [m?.id]);
  });

  it('hands the processor CR-separated segments whatever the line endings, and stores the text as received', async () => {
    const { hl7 } = await hl7Registry();
    let seen = '';
    const handle = createHl7Pipeline({ store: hl7.messages, processor: async (m) => ((seen = m.raw), 'MSH|^~\\&\rMSA|AA|x\r') });
    const remoteAddress = unique('addr');
    await handle({ raw: 'MSH|^~\\&|a\r\nPID|1\nPV1|1', transport: 'http', receivedAt: new Date(), remoteAddress });
    assert.equal(seen, 'MSH|^~\\&|a\rPID|1\rPV1|1');
    const m = (await hl7.messages.search({ count: 20 })).find((x) => x.remoteAddress === remoteAddress);
    assert.equal((await hl7.messages.get(m?.id ?? ''))?.raw, 'MSH|^~\\&|a\r\nPID|1\nPV1|1');
  });

  it('stores input with NUL bytes (PostgreSQL text cannot hold them)', async () => {
    const { hl7 } = await hl7Registry();
    const handle = createHl7Pipeline({ store: hl7.messages, processor: async () => 'MSH|^~\\&\rMSA|AR|\r' });
    const remoteAddress = unique('addr');
    await handle({ raw: 'a\u0000b', transport: 'http', receivedAt: new Date(), remoteAddress });
    const m = (await hl7.messages.search({ count: 20 })).find((x) => x.remoteAddress === remoteAddress);
    assert.equal((await hl7.messages.get(m?.id ?? ''))?.raw, 'a\uFFFDb');
  });
});
