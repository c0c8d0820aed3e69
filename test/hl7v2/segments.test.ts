import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Message, type HL7Node } from 'node-hl7-client';
import { parseMessage } from '../../src/hl7v2/message.ts';
import { NIST_DIR, nistText } from './nist.ts';

/** A field read through the library's whole tree, every repetition, component and subcomponent node built. */
function descend(field: HL7Node): string[][][] {
  return field.toArray().map((rep) => rep.toArray().map((comp) => comp.toArray().map((sub) => sub.toString())));
}

/** Every field of every segment read through the library's whole tree: the reference for the registry's own split. */
function fullTree(text: string): string[][][][][] {
  const normalized = text.replace(/\r\n|\n/g, '\r').replace(/\r+$/, '');
  return new Message({ text: normalized }).toArray().map((segment) => {
    const fields = segment.toArray();
    const first = fields[0]?.toString() === 'MSH' ? 2 : 1;
    return fields.slice(first).map((f) => descend(f as HL7Node));
  });
}

describe('segments read as node-hl7-client reads them', () => {
  const names = readdirSync(NIST_DIR).filter((f) => f.endsWith('.hl7')).map((f) => f.slice(0, -4));

  test('every NIST message reads field for field as the library\'s full tree gives it', () => {
    let compared = 0;
    for (const name of names) {
      const text = nistText(name);
      const parsed = parseMessage(text);
      if (!parsed.ok) continue; // batch files and deliberately broken messages are parsed elsewhere
      const expected = fullTree(text);
      assert.equal(parsed.message.segments.length, expected.length, name);
      parsed.message.segments.forEach((seg, i) => {
        const first = seg.name === 'MSH' ? 3 : 1;
        assert.deepEqual(seg.fields.slice(first), expected[i], `${name} ${seg.name} #${seg.sequence}`);
      });
      compared += 1;
    }
    assert.ok(compared >= 30, `compared ${compared} NIST messages`);
  });

  test('repetitions, components, subcomponents and escape sequences', () => {
    const text = 'MSH|^~\\&|A|B|C|D|20260101||VXU^V04^VXU_V04|1|P|2.5.1\rPID|1||123^^^MR~456^^^SS||Doe\\T\\Roe^Jane^A&B||20200101|F|||1 Main\\F\\St^^Town^CT\r';
    const parsed = parseMessage(text);
    assert.ok(parsed.ok);
    const pid = parsed.message.segments[1];
    assert.deepEqual(pid?.fields[3], [[['123'], [], [], ['MR']], [['456'], [], [], ['SS']]]);
    assert.deepEqual(pid?.fields[5], [[['Doe&Roe'], ['Jane'], ['A', 'B']]]);
    assert.deepEqual(pid?.fields[7], [[['20200101']]]);
    assert.deepEqual(pid?.fields[11], [[['1 Main|St'], [], ['Town'], ['CT']]]);
    assert.deepEqual(pid?.fields[2], []);
  });

  test('escape sequences and empty parts read as the library reads them', () => {
    const text = 'MSH|^~\\&|A|B|C|D|20260101||VXU^V04^VXU_V04|1|P|2.5.1\rNTE|1||\\H\\Bold\\N\\ \\X4142\\ \\.br\\ \\E\\\\R\\||~x~^^y&&z|a\\b\\c\\|\r';
    const parsed = parseMessage(text);
    assert.ok(parsed.ok);
    const nte = parsed.message.segments[1];
    assert.deepEqual(nte?.fields[3], [[['Bold AB \\.br\\ \\~']]]);
    assert.deepEqual(nte?.fields.slice(1), fullTree(text)[1]);
  });
});
