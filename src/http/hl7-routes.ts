import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Core } from '../core.ts';
import { HL7_ERROR } from '../hl7v2/transport/ack.ts';
import { answerBatch, isBatch } from '../hl7v2/transport/batch.ts';
import { readHeader } from '../hl7v2/transport/er7-header.ts';
import { startMllpServer, type MllpServer } from '../hl7v2/transport/mllp-server.ts';
import { createHl7Pipeline, rejectMessage } from '../hl7v2/transport/pipeline.ts';
import { buildSoapFault, SOAP_CONTENT_TYPE, SoapFault } from '../hl7v2/transport/soap-envelope.ts';
import { answerSoapRequest, soapVersionOf } from '../hl7v2/transport/soap-service.ts';
import type { Hl7Handler, Hl7Processor } from '../hl7v2/transport/types.ts';
import { buildWsdl, readCdcSchema } from '../hl7v2/transport/wsdl.ts';
import { Hl7MessageStore } from '../store/hl7-message-store.ts';
import { Hl7SenderStore } from '../store/hl7-sender-store.ts';
import { hl7MessageRoutes, type RequireAdmin } from './hl7-message-routes.ts';

/** The caller of `POST /hl7/v2`, from its backend-services bearer token (SMART Backend Services). */
export interface Hl7Caller {
  organizationId: string;
  clientId: string;
}

/** Resolves the bearer token of a request; null answers 401. */
export type Hl7Authenticate = (request: FastifyRequest) => Promise<Hl7Caller | null>;

/** Dependencies of {@link registerHl7}. */
export interface Hl7Deps {
  core: Core;
  /** The message processor; `basicProcessor` until the real one (parse, VXU→FHIR, ACK/RSP) is wired. */
  processor: Hl7Processor;
  authenticate: Hl7Authenticate;
  requireAdmin: RequireAdmin;
  config: Config;
}

/** What {@link registerHl7} sets up, for the CLI, tests and benchmarks. */
export interface Hl7Runtime {
  messages: Hl7MessageStore;
  senders: Hl7SenderStore;
  /** The logged pipeline every transport calls. */
  handle: Hl7Handler;
  /** The MLLP listener once the HTTP server listens (when `MLLP_ENABLED`). */
  mllp(): MllpServer | undefined;
  /** Resolves when the MLLP listener started by `listen` is up (undefined when disabled); rejects if it failed. */
  mllpStarted(): Promise<MllpServer | undefined>;
}

const ER7_TYPES = ['x-application/hl7-v2+er7', 'application/hl7-v2', 'application/edi-hl7v2'];

/**
 * Registers the HL7 v2 transports and message tools (CDC IG for HL7 2.5.1 Immunization Messaging, transport
 * section): SOAP 1.2 at `/hl7/soap` (CDC WSDL at `?wsdl`, the 2014 one at `?wsdl=2014`), `POST /hl7/v2` (ER7 body, bearer token), the message log
 * API under `/hl7/messages`, and the MLLP listener, started when the HTTP server listens and stopped when it closes.
 * @param app - the Fastify app.
 * @param deps - core, processor, authentication hooks, configuration.
 * @returns the stores and the pipeline.
 */
