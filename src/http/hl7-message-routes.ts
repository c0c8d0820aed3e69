import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Hl7MessageQuery, Hl7MessageStore } from '../store/hl7-message-store.ts';

/**
 * Authorizes the message tools (state administrators only). Resolve true to allow; false answers 403. It may also
 * throw an error carrying `statusCode` (401 for a missing token).
 */
export type RequireAdmin = (request: FastifyRequest) => Promise<boolean>;

/** Options of {@link hl7MessageRoutes}. */
export interface Hl7MessageRoutesOptions {
  store: Hl7MessageStore;
  requireAdmin: RequireAdmin;
}

class BadQuery extends Error {
  readonly statusCode = 400;
}

function parseDate(name: string, v: string | undefined): Date | undefined {
  if (v === undefined || v === '') return undefined;
  // A bare date means the start of that day (UTC).
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(d.getTime())) throw new BadQuery(`${name} must be a date or an instant`);
  return d;
}

function parseCount(name: string, v: string | undefined, max: number): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v) || Number(v) > max) throw new BadQuery(`${name} must be a whole number up to ${max}`);
  return Number(v);
}

function query(q: Record<string, string | undefined>): Hl7MessageQuery {
  const out: Hl7MessageQuery = {};
  const from = parseDate('from', q.from);
  const to = parseDate('to', q.to);
  const count = parseCount('_count', q._count, 1000);
  const offset = parseCount('_offset', q._offset, 1_000_000);
  if (q.sender) out.sender = q.sender;
  if (from) out.from = from;
  if (to) out.to = to;
  if (q.type) out.type = q.type;
  if (q.ack) out.ackCode = q.ack;
  if (count !== undefined) out.count = count;
  if (offset !== undefined) out.offset = offset;
  return out;
}

/**
 * The message tools of the state's HL7 v2 interface (CDC IG: the IIS keeps every message and its acknowledgement):
 * - `GET /hl7/messages?sender=&from=&to=&type=&ack=&_count=&_offset=`: the log, newest first, without bodies;
 * - `GET /hl7/messages/:id`: one message with its raw text and reply;
 * - `GET /hl7/messages/report?from=&to=&sender=`: counts by sender × profile × ACK code and by error code.
 * @param app - the Fastify scope.
 * @param o - the message log and the admin check.
 */
export async function hl7MessageRoutes(app: FastifyInstance, o: Hl7MessageRoutesOptions): Promise<void> {
  app.addHook('onRequest', async (request, reply) => {
    if (!(await o.requireAdmin(request))) return reply.status(403).send({ error: 'The message tools are for state administrators' });
  });
  app.get('/hl7/messages', async (request) => {
    const q = query(request.query as Record<string, string | undefined>);
    const items = await o.store.search(q);
    return { count: items.length, offset: q.offset ?? 0, items };
  });
  app.get('/hl7/messages/report', async (request) => {
    const q = query(request.query as Record<string, string | undefined>);
    const report = await o.store.report(q);
    return { from: q.from ?? null, to: q.to ?? null, ...report };
  });
  app.get('/hl7/messages/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const m = await o.store.get(id);
    if (!m) return reply.status(404).send({ error: 'No such message' });
    return m;
  });
}
