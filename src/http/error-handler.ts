import type { FastifyError, FastifyInstance } from 'fastify';
import { FhirError, errorIssue, outcome } from '../fhir/outcomes.ts';
import { sendFhir } from './send.ts';

const FASTIFY_CODES: Record<string, { status: number; code: 'invalid' | 'too-costly' | 'not-supported' | 'structure'; text: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'too-costly', text: 'The request body is larger than the server accepts' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'not-supported', text: 'Unsupported Content-Type: send application/fhir+json' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid', text: 'The request body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'structure', text: 'The request body is not valid JSON' },
};

/**
 * The one error handler (DESIGN.md, Errors): a FhirError keeps its status and OperationOutcome; Fastify's own client
 * errors (bad JSON, body too large, unsupported media type) become OperationOutcomes with their 4xx status;
 * anything else is a 500 carrying only a correlation id, with the stack in the log and never in the response.
 * @param app - the Fastify instance.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof FhirError) {
      return sendFhir(request, reply, { status: err.status, resource: err.outcome });
    }
    const known = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (known) {
      return sendFhir(request, reply, { status: known.status, resource: outcome([errorIssue(known.code, known.text)]) });
    }
    if (err instanceof SyntaxError || (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)) {
      return sendFhir(request, reply, {
        status: err.statusCode && err.statusCode < 500 ? err.statusCode : 400,
        resource: outcome([errorIssue('invalid', err instanceof SyntaxError ? 'The request body is not valid JSON' : err.message)]),
      });
    }
    request.log.error({ err, requestId: request.id }, 'unhandled error');
    return sendFhir(request, reply, {
      status: 500,
      resource: outcome([errorIssue('exception', `Internal server error; correlation id ${request.id}`)]),
    });
  });
  app.setNotFoundHandler((request, reply) =>
    sendFhir(request, reply, { status: 404, resource: outcome([errorIssue('not-found', `No route for ${request.method} ${request.url.split('?')[0]}`)]) }),
  );
}
