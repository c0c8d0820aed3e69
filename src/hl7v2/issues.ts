/**
 * Problems found while reading an HL7 v2 message, in the shape the ERR segment needs (CDC IG for Immunization
 * Messaging R1.5, section 6 "ERR - Error Segment"; HL7 tables 0357, 0516 and CDC table 0533).
 */

/** HL7 table 0357 message error condition codes (plus `999` Application error, as used by NIST/AIRA ACKs). */
export type Hl7ErrorCode = '0' | '100' | '101' | '102' | '103' | '200' | '201' | '202' | '203' | '204' | '205' | '206' | '207' | '999';

/** HL7 table 0516 error severity: E error (data rejected), W warning (accepted, data may be lost), I information. */
export type Hl7Severity = 'E' | 'W' | 'I';

/**
 * CDC table 0533 application error codes (CDC IG R1.5 ERR-5, as used by AIRA reference implementations):
 * 1 illogical date, 2 invalid date, 3 illogical value, 4 invalid value, 5 table value not found,
 * 6 required observation missing, 7 required data missing, 8 data was ignored.
 */
export type Hl7AppErrorCode = '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8';

/** One problem, located the way ERR-2 (ERL) locates it: segment id, occurrence, field, component. */
export interface Hl7Issue {
  /** Segment id, e.g. `RXA`. */
  segment: string;
  /** 1-based occurrence of that segment in the message (the second RXA is 2). */
  sequence: number;
  /** 1-based field number, when the issue is about a field. */
  field?: number;
  /** 1-based component number, when the issue is about a component. */
  component?: number;
  /** HL7 table 0357 code (ERR-3). */
  code: Hl7ErrorCode;
  /** ERR-4 severity. */
  severity: Hl7Severity;
  /** CDC table 0533 code (ERR-5). */
  appCode?: Hl7AppErrorCode;
  /** ERR-8 user message: codes and locations only, never patient data. */
  message: string;
}

/** Texts of HL7 table 0357 (ERR-3.2). */
export const ERROR_CODE_TEXT: Record<Hl7ErrorCode, string> = {
  '0': 'Message accepted',
  '100': 'Segment sequence error',
  '101': 'Required field missing',
  '102': 'Data type error',
  '103': 'Table value not found',
  '200': 'Unsupported message type',
  '201': 'Unsupported event code',
  '202': 'Unsupported processing id',
  '203': 'Unsupported version id',
  '204': 'Unknown key identifier',
  '205': 'Duplicate key identifier',
  '206': 'Application record locked',
  '207': 'Application internal error',
  '999': 'Application error',
};

/** Texts of CDC table 0533 (ERR-5.2). */
export const APP_ERROR_CODE_TEXT: Record<Hl7AppErrorCode, string> = {
  '1': 'Illogical Date error',
  '2': 'Invalid Date',
  '3': 'Illogical Value error',
  '4': 'Invalid value',
  '5': 'Table value not found',
  '6': 'Required observation missing',
  '7': 'Required data missing',
  '8': 'Data was ignored',
};

/** Where an issue is: segment, occurrence and optionally field and component. */
export interface Hl7Location {
  /** Segment id. */
  segment: string;
  /** 1-based occurrence of the segment. */
  sequence: number;
  /** 1-based field. */
  field?: number;
  /** 1-based component. */
  component?: number;
}

/**
 * Builds an issue.
 * @param at - location of the problem.
 * @param code - HL7 table 0357 code.
 * @param severity - E, W or I.
 * @param message - user message (no patient data).
 * @param appCode - CDC table 0533 code.
 * @returns the issue.
 */
export function hl7Issue(at: Hl7Location, code: Hl7ErrorCode, severity: Hl7Severity, message: string, appCode?: Hl7AppErrorCode): Hl7Issue {
  return {
    segment: at.segment,
    sequence: at.sequence,
    ...(at.field !== undefined ? { field: at.field } : {}),
    ...(at.component !== undefined ? { component: at.component } : {}),
    code,
    severity,
    ...(appCode ? { appCode } : {}),
    message,
  };
}

/**
 * Whether any issue is an error (severity E).
 * @param issues - the issues.
 * @returns true when at least one is an error.
 */
export function hasErrors(issues: readonly Hl7Issue[]): boolean {
  return issues.some((i) => i.severity === 'E');
}

/**
 * Whether the issues reject the whole message (CDC IG R1.5 ACK: AR is for unsupported message type, event,
 * processing id or version, and for messages that cannot be processed at all: codes 100-102 on MSH, 200-207).
 * @param issues - the issues.
 * @returns true for a message-level rejection.
 */
export function isMessageRejected(issues: readonly Hl7Issue[]): boolean {
  return issues.some((i) => i.severity === 'E' && (i.code.startsWith('2') || (i.segment === 'MSH' && i.code !== '999')));
}
