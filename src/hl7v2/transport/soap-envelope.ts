import { XMLParser } from 'fast-xml-parser';

/**
 * SOAP envelopes of the CDC IIS web service (WSDL `urn:cdc:iisb:2011`, CDC "Transport Layer Protocol
 * Recommendation" for IIS: SOAP 1.2, document/literal). SOAP 1.1 (`text/xml`) is answered in kind for older
 * clients. Parsing uses fast-xml-parser; output is built from fixed templates with every value escaped.
 */

/** SOAP version, from the request's content type. */
export type SoapVersion = '1.1' | '1.2';

/** Which CDC WSDL a request follows: 2011 (`submitSingleMessage`, the one served by default) or 2014 (`SubmitSingleMessageRequest`). */
export type CdcDialect = '2011' | '2014';

/** Namespace of each CDC WSDL. */
export const CDC_NS: Record<CdcDialect, string> = { '2011': 'urn:cdc:iisb:2011', '2014': 'urn:cdc:iisb:2014' };
const ENV_NS: Record<SoapVersion, string> = {
  '1.1': 'http://schemas.xmlsoap.org/soap/envelope/',
  '1.2': 'http://www.w3.org/2003/05/soap-envelope',
};
/** Content type of each version's responses. */
export const SOAP_CONTENT_TYPE: Record<SoapVersion, string> = {
  '1.1': 'text/xml; charset=utf-8',
  '1.2': 'application/soap+xml; charset=utf-8',
};

/** The fault elements of the WSDL. */
export type SoapFaultKind = 'SecurityFault' | 'MessageTooLargeFault' | 'UnknownFault' | 'UnsupportedOperationFault';

/** A fault to answer; `status` is the HTTP status it goes with. */
export class SoapFault extends Error {
  /**
   * @param kind - the WSDL fault.
   * @param reason - human-readable reason (never message content).
   * @param detail - more detail.
   */
  constructor(
    readonly kind: SoapFaultKind,
    readonly reason: string,
    readonly detail = '',
    /** For MessageTooLargeFault: the size and the limit (the 2014 schema carries them as elements). */
    readonly sizes?: { size: number; maxSize: number },
  ) {
    super(reason);
  }
}

/** A parsed request: the body's operation element and its simple-typed children. */
export interface SoapRequest {
  operation: string;
  fields: Record<string, string>;
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  htmlEntities: true,
  processEntities: true,
});

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses a request envelope. DTDs are refused (SOAP 1.2 Part 1 §5: a SOAP message must not contain a DTD), which
 * also rules out entity-expansion attacks.
 * @param xml - the request body.
 * @returns the operation and its fields (whitespace-only text between elements is ignored).
 * @throws SoapFault UnknownFault when the envelope is not well formed or has no operation.
 */
export function parseSoapRequest(xml: string): SoapRequest {
  if (/<!DOCTYPE/i.test(xml)) throw new SoapFault('UnknownFault', 'DTDs are not allowed in SOAP messages');
  let doc: unknown;
  try {
    doc = parser.parse(xml, true);
  } catch {
    throw new SoapFault('UnknownFault', 'The request is not well-formed XML');
  }
  const env = isRecord(doc) ? doc.Envelope : undefined;
  const body = isRecord(env) ? env.Body : undefined;
  if (!isRecord(body)) throw new SoapFault('UnknownFault', 'The request is not a SOAP envelope with a Body');
  const names = Object.keys(body).filter((k) => k !== '#text');
  const operation = names[0];
  if (names.length !== 1 || !operation) throw new SoapFault('UnknownFault', 'The SOAP Body must hold exactly one operation element');
  const op = body[operation];
  const fields: Record<string, string> = {};
  if (isRecord(op)) {
    for (const [k, v] of Object.entries(op)) {
      if (k === '#text') continue;
      if (typeof v !== 'string') throw new SoapFault('UnknownFault', `Element ${k} must appear once and hold text`);
      fields[k] = v;
    }
  }
  return { operation, fields };
}

