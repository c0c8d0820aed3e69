import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FhirError, errorIssue, outcome } from '../fhir/outcomes.ts';

const JSON_FORMATS = new Set(['json', 'application/json', 'application/fhir+json', 'application/json+fhir']);
const XML_FORMATS = new Set(['xml', 'text/xml', 'application/xml', 'application/fhir+xml', 'application/xml+fhir']);

/**
 * Chooses the response format from `_format` or `Accept` (https://hl7.org/fhir/R4/http.html#mime-type). JSON is
 * served; XML answers 406 with an OperationOutcome (not yet supported); `*\/*` and no preference mean JSON.
 * @param request - the request.
 */
export function negotiateFormat(request: FastifyRequest): void {
  const format = (request.query as Record<string, string | undefined> | undefined)?._format;
  if (format) {
    const f = format.split(';')[0]?.trim().toLowerCase() ?? '';
    if (JSON_FORMATS.has(f)) return;
    throw new FhirError(406, outcome([errorIssue('not-supported', XML_FORMATS.has(f) ? 'XML is not supported yet; use _format=json' : `Unknown _format "${format}"`, '_format')]));
  }
  const accept = request.headers.accept;
  if (!accept) return;
  const types = accept.split(',').map((t) => t.split(';')[0]?.trim().toLowerCase() ?? '');
  if (types.some((t) => JSON_FORMATS.has(t) || t === '*/*' || t === 'application/*' || t === 'text/html' || t === 'text/plain')) return;
  throw new FhirError(406, outcome([errorIssue('not-supported', types.some((t) => XML_FORMATS.has(t)) ? 'XML is not supported yet; ask for application/fhir+json' : `Cannot produce ${accept}`)]));
}

/**
 * Registers body parsers for FHIR JSON, plain JSON, JSON Patch and form-encoded `_search` bodies. Anything else is
 * answered 415 by Fastify.
 * @param app - the Fastify instance.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  const parseJson = (_req: FastifyRequest, body: string, done: (err: Error | null, value?: unknown) => void): void => {
    if (body.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body));
    } catch {
      done(new FhirError(400, outcome([errorIssue('structure', 'The request body is not valid JSON')])));
    }
  };
  app.addContentTypeParser(['application/json', 'application/fhir+json', 'application/json+fhir', 'application/json-patch+json'], { parseAs: 'string' }, parseJson);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, { formParameters: [...new URLSearchParams(body as string).entries()] });
  });
  app.addContentTypeParser(['application/fhir+xml', 'application/xml', 'text/xml'], { parseAs: 'string' }, (_req, _body, done) => {
    done(new FhirError(415, outcome([errorIssue('not-supported', 'XML is not supported yet; send application/fhir+json')])));
  });
}
