/**
 * The pure HL7 v2.5.1 layer of the registry (CDC IG for Immunization Messaging R1.5): reading messages, mapping
 * VXU to FHIR, reading QBP queries, and building ACK and RSP replies. No transport, no database.
 */
export { hasErrors, hl7Issue, isMessageRejected, APP_ERROR_CODE_TEXT, ERROR_CODE_TEXT } from './issues.ts';
export type { Hl7AppErrorCode, Hl7ErrorCode, Hl7Issue, Hl7Location, Hl7Severity } from './issues.ts';
export { checkHeader, DEFAULT_POLICY, normalizeText, parseMessage, readMessage, segmentsNamed } from './message.ts';
export type { HeaderPolicy, Hl7Hd, MessageHeader, ParsedMessage, ParseResult } from './message.ts';
export type { Hl7Repetition, Hl7Segment } from './segments.ts';
export { buildCodeTables, cvxOfNdc, normalizeNdc, visDocumentOf } from './code-tables.ts';
export type { CodeTables, TableCode, VisEdition } from './code-tables.ts';
export { loadCodeTables, PROFILES_DIR } from './load-code-tables.ts';
export { mapVxu, groupDoses, PATIENT_PLACEHOLDER } from './vxu-to-fhir.ts';
export type { VxuImmunization, VxuMapping } from './vxu-to-fhir.ts';
export type { PatientIdentifier } from './pid-to-patient.ts';
export * from './patient-extensions.ts';
export { ackCodeOf, buildAck, errSegment } from './ack.ts';
export type { AckCode, AckOptions } from './ack.ts';
export { DEFAULT_QUANTITY_LIMIT, parseQbp } from './qbp.ts';
export type { QbpQuery, QbpResult } from './qbp.ts';
export { buildRspZ31, buildRspZ32, buildRspZ33, buildRspZ42 } from './rsp.ts';
export type { QueryStatus, RspContext, RspPatient } from './rsp.ts';