/**
 * Escapes text for XML element content and attribute values. CR is written as `&#13;` so the segment terminators of
 * an HL7 message survive XML end-of-line normalisation at the client.
 * @param text - plain text.
 * @returns escaped text.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;')
    // Characters XML 1.0 cannot carry at all (C0 controls other than TAB, LF, CR) are replaced.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
}

function envelope(v: SoapVersion, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${ENV_NS[v]}"><soap:Body>${body}</soap:Body></soap:Envelope>`;
}

/**
 * Builds a response whose body element holds one text child (document/literal): `return` in the 2011 schema,
 * `Hl7Message` or `EchoBack` in the 2014 one.
 * @param v - SOAP version.
 * @param dialect - the CDC schema.
 * @param element - the response element (`submitSingleMessageResponse`, `SubmitSingleMessageResponse`…).
 * @param child - the child element holding the value.
 * @param value - the text.
 * @returns the envelope.
 */
export function buildSoapResponse(v: SoapVersion, dialect: CdcDialect, element: string, child: string, value: string): string {
  return envelope(v, `<${element} xmlns="${CDC_NS[dialect]}"><${child}>${escapeXml(value)}</${child}></${element}>`);
}

/** Numeric codes carried in the fault detail's `Code` (the 2011 schema types it as an integer). */
const FAULT_CODE: Record<SoapFaultKind, number> = { SecurityFault: 10, MessageTooLargeFault: 20, UnsupportedOperationFault: 30, UnknownFault: 40 };
/** Element of each fault in the 2011 schema (UnknownFault is the element `fault`). */
const FAULT_ELEMENT: Record<SoapFaultKind, string> = { SecurityFault: 'SecurityFault', MessageTooLargeFault: 'MessageTooLargeFault', UnsupportedOperationFault: 'UnsupportedOperationFault', UnknownFault: 'fault' };

function faultDetail(f: SoapFault, dialect: CdcDialect): string {
  if (dialect === '2014') {
    // The 2014 schema has no element for unknown faults; its MessageTooLargeFault carries Size and MaxSize.
    if (f.kind === 'UnknownFault') return '';
    const ns = CDC_NS['2014'];
    if (f.kind === 'MessageTooLargeFault') return `<MessageTooLargeFault xmlns="${ns}"><Size>${f.sizes?.size ?? 0}</Size><MaxSize>${f.sizes?.maxSize ?? 0}</MaxSize></MessageTooLargeFault>`;
    return `<${f.kind} xmlns="${ns}"/>`;
  }
  const el = FAULT_ELEMENT[f.kind];
  return `<${el} xmlns="${CDC_NS['2011']}"><Code>${FAULT_CODE[f.kind]}</Code><Reason>${escapeXml(f.kind)}</Reason><Detail>${escapeXml(f.reason + (f.detail ? `: ${f.detail}` : ''))}</Detail></${el}>`;
}

/**
 * Builds a fault envelope with the WSDL's fault element in the detail (SOAP 1.2 Part 1 §5.4; SOAP 1.1 §4.4).
 * @param v - SOAP version.
 * @param f - the fault.
 * @param dialect - the CDC schema of the request.
 * @returns the HTTP status (SOAP 1.2 HTTP binding: 400 for Sender faults, 500 otherwise; SOAP 1.1: 500) and the envelope.
 */
export function buildSoapFault(v: SoapVersion, f: SoapFault, dialect: CdcDialect = '2011'): { status: number; body: string } {
  const sender = f.kind !== 'UnknownFault';
  const detail = faultDetail(f, dialect);
  if (v === '1.1') {
    const code = sender ? 'soap:Client' : 'soap:Server';
    return { status: 500, body: envelope(v, `<soap:Fault><faultcode>${code}</faultcode><faultstring>${escapeXml(f.reason)}</faultstring>${detail ? `<detail>${detail}</detail>` : ''}</soap:Fault>`) };
  }
  const code = sender ? 'soap:Sender' : 'soap:Receiver';
  return {
    status: sender ? 400 : 500,
    body: envelope(
      v,
      `<soap:Fault><soap:Code><soap:Value>${code}</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">${escapeXml(f.reason)}</soap:Text></soap:Reason>${detail ? `<soap:Detail>${detail}</soap:Detail>` : ''}</soap:Fault>`,
    ),
  };
}
