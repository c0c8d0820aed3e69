import { randomBytes } from 'node:crypto';
import { FhirError } from '../../fhir/outcomes.ts';
import { buildAck, hl7Issue, readMessage, type CodeTables, type Hl7Issue, type MessageHeader } from '../../hl7v2/index.ts';
import { deferChecks } from '../../interactions/deferred-checks.ts';
import type { Services } from '../../interactions/types.ts';
import type { Repository } from '../../store/repository.ts';
import { Hl7MessageStore } from '../../store/hl7-message-store.ts';
import { outcomeOfReply } from '../../hl7v2/transport/er7-header.ts';
import { answerQbp } from './qbp-answer.ts';
import { senderContext, type SenderIdentity } from './sender-context.ts';
import { intakeVxu, type SameVaccineGroup } from './vxu-intake.ts';

/** One inbound message as a transport hands it over. */
export interface Hl7Inbound {
  raw: string;
  /** The transport it came by: MLLP identifies senders by MSH-4 only, without credentials. */
  transport?: 'soap' | 'mllp' | 'http';
  sender?: SenderIdentity;
  remoteAddress?: string;
  receivedAt: Date;
  /** Id of the message in the message log (audit correlation). */
  messageId?: string;
}

/** The reply and what the message touched. */
export interface Hl7Outcome {
  reply: string;
  touched: string[];
  /** True when the reply was saved to the message log with the message's data (`Hl7ProcessResult.logged`). */
  logged?: boolean;
}

/** What the processor needs. */
export interface Hl7ProcessorDeps {
  services: Services;
  repo: Repository;
  tables: CodeTables;
  /** MSH-3/MSH-4 of replies, and the assigning authority of the registry's own patient ids (PID-3 type SR). */
  sendingApp: string;
  sendingFacility: string;
  iisAuthority: string;
  /** Whether two CVX codes share a vaccine group (de-duplication of doses). */
  sameVaccineGroup: SameVaccineGroup;
  /**
   * Answer queries (QBP) that came over MLLP. Off by default: MLLP carries no credentials (the sender is whoever puts
   * a registered facility in MSH-4), so patient records are disclosed only over SOAP (username and password) and
   * HTTP (backend token) unless the MLLP link is otherwise secured (VPN, TLS tunnel, address allowlist).
   */
  mllpQueries?: boolean;
}

const controlId = (): string => `${Date.now().toString(36)}${randomBytes(6).toString('hex')}`.toUpperCase();

/**
 * The one processing path of every HL7 v2 transport (SOAP, MLLP, HTTP): reads and checks the header, rejects
 * unknown senders, and runs VXU intake (in one transaction, which also logs the ACK; the ACK is sent after commit)
 * or answers a QBP. Bad input gives an ACK with AR/AE and ERR segments (CDC IG R1.5 §"Acknowledgement"), never an
 * exception.
 * @param deps - services, repository, code tables and reply identity.
 * @returns the processor.
 */
export function createHl7Processor(deps: Hl7ProcessorDeps): (msg: Hl7Inbound) => Promise<Hl7Outcome> {
  const opts = (now: Date) => ({ sendingApp: deps.sendingApp, sendingFacility: deps.sendingFacility, now, controlId: controlId() });
  const ack = (header: MessageHeader | undefined, issues: Hl7Issue[], now: Date, force?: 'AR' | 'AE'): string =>
    buildAck(header, issues, { ...opts(now), ...(force ? { ackCode: force } : {}) });
  return async (msg) => {
    const now = msg.receivedAt;
    const read = readMessage(msg.raw);
    if (!read.ok) return { reply: ack(read.header, read.issues, now), touched: [] };
    const { message, issues: readIssues } = read;
    const header = message.header;
    if (!msg.sender) {
      return { reply: ack(header, [hl7Issue({ segment: 'MSH', sequence: 1, field: 4 }, '207', 'E', 'The sending facility is not registered with the registry', '4')], now, 'AR'), touched: [] };
    }
    const requestId = msg.messageId ?? `hl7-${header.controlId}`;
    const ctx = senderContext(deps.services, deps.repo, msg.sender, requestId, msg.remoteAddress);
    if (header.messageType === 'QBP' && msg.transport === 'mllp' && !deps.mllpQueries) {
      const text = 'Queries are answered over SOAP or HTTP, which authenticate the sender; MLLP takes VXU only';
      return { reply: ack(header, [hl7Issue({ segment: 'MSH', sequence: 1, field: 9 }, '207', 'E', text, '4')], now, 'AR'), touched: [] };
    }
    try {
      if (header.messageType === 'QBP') {
        const rsp = { header, ...opts(now), iisAuthority: deps.iisAuthority };
        const answer = await answerQbp(ctx, message, rsp, now);
        return { reply: answer.reply, touched: [] };
      }
      const sender = msg.sender;
      // One transaction per message; its writes are buffered and their record rules, access checks and forecast
      // queue run once at the end (deferChecks), then it commits, and only then is the ACK built.
      // Its writes are audited as one event once the outcome is known (a rolled-back message is recorded as failed).
      let unit: ReturnType<typeof deferChecks> | undefined;
      const label = `hl7v2 VXU ${header.controlId}`.slice(0, 120);
      const messageId = msg.messageId;
      const out = await ctx.repo
        .transaction(async (repo) => {
          unit = deferChecks({ ...ctx, repo });
          const result = await intakeVxu(unit.ctx, message, deps.tables, sender, deps.sameVaccineGroup, now);
          await unit.finish();
          // The ACK is built now but sent only after the commit; logged in the same transaction, the message log
          // says "processed" exactly when the data is stored, and no separate commit follows.
          const reply = ack(header, [...readIssues, ...result.issues], now);
          if (messageId) await new Hl7MessageStore(repo.db).saveReply(messageId, outcomeOfReply(reply, result.touched));
          return { reply, touched: result.touched };
        })
        .catch((err: unknown) => {
          unit?.audit(err instanceof FhirError ? err.status : 500, label);
          throw err;
        });
      unit?.audit(200, label);
      return { ...out, logged: !!messageId };
    } catch (err) {
      // A rule refused the data: nothing of the message was stored (the transaction rolled back); say why. Anything
      // else is a fault the message log records as failed (pipeline), with an AR.
      if (!(err instanceof FhirError)) throw err;
      const text = err.outcome.issue?.map((i) => i.details?.text ?? i.diagnostics).filter(Boolean).join('; ') || 'rejected';
      return { reply: ack(header, [hl7Issue({ segment: 'MSH', sequence: 1 }, '207', 'E', `Message not stored: ${text}`, '4')], now, 'AE'), touched: [] };
    }
  };
}
