import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AuditEvent, Bundle, Immunization, Patient, Provenance } from '@medplum/fhirtypes';
import { loadCodeTables } from '../../src/hl7v2/load-code-tables.ts';
import { createHl7Processor, type Hl7Inbound, type Hl7Outcome } from '../../src/registry/hl7/processor.ts';
import type { SenderIdentity } from '../../src/registry/hl7/sender-context.ts';
import { sameVaccineGroupFrom } from '../../src/registry/hl7/vaccine-group.ts';
import { unique } from '../helpers/builders.ts';
import { request, testRegistry } from '../helpers/registry.ts';
import { lines, nistText } from '../hl7v2/nist.ts';

after(async () => (await testRegistry()).close());

const seg = (reply: string, name: string): string[][] => lines(reply).filter((l) => l[0] === name);
const msa = (reply: string): string => seg(reply, 'MSA')[0]?.[1] ?? '';

/** Makes a NIST message unique to this run: new control id and patient identifiers, so runs do not collide. */
function fresh(name: string, tag: string): string {
  return nistText(name)
    .replace(/\r?\n/g, '\r')
    .replace(/^(MSH(?:\|[^|\r]*){8}\|)([^|\r]*)/m, `$1$2-${tag}`)
    .replace(/^(PID\|[^|]*\|[^|]*\|)([^|^\r]+)/m, `$1$2${tag}`);
}

