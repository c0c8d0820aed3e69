import { buildVxu } from '../../test/helpers/hl7-samples.ts';

const GIVEN_MALE = ['Russell', 'Liam', 'Noah', 'Oliver', 'Elijah', 'James', 'Mateo', 'Lucas', 'Henry', 'Theo', 'Jack', 'Levi'];
const GIVEN_FEMALE = ['Olivia', 'Emma', 'Charlotte', 'Amelia', 'Sophia', 'Mia', 'Isabella', 'Ava', 'Evelyn', 'Luna', 'Harper', 'Ella'];
const DAY_MS = 86_400_000;
/** Birth dates run over the 105 days before the template's first dose (2015-04-16), so no dose precedes birth. */
const FIRST_BIRTH = Date.UTC(2015, 0, 1);
const BIRTH_DAYS = 105;

let seq = 0;

/**
 * A VXU for a new child each time, as most of a clinic's daily traffic is: a unique MRN and family name, and a
 * given name, sex and birth date that vary as a population's do, so patient identification meets the spread of
 * demographics a registry holds rather than one birth date shared by every patient.
 * @param facilityId - MSH-4, the registered sender.
 * @returns the message, segments separated by CR.
 */
export function nextBenchVxu(facilityId: string): string {
  seq += 1;
  const female = seq % 2 === 0;
  const given = (female ? GIVEN_FEMALE : GIVEN_MALE)[Math.floor(seq / 2) % 12] ?? 'Alex';
  const birth = new Date(FIRST_BIRTH + ((seq * 7919) % BIRTH_DAYS) * DAY_MS).toISOString().slice(0, 10).replace(/-/g, '');
  return buildVxu({ facilityId })
    .split('\r')
    .map((seg) => {
      if (!seg.startsWith('PID|')) return seg;
      const f = seg.split('|');
      f[5] = `Bench${seq}x${process.pid}^${given}^^^^^L`;
      f[7] = birth;
      f[8] = female ? 'F' : 'M';
      return f.join('|');
    })
    .join('\r');
}
