import type { FastifyInstance } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import type { Core } from '../core.ts';
import { runAdminCommand } from '../cli/admin-registry.ts';
import '../auth/admin/index.ts';
import '../cli/sender-admin.ts';

function isLoopback(address: string | undefined): boolean {
  return !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

/**
 * `POST /admin/cli`: runs an admin command forwarded by the CLI (see src/cli/admin-endpoint.ts). Accepted only from
 * a loopback address with the secret of `DATA_DIR/admin.json` in `x-admin-secret`; anything else is 404, so the
 * endpoint does not advertise itself.
 * @param app - the Fastify instance.
 * @param options - the core, the secret, and what to call after a command ran (users or clients may have changed).
 */
export async function adminRoutes(app: FastifyInstance, options: { core: Core; secret: string; afterCommand?: () => void }): Promise<void> {
  const expected = Buffer.from(options.secret);
  app.post('/admin/cli', async (request, reply) => {
    const given = Buffer.from(String(request.headers['x-admin-secret'] ?? ''));
    if (!isLoopback(request.socket.remoteAddress) || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return reply.status(404).send({ error: 'not found' });
    }
    const body = request.body as { argv?: unknown; stdin?: unknown } | undefined;
    if (!Array.isArray(body?.argv) || !body.argv.every((a) => typeof a === 'string')) return reply.status(400).send({ error: 'argv must be a list of strings' });
    request.log.info({ command: body.argv.slice(0, 2).join(' ') }, 'admin command');
    const result = await runAdminCommand(options.core, body.argv as string[], typeof body.stdin === 'string' ? body.stdin : '');
    options.afterCommand?.();
    return result;
  });
}