describe('HL7 v2 processing path: VXU intake and QBP answers against the NIST messages', () => {
  let process: (m: Hl7Inbound) => Promise<Hl7Outcome>;
  let sender: SenderIdentity;
  const send = (raw: string, who: SenderIdentity | null = sender): Promise<Hl7Outcome> => process({ raw, receivedAt: new Date(), ...(who ? { sender: who } : {}) });

  before(async () => {
    const reg = await testRegistry();
    const forecast = reg.services.forecast;
    assert.ok(forecast);
    process = createHl7Processor({
      services: reg.services,
      repo: reg.repo,
      tables: await loadCodeTables(),
      sendingApp: 'TEST-IIS',
      sendingFacility: 'TEST-IIS',
      iisAuthority: 'TEST-IIS',
      sameVaccineGroup: sameVaccineGroupFrom(forecast.data.cvxToAntigens),
    });
    const org = await request('POST', '/fhir/Organization', { resourceType: 'Organization', name: 'NIST EHR facility' });
    sender = { organizationId: org.body.id as string, facilityId: unique('FAC'), name: 'NIST EHR facility' };
  });

  it('accepts every NIST ONC 2015 VXU with the expected MSA-1 and stores the doses field by field', async () => {
    for (const n of [1, 2, 3, 4, 5, 6]) {
      const tag = unique('R');
      const out = await send(fresh(`nist-onc2015-iz-ad-${n}.1-send-v04-z22`, tag));
      const expected = msa(nistText(`nist-onc2015-iz-ad-${n}.2-receive-ack-z23`).replace(/\r?\n/g, '\r'));
      assert.equal(msa(out.reply), expected, `iz-ad-${n}: ${out.reply}`);
      assert.ok(out.touched.some((t) => t.startsWith('Patient/')), `iz-ad-${n} stored a patient`);
    }
    const tag = unique('R');
    const out = await send(fresh('nist-onc2015-iz-ad-1.1-send-v04-z22', tag));
    assert.equal(msa(out.reply), 'AA');
    assert.equal(seg(out.reply, 'MSA')[0]?.[2], lines(fresh('nist-onc2015-iz-ad-1.1-send-v04-z22', tag))[0]?.[9]);
    const pid = out.touched.find((t) => t.startsWith('Patient/')) as string;
    const patient = (await request('GET', `/fhir/${pid}`)).body as unknown as Patient;
    assert.equal(patient.birthDate, lines(nistText('nist-onc2015-iz-ad-1.1-send-v04-z22').replace(/\r?\n/g, '\r')).find((l) => l[0] === 'PID')?.[7]?.replace(/^(\d{4})(\d{2})(\d{2}).*/, '$1-$2-$3'));
    const imms = ((await request('GET', `/fhir/Immunization?patient=${pid}&_count=50`)).body as unknown as Bundle).entry?.map((e) => e.resource as Immunization) ?? [];
    const rxas = seg(fresh('nist-onc2015-iz-ad-1.1-send-v04-z22', tag), 'RXA').filter((r) => !r[5]?.startsWith('998'));
    assert.equal(imms.length, rxas.length);
    for (const rxa of rxas) {
      const cvx = rxa[5]?.split('^')[0];
      const imm = imms.find((i) => i.vaccineCode.coding?.some((c) => c.code === cvx) && i.occurrenceDateTime?.slice(0, 10).replace(/-/g, '') === rxa[3]?.slice(0, 8));
      assert.ok(imm, `dose CVX ${cvx} on ${rxa[3]}`);
      assert.equal(imm.primarySource, rxa[9]?.startsWith('00'));
      if (rxa[15]) assert.equal(imm.lotNumber, rxa[15]);
    }
    const prov = ((await request('GET', `/fhir/Provenance?target=${pid}`)).body as unknown as Bundle).entry?.map((e) => e.resource as Provenance) ?? [];
    // The loop above sent the same person (same demographics, other MRN): identified by demographics, one record.
    assert.ok(prov.length >= 1);
    assert.ok(prov.every((p) => p.agent[0]?.who?.reference === `Organization/${sender.organizationId}`));
  });

  it('records ORC-10 entered by / ORC-17 entering organization as a Provenance of the doses (issue 6)', async () => {
    const out = await send(fresh('nist-onc2015-iz-ad-1.1-send-v04-z22', unique('E')));
    assert.equal(msa(out.reply), 'AA');
    const doses = out.touched.filter((t) => t.startsWith('Immunization/'));
    assert.equal(doses.length, 5);
    const prov = ((await request('GET', `/fhir/Provenance?target=${doses[0]}`)).body as unknown as Bundle).entry?.map((e) => e.resource as Provenance) ?? [];
    const entered = prov.find((p) => p.agent.some((a) => a.type?.coding?.[0]?.code === 'enterer'));
    assert.ok(entered, 'a Provenance with the enterer');
    const enterer = entered.agent.find((a) => a.type?.coding?.[0]?.code === 'enterer');
    assert.equal(enterer?.who.identifier?.value, '7824');
    assert.equal(enterer?.who.display, 'Lily Suzanne Jackson');
    assert.equal(enterer?.onBehalfOf?.identifier?.value, 'NISTEHRFAC');
    assert.equal(entered.agent.find((a) => a.type?.coding?.[0]?.code === 'author')?.who.reference, `Organization/${sender.organizationId}`);
    // Every ORC of iz-ad-1.1 names the same enterer: one Provenance targets all five doses.
    assert.deepEqual(entered.target.map((t) => t.reference).sort(), [...doses].sort());
    const imm = (await request('GET', `/fhir/${doses[0]}`)).body as unknown as Immunization;
    assert.equal(imm.performer?.find((p) => p.function?.coding?.[0]?.code === 'OP')?.actor.identifier?.value, '654');
  });

  it('audits a VXU as one event listing the patient and every resource written, once committed (issue 6 item 9)', async () => {
    // A new person (family name made unique too), so no earlier message's events name the same patient.
    const tag = unique('A').replace(/[^A-Za-z0-9]/g, '');
    const out = await send(fresh('nist-onc2015-iz-ad-1.1-send-v04-z22', tag).replace(/^(PID(?:\|[^|\r]*){4}\|)([^|^\r]+)/m, `$1$2${tag}`));
    assert.equal(msa(out.reply), 'AA');
    const pid = out.touched.find((t) => t.startsWith('Patient/')) as string;
    await (await testRegistry()).services.audit?.flush();
    const events = ((await request('GET', `/fhir/AuditEvent?entity=${pid}&_count=100`)).body as unknown as Bundle).entry?.map((e) => e.resource as AuditEvent) ?? [];
    const writes = events.filter((e) => e.subtype?.[0]?.code === 'transaction');
    assert.equal(writes.length, 1, 'one event for the message');
    assert.equal(writes[0]?.outcome, '0');
    const refs = new Set(writes[0]?.entity?.map((x) => x.what?.reference));
    for (const t of out.touched) assert.ok(refs.has(t), `${t} in the audit event`);
    assert.ok([...refs].some((r) => r?.startsWith('Provenance/')), 'the Provenance written is audited too');
  });

  it('the same message twice updates rather than duplicates; action code D marks the dose entered-in-error', async () => {
    const tag = unique('D');
    const raw = fresh('nist-onc2015-iz-ad-2.1-send-v04-z22', tag);
    const first = await send(raw);
    const second = await send(raw.replace(/^(MSH(?:\|[^|\r]*){8}\|)([^|\r]*)/m, '$1$2-again'));
    assert.equal(msa(second.reply), 'AA');
    const pid = first.touched.find((t) => t.startsWith('Patient/')) as string;
    assert.equal(second.touched.find((t) => t.startsWith('Patient/')), pid);
    const count = async (): Promise<Immunization[]> => ((await request('GET', `/fhir/Immunization?patient=${pid}&_count=100`)).body as unknown as Bundle).entry?.map((e) => e.resource as Immunization) ?? [];
    const before = await count();
    assert.equal(before.length, first.touched.filter((t) => t.startsWith('Immunization/')).length);
    const deletion = raw.replace(/^(MSH(?:\|[^|\r]*){8}\|)([^|\r]*)/m, '$1$2-del').replace(/^(RXA(?:\|[^|\r]*){20}\|)A/m, '$1D');
    const del = await send(deletion);
    assert.ok(['AA', 'AE'].includes(msa(del.reply)));
    const after = await count();
    assert.equal(after.length, before.length);
    assert.equal(after.filter((i) => i.status === 'entered-in-error').length, 1);
  });

  it('a message re-sent unchanged adds no versions and no second observation; a changed dose in it is updated', async () => {
    // A new person (family name made unique too), so the demographic match cannot pick an earlier test's patient.
    const tag = unique('N').replace(/[^A-Za-z0-9]/g, '');
    const raw = `${fresh('nist-onc2015-iz-ad-1.1-send-v04-z22', tag).replace(/^(PID(?:\|[^|\r]*){4}\|)([^|^\r]+)/m, `$1$2${tag}`).replace(/\r+$/, '')}\rOBX|9|CE|59784-9^Disease with presumed immunity^LN|9|38907003^Varicella infection^SCT||||||F|||20200101\r`;
    const first = await send(raw);
    const observations = async (): Promise<number> => {
      const patient = first.touched.find((t) => t.startsWith('Patient/')) as string;
      return ((await request('GET', `/fhir/Observation?subject=${patient}&_count=100`)).body as unknown as Bundle).entry?.length ?? 0;
    };
    const observed = await observations();
    assert.equal(observed, 1, 'the presumed immunity is kept');
    assert.equal(msa(first.reply), 'AA');
    const version = async (ref: string): Promise<string | undefined> => ((await request('GET', `/fhir/${ref}`)).body as unknown as Patient).meta?.versionId;
    const concerned = first.touched.filter((t) => /^(Patient|Immunization|RelatedPerson)\//.test(t));
    assert.ok(concerned.some((t) => t.startsWith('Immunization/')) && concerned.some((t) => t.startsWith('Patient/')));
    const before = await Promise.all(concerned.map(version));
    const again = await send(raw.replace(/^(MSH(?:\|[^|\r]*){8}\|)([^|\r]*)/m, '$1$2-again'));
    assert.equal(msa(again.reply), 'AA');
    assert.equal(await observations(), observed, 'the resent observation is not stored twice');
    for (const [i, ref] of concerned.entries()) {
      assert.ok(again.touched.includes(ref), `${ref} is still among what the message concerned`);
      assert.equal(await version(ref), before[i], `${ref} has no new version`);
    }
    const lot = raw.replace(/^(RXA(?:\|[^|\r]*){14}\|)([^|\r]*)/m, '$1$2X').replace(/^(MSH(?:\|[^|\r]*){8}\|)([^|\r]*)/m, '$1$2-lot');
    assert.equal(msa((await send(lot)).reply), 'AA');
    const after = await Promise.all(concerned.map(version));
    assert.equal(after.filter((v, i) => v !== before[i]).length, 1, `only the dose whose lot changed has a new version (${before.join(',')} -> ${after.join(',')})`);
  });

  it('rejects message-level faults and unknown senders with AR, keeps record-level problems to their record', async () => {
    // iz-ad-10.2 expects AR for an unsupported version: the test tool sends 10.1 with another MSH-12.
    const v = await send(fresh('nist-onc2015-iz-ad-10.1-send-v04-z22', unique('V')).replace('|P|2.5.1|', '|P|2.3.1|'));
    assert.equal(msa(v.reply), 'AR');
    assert.match(seg(v.reply, 'ERR')[0]?.[2] ?? '', /^MSH\^1\^12/);
    assert.equal(seg(v.reply, 'ERR')[0]?.[3]?.split('^')[0], '203');
    const unknown = await send(fresh('nist-onc2015-iz-ad-1.1-send-v04-z22', unique('U')), null);
    assert.equal(msa(unknown.reply), 'AR');
    assert.equal(unknown.touched.length, 0);
    const garbage = await send('\x00\x01 not hl7 at all');
    assert.equal(msa(garbage.reply), 'AR');
    const badCvx = fresh('nist-onc2015-iz-ad-1.1-send-v04-z22', unique('C')).replace(/^(RXA(?:\|[^|\r]*){4}\|)[^|^\r]+/m, '$1999999');
    const out = await send(badCvx);
    assert.equal(msa(out.reply), 'AE');
    const err = seg(out.reply, 'ERR')[0];
    assert.match(err?.[2] ?? '', /^RXA\^1\^5/);
    assert.equal(err?.[4], 'E');
    assert.ok(out.touched.some((t) => t.startsWith('Immunization/')), 'the other doses are kept');
  });

  it('a Z44 answer forecasts with the evidence of immunity a VXU reported (Z42 status immune for Varicella)', async () => {
    const tag = unique('V').replace(/[^A-Za-z0-9]/g, '');
    const vxu = `${fresh('nist-onc2015-iz-ad-1.1-send-v04-z22', tag).replace(/^(PID(?:\|[^|\r]*){4}\|)([^|^\r]+)/m, `$1$2${tag}`).replace(/\r+$/, '')}\rOBX|9|CE|59784-9^Disease with presumed immunity^LN|9|38907003^Varicella infection^SCT||||||F|||20200101\r`;
    assert.equal(msa((await send(vxu)).reply), 'AA');
    const pidSeg = seg(vxu, 'PID')[0] as string[];
    const [family, given] = (pidSeg[5] ?? '').split('^');
    const z44 = `MSH|^~\\&|EHR|NISTEHRFAC|IIS|IIS|20241201||QBP^Q11^QBP_Q11|Q${unique()}|P|2.5.1|||ER|AL|||||Z44^CDCPHINVS\rQPD|Z44^Request Evaluated History and Forecast^CDCPHINVS|${unique('TAG')}|${pidSeg[3]?.split('~')[0]}|${family}^${given}^^^^^L||${pidSeg[7]}|${pidSeg[8]}\rRCP|I|5^RD&Records&HL70126\r`;
    const z42 = await send(z44);
    assert.match(seg(z42.reply, 'MSH')[0]?.[20] ?? '', /^Z42/, z42.reply);
    const obx = seg(z42.reply, 'OBX');
    const varicella = obx.find((o) => o[3]?.startsWith('30956-7') && /varicella/i.test(o[5] ?? ''))?.[4];
    assert.ok(varicella, 'a Varicella forecast group');
    const status = obx.find((o) => o[3]?.startsWith('59783-1') && o[4] === varicella)?.[5];
    assert.match(status ?? '', /^immune\^/, `Varicella status ${status}`);
  });

  it('answers Z34 with Z32/Z31/Z33 and Z44 with Z42, never disclosing a protected patient', async () => {
    const tag = unique('Q');
    const vxu = fresh('nist-onc2015-iz-ad-1.1-send-v04-z22', tag);
    const stored = await send(vxu);
    const pidSeg = seg(vxu, 'PID')[0] as string[];
    const mrn = pidSeg[3]?.split('~')[0] as string;
    const [family, given] = (pidSeg[5] ?? '').split('^');
    const qbp = (profile: 'Z34' | 'Z44', qpdTail: string): string =>
      `MSH|^~\\&|EHR|NISTEHRFAC|IIS|IIS|20241201||QBP^Q11^QBP_Q11|Q${unique()}|P|2.5.1|||ER|AL|||||${profile}^CDCPHINVS\rQPD|${profile}^Request Immunization History^CDCPHINVS|${unique('TAG')}|${qpdTail}\rRCP|I|5^RD&Records&HL70126\r`;
    const z32 = await send(qbp('Z34', `${mrn}|${family}^${given}^^^^^L||${pidSeg[7]}|${pidSeg[8]}`));
    assert.match(seg(z32.reply, 'MSH')[0]?.[20] ?? '', /^Z32/, z32.reply);
    assert.equal(seg(z32.reply, 'QAK')[0]?.[2], 'OK');
    const doses = stored.touched.filter((t) => t.startsWith('Immunization/')).length;
    assert.equal(seg(z32.reply, 'RXA').length, doses);
    const z42 = await send(qbp('Z44', `${mrn}|${family}^${given}^^^^^L||${pidSeg[7]}|${pidSeg[8]}`));
    assert.match(seg(z42.reply, 'MSH')[0]?.[20] ?? '', /^Z42/, z42.reply);
    assert.ok(seg(z42.reply, 'OBX').some((o) => o[3]?.startsWith('30980-7') || o[3]?.startsWith('30981-5')), 'forecast OBX present');
    // MLLP names its sender only in MSH-4: no records are disclosed over it unless MLLP_QUERIES is set.
    const overMllp = await process({ raw: qbp('Z34', `${mrn}|${family}^${given}^^^^^L||${pidSeg[7]}|${pidSeg[8]}`), transport: 'mllp', sender, receivedAt: new Date() });
    assert.equal(msa(overMllp.reply), 'AR');
    assert.equal(seg(overMllp.reply, 'PID').length, 0);
    const nf = await send(qbp('Z34', `NOPE${unique()}^^^NIST-MPI-1^MR|Nobody^None^^^^^L||19000101|F`));
    assert.match(seg(nf.reply, 'MSH')[0]?.[20] ?? '', /^Z33/);
    assert.equal(seg(nf.reply, 'QAK')[0]?.[2], 'NF');
    // Protect the patient (PD1-12 Y) with a new VXU: queries no longer find them.
    const prot = vxu.replace(/^(MSH(?:\|[^|\r]*){8}\|)([^|\r]*)/m, '$1$2-prot').replace(/^PD1\|.*$/m, 'PD1|||||||||||02^Reminder/Recall - any method^HL70215|Y|20150624');
    assert.equal(msa((await send(prot)).reply), 'AA');
    const hidden = await send(qbp('Z34', `${mrn}|${family}^${given}^^^^^L||${pidSeg[7]}|${pidSeg[8]}`));
    assert.equal(seg(hidden.reply, 'QAK')[0]?.[2], 'NF', hidden.reply);
  });
});

