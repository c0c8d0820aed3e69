import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

const TEMPLATE = readFileSync(new URL('../fixtures/hl7/nist-onc2015-iz-ad-1.1-send-v04-z22.hl7', import.meta.url), 'utf8').replace(/\r\n|\n/g, '\r');

/** Options of {@link buildVxu}. */
export interface VxuOptions {
  /** MSH-4.1, the sending facility. */
  facilityId: string;
  /** MSH-10; unique by default. */
  controlId?: string;
  /** PID-3.1; unique by default. */
  patientId?: string;
}

/**
 * A VXU^V04 (CDC IG profile Z22) built from the NIST ONC 2015 IZ-AD-1.1 template with its own sending facility,
 * control id and patient identifier.
 * @param o - facility, control id, patient id.
 * @returns the message, segments separated by CR.
 */
export function buildVxu(o: VxuOptions): string {
  const controlId = o.controlId ?? `C${randomUUID().replace(/-/g, '').slice(0, 18)}`;
  const patientId = o.patientId ?? `P${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  return TEMPLATE.split('\r')
    .map((seg) => {
      const f = seg.split('|');
      if (f[0] === 'MSH') {
        f[3] = o.facilityId;
        f[9] = controlId;
      } else if (f[0] === 'PID') {
        f[3] = `${patientId}^^^NIST-MPI-1^MR`;
      }
      return f.join('|');
    })
    .join('\r');
}
