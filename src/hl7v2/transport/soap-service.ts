import type { Hl7SenderStore } from '../../store/hl7-sender-store.ts';
import { answerBatch, isBatch } from './batch.ts';
import { buildSoapFault, buildSoapResponse, parseSoapRequest, SOAP_CONTENT_TYPE, SoapFault, type CdcDialect, type SoapVersion } from './soap-envelope.ts';
import type { Hl7Handler } from './types.ts';

/** Dependencies of {@link answerSoapRequest}. */
export interface SoapServiceDeps {
  handle: Hl7Handler;
  senders: Hl7SenderStore;
  /** Largest hl7Message accepted (bytes, UTF-8); larger ones get MessageTooLargeFault. */
  maxMessageBytes: number;
  /** Called for UnknownFault causes (never given message text). */
  onError?: (err: unknown) => void;
}

/** An HTTP answer. */
export interface SoapHttpReply {
  status: number;
  contentType: string;
  body: string;
}

/**
 * @param contentType - the request's Content-Type.
 * @returns the SOAP version it implies (`application/soap+xml` is 1.2, `text/xml` 1.1), or undefined.
 */
export function soapVersionOf(contentType: string | undefined): SoapVersion | undefined {
  const ct = (contentType ?? '').toLowerCase();
  if (ct.startsWith('application/soap+xml')) return '1.2';
  if (ct.startsWith('text/xml')) return '1.1';
  return undefined;
}

/** The operations of both CDC WSDLs, by request element: dialect, response element, field names. */
const OPERATIONS: Record<string, { dialect: CdcDialect; op: 'submit' | 'echo'; response: string; out: string; f: { user: string; pass: string; facility: string; message: string; echo: string } }> = {
  connectivityTest: { dialect: '2011', op: 'echo', response: 'connectivityTestResponse', out: 'return', f: { user: '', pass: '', facility: '', message: '', echo: 'echoBack' } },
  submitSingleMessage: { dialect: '2011', op: 'submit', response: 'submitSingleMessageResponse', out: 'return', f: { user: 'username', pass: 'password', facility: 'facilityID', message: 'hl7Message', echo: '' } },
  ConnectivityTestRequest: { dialect: '2014', op: 'echo', response: 'ConnectivityTestResponse', out: 'EchoBack', f: { user: '', pass: '', facility: '', message: '', echo: 'EchoBack' } },
  SubmitSingleMessageRequest: { dialect: '2014', op: 'submit', response: 'SubmitSingleMessageResponse', out: 'Hl7Message', f: { user: 'Username', pass: 'Password', facility: 'FacilityID', message: 'Hl7Message', echo: '' } },
};

/**
 * Answers one SOAP request of the CDC IIS web service (2011 WSDL names shown; the 2014 WSDL's
 * `ConnectivityTestRequest` / `SubmitSingleMessageRequest` are answered the same way in their own namespace):
 * - `connectivityTest(echoBack)` returns echoBack (no credentials, per the CDC transport recommendation);
 * - `submitSingleMessage(username, password, facilityID, hl7Message)` authenticates the sender (SecurityFault when
 *   the credentials are wrong or facilityID is not the one registered for the username), enforces the size limit
 *   (MessageTooLargeFault), hands the message to the logged pipeline and returns its reply (ACK or RSP); a batch
 *   file (FHS/BHS … BTS/FTS) is split and answered with a batch of replies, one per message;
 * - anything else is UnsupportedOperationFault; unexpected failures are UnknownFault.
 * @param deps - handler, senders, limit.
 * @param req - the request body, its content type and the peer address.
 * @returns the HTTP reply.
 */
export async function answerSoapRequest(deps: SoapServiceDeps, req: { body: string; contentType?: string; remoteAddress?: string }): Promise<SoapHttpReply> {
  const version = soapVersionOf(req.contentType) ?? '1.2';
  let dialect: CdcDialect = '2011';
  try {
    const { operation, fields } = parseSoapRequest(req.body);
    const def = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
    if (!def) throw new SoapFault('UnsupportedOperationFault', `Operation ${operation.slice(0, 100)} is not supported`);
    dialect = def.dialect;
    if (def.op === 'echo') return ok(version, buildSoapResponse(version, dialect, def.response, def.out, fields[def.f.echo] ?? ''));
    const [username, password, facilityID, hl7Message] = [fields[def.f.user], fields[def.f.pass], fields[def.f.facility], fields[def.f.message]];
    if (!username || !password) throw new SoapFault('SecurityFault', 'Username and password are required');
    const sender = await deps.senders.authenticate(username, password, facilityID || undefined);
    if (!sender) throw new SoapFault('SecurityFault', 'Invalid credentials or facility');
    const size = Buffer.byteLength(hl7Message ?? '', 'utf8');
    if (size > deps.maxMessageBytes) {
      throw new SoapFault('MessageTooLargeFault', `Message size ${size} exceeds the maximum of ${deps.maxMessageBytes} bytes`, '', { size, maxSize: deps.maxMessageBytes });
    }
    const answerOne = (raw: string): Promise<string> =>
      deps.handle({
        raw,
        transport: 'soap',
        sender: { organizationId: sender.organizationId, facilityId: sender.facilityId, name: sender.name },
        receivedAt: new Date(),
        ...(req.remoteAddress ? { remoteAddress: req.remoteAddress } : {}),
      });
    // A batch file in hl7Message is answered with a batch of ACKs, each message processed as if sent alone.
    const text = hl7Message ?? '';
    const reply = isBatch(text) ? await answerBatch(text, answerOne) : await answerOne(text);
    return ok(version, buildSoapResponse(version, dialect, def.response, def.out, reply));
  } catch (err) {
    const fault = err instanceof SoapFault ? err : new SoapFault('UnknownFault', 'The request could not be processed');
    if (!(err instanceof SoapFault)) deps.onError?.(err);
    const { status, body } = buildSoapFault(version, fault, dialect);
    return { status, contentType: SOAP_CONTENT_TYPE[version], body };
  }
}

function ok(version: SoapVersion, body: string): SoapHttpReply {
  return { status: 200, contentType: SOAP_CONTENT_TYPE[version], body };
}
