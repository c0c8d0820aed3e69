import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { AUTH_PREFIX, type AuthServer } from '../auth-server.ts';
import { interactionRoutes } from './interaction-routes.ts';
import { launchRoutes } from './launch-routes.ts';
import { upstreamRoutes } from './upstream-routes.ts';

/**
 * Mounts the authorization server on a Fastify app: oidc-provider's endpoints under `/auth` (authorize, token,
 * introspect, revoke, jwks, userinfo, discovery), the sign-in/consent pages, `POST /auth/launch` for EHR launch,
 * the upstream identity provider sign-in when configured, and `/.well-known/smart-configuration` at the root and
 * under `/fhir` (https://hl7.org/fhir/smart-app-launch/conformance.html).
 * @param app - the root Fastify instance (its form-body parser is used by the pages).
 * @param auth - the authorization server.
 */
export async function registerAuthRoutes(app: FastifyInstance, auth: AuthServer): Promise<void> {
  const smart = async (): Promise<Record<string, unknown>> => auth.smartConfiguration();
  app.get('/.well-known/smart-configuration', smart);
  app.get('/fhir/.well-known/smart-configuration', smart);
  await interactionRoutes(app, auth, auth.config.upstreamOidc);
  await launchRoutes(app, auth);
  if (auth.config.upstreamOidc) await upstreamRoutes(app, auth, auth.config.upstreamOidc);
  // oidc-provider reads its own request bodies: in this encapsulated scope no parser consumes the stream, and the
  // reply is hijacked so Fastify leaves the response to the provider's Koa app.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    const handler = auth.provider.callback();
    // oidc-provider trusts X-Forwarded-* (provider.proxy); set them from BASE_URL so the URLs it builds and the
    // client-assertion audiences it accepts always name the public server, whatever a caller sends.
    const publicUrl = new URL(auth.issuer);
    scope.all(`${AUTH_PREFIX}/*`, (request, reply) => {
      reply.hijack();
      const raw = request.raw as IncomingMessage & { originalUrl?: string; baseUrl?: string };
      raw.originalUrl = raw.url;
      // oidc-provider derives its mount path from these (as under Express), for the URLs it builds.
      raw.baseUrl = AUTH_PREFIX;
      raw.headers['x-forwarded-proto'] = publicUrl.protocol.replace(':', '');
      raw.headers['x-forwarded-host'] = publicUrl.host;
      raw.url = (raw.url ?? '').slice(AUTH_PREFIX.length) || '/';
      void handler(raw, reply.raw);
    });
  });
}
