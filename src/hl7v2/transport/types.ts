/**
 * The contract between the HL7 v2 transports (SOAP, MLLP, HTTP) and the message processor. Every transport hands
 * each message to one processing function; the lead wires the real one (parse, VXU→FHIR, ACK/RSP builders).
 */

/** A registered sending organization/facility (CDC IG for HL7 2.5.1 Immunization Messaging, MSH-4 / facilityID). */
export interface Hl7Sender {
  /** The FHIR Organization id of the sender. */
  organizationId: string;
  /** The facility id: SOAP facilityID, MSH-4.1 over MLLP. */
  facilityId: string;
  /** Display name. */
  name: string;
}

/** One inbound HL7 v2 message as the transport received it. */
export interface InboundMessage {
  /** The ER7 text; the pipeline hands the processor segments separated by CR only (LF and CRLF normalised). */
  raw: string;
  transport: 'soap' | 'mllp' | 'http';
  /** The authenticated or identified sender; absent when the transport could not identify one. */
  sender?: Hl7Sender;
  remoteAddress?: string;
  receivedAt: Date;
  /** The message's id in the message log, set by the pipeline before it calls the processor. */
  messageId?: string;
}

/** What a processor may return besides the reply text. */
export interface Hl7ProcessResult {
  /** The reply (ACK or RSP) in ER7. */
  reply: string;
  /** FHIR resources created or updated, as `Type/id`; recorded in the message log. */
  touched?: string[];
  /**
   * True when the processor already recorded this reply in the message log (`outcomeOfReply`), in the
   * transaction that stored the message's data, so the log says "processed" exactly when the data is committed.
   */
  logged?: boolean;
}

/**
 * Processes one HL7 v2 message and returns the reply (ACK or RSP) text, only after its data is committed. Never
 * throws for bad input: it returns an ACK with AR/AE. It may return either the reply text or an
 * {@link Hl7ProcessResult} that also lists the resources it touched.
 */
export type Hl7Processor = (msg: InboundMessage) => Promise<string | Hl7ProcessResult>;

/** The processor wrapped by the message log: always answers a reply text (see `pipeline.ts`). */
export type Hl7Handler = (msg: InboundMessage) => Promise<string>;