export async function registerHl7(app: FastifyInstance, deps: Hl7Deps): Promise<Hl7Runtime> {
  const messages = new Hl7MessageStore(deps.core.db);
  const senders = new Hl7SenderStore(deps.core.db);
  const handle = createHl7Pipeline({
    store: messages,
    processor: deps.processor,
    onError: (logId, err) => app.log.error({ logId, err: err instanceof Error ? err.message : String(err) }, 'HL7 processor failed'),
  });
  const max = deps.config.hl7MaxMessageBytes;
  let mllp: MllpServer | undefined;
  let starting: Promise<MllpServer | undefined> | undefined;
  let onStart: ((p: Promise<MllpServer | undefined>) => void) | undefined;
  const started = new Promise<MllpServer | undefined>((resolve) => (onStart = resolve));
  if (deps.config.mllpEnabled) {
    // Fastify does not wait for onListen hooks: the start is kept as a promise that main.ts (and tests) await.
    app.addHook('onListen', async () => {
      starting = startMllpServer({ host: deps.config.mllpHost, port: deps.config.mllpPort, maxBytes: max, handle, store: messages, senders, log: app.log }).then(
        (server) => (mllp = server),
        (err: unknown) => {
          app.log.fatal({ err: err instanceof Error ? err.message : String(err), port: deps.config.mllpPort }, 'MLLP listener could not start');
          throw err;
        },
      );
      starting.catch(() => undefined);
      onStart?.(starting);
    });
    app.addHook('onClose', async () => {
      await starting?.catch(() => undefined);
      await mllp?.close();
      mllp = undefined;
    });
  }
  await app.register(async (scope) => {
    scope.removeContentTypeParser(['text/xml', 'text/plain']);
    scope.addContentTypeParser(['application/soap+xml', 'text/xml', 'text/plain', ...ER7_TYPES], { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.setErrorHandler((err: FastifyError, request, reply) => {
      const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
      if (status >= 500) request.log.error({ err, requestId: request.id }, 'HL7 route failed');
      if (request.url.startsWith('/hl7/soap')) {
        const version = soapVersionOf(request.headers['content-type']) ?? '1.2';
        const fault =
          err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
            ? new SoapFault('MessageTooLargeFault', `The request exceeds the maximum message size of ${max} bytes`)
            : new SoapFault('UnknownFault', 'The request could not be processed');
        const f = buildSoapFault(version, fault);
        return reply.status(f.status).type(SOAP_CONTENT_TYPE[version]).send(f.body);
      }
      return reply.status(status).send({ error: status >= 500 ? `Internal server error; correlation id ${request.id}` : err.message });
    });

    // SOAP: the envelope may escape every character of the message (up to 6 bytes each).
    const soapLimit = max * 6 + 64 * 1024;
    scope.get('/hl7/soap', async (request, reply) => {
      const q = request.query as Record<string, string | undefined>;
      const dialect = q.wsdl === '2014' || q.xsd?.includes('2014') ? '2014' : '2011';
      if ('wsdl' in q || 'WSDL' in q) return reply.type('text/xml; charset=utf-8').send(buildWsdl(`${deps.config.baseUrl}/hl7/soap`, dialect));
      if (q.xsd !== undefined) return reply.type('text/xml; charset=utf-8').send(readCdcSchema(dialect));
      return reply.status(405).type('text/plain').send('POST SOAP 1.2 requests here; the WSDL is at ?wsdl');
    });
    scope.post('/hl7/soap', { bodyLimit: soapLimit }, async (request, reply) => {
      const r = await answerSoapRequest(
        { handle, senders, maxMessageBytes: max, onError: (err) => request.log.error({ err: err instanceof Error ? err.message : String(err) }, 'SOAP request failed') },
        { body: typeof request.body === 'string' ? request.body : '', ...contentType(request), remoteAddress: request.ip },
      );
      return reply.status(r.status).type(r.contentType).send(r.body);
    });

    // HTTP: the body is one ER7 message or a batch file; the sender is the organization of the bearer token. A registered MSH-4 must
    // belong to that organization (else AR, logged); an unregistered MSH-4 is taken as a facility of the caller.
    scope.post('/hl7/v2', { bodyLimit: max }, async (request, reply) => {
      const caller = await deps.authenticate(request);
      if (!caller) return reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'A backend-services bearer token is required' });
      const raw = typeof request.body === 'string' ? request.body : '';
      const type = ER7_TYPES.includes(String(request.headers['content-type']).split(';')[0] ?? '') ? 'x-application/hl7-v2+er7' : 'text/plain';
      const answerOne = async (text: string): Promise<string> => {
        const header = readHeader(text);
        const registered = header?.sendingFacilityId ? await senders.byFacility(header.sendingFacilityId) : undefined;
        if (registered && registered.organizationId !== caller.organizationId) {
          // MSH-4 names a facility of another organization: refuse without processing (logged like any message).
          return rejectMessage(messages, { raw: text, transport: 'http', receivedAt: new Date(), remoteAddress: request.ip }, {
            code: HL7_ERROR.internal,
            text: 'MSH-4 is not a facility of the authenticated organization',
          });
        }
        const sender = registered
          ? { organizationId: registered.organizationId, facilityId: registered.facilityId, name: registered.name }
          : { organizationId: caller.organizationId, facilityId: header?.sendingFacilityId || caller.clientId, name: caller.clientId };
        return handle({ raw: text, transport: 'http', sender, remoteAddress: request.ip, receivedAt: new Date() });
      };
      // A batch file (FHS/BHS … BTS/FTS) is answered with a batch of replies, each message handled as if sent alone.
      const text = isBatch(raw) ? await answerBatch(raw, answerOne) : await answerOne(raw);
      return reply.status(200).type(`${type}; charset=utf-8`).send(text);
    });

    await scope.register(hl7MessageRoutes, { store: messages, requireAdmin: deps.requireAdmin });
  });
  return {
    messages,
    senders,
    handle,
    mllp: () => mllp,
    mllpStarted: async () => {
      if (starting) return starting;
      // Listening but the onListen hooks have not reached ours yet: wait for it.
      if (deps.config.mllpEnabled && app.server.listening) return started;
      return undefined;
    },
  };
}

function contentType(request: FastifyRequest): { contentType?: string } {
  const ct = request.headers['content-type'];
  return ct ? { contentType: ct } : {};
}
