import oauth2, { type OAuth2Namespace } from '@fastify/oauth2';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UpstreamOidcConfig } from '../../config.ts';
import type { AuthServer } from '../auth-server.ts';
import { renderErrorPage } from '../pages.ts';

const UID_COOKIE = 'iis_upstream_uid';
const START = '/auth/upstream/start';
const CALLBACK = '/auth/upstream/callback';

function readCookie(request: FastifyRequest, name: string): string | undefined {
  const cookies = (request as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies;
  return cookies?.[name];
}

/**
 * Staff sign-in through an upstream OpenID Connect identity provider with `@fastify/oauth2` (authorization code +
 * PKCE, discovery from UPSTREAM_OIDC_ISSUER). The upstream user is matched to a local user by the subject or email
 * stored on the user record; the local user's role and organization apply. Flow: the sign-in page links to
 * `/auth/interaction/:uid/upstream`, which remembers the interaction and starts the upstream flow; the callback
 * resolves the user and hands back to `/auth/interaction/:uid/upstream-done` (under the interaction cookie's path).
 * @param app - the Fastify instance.
 * @param auth - the authorization server.
 * @param upstream - the identity provider settings.
 */
export async function upstreamRoutes(app: FastifyInstance, auth: AuthServer, upstream: UpstreamOidcConfig): Promise<void> {
  await app.register(oauth2, {
    name: 'upstreamOidc',
    scope: ['openid', 'email', 'profile'],
    credentials: { client: { id: upstream.clientId, secret: upstream.clientSecret } },
    startRedirectPath: START,
    callbackUri: `${auth.config.baseUrl}${CALLBACK}`,
    discovery: { issuer: upstream.issuer },
    pkce: 'S256',
    cookie: { path: '/auth/upstream', httpOnly: true, sameSite: 'lax' },
  });
  const client = (): OAuth2Namespace => (app as unknown as { upstreamOidc: OAuth2Namespace }).upstreamOidc;
  const tickets = new auth.Adapter('UpstreamTicket');

  app.get<{ Params: { uid: string } }>('/auth/interaction/:uid/upstream', async (request, reply) => {
    reply.header('set-cookie', `${UID_COOKIE}=${encodeURIComponent(request.params.uid)}; Path=/auth/upstream; HttpOnly; SameSite=Lax; Max-Age=600`);
    return reply.redirect(START, 303);
  });

  app.get(CALLBACK, async (request, reply) => {
    const uid = readCookie(request, UID_COOKIE);
    const fail = (msg: string): unknown => reply.status(400).header('content-type', 'text/html; charset=utf-8').send(renderErrorPage('access_denied', msg));
    if (!uid) return fail('The sign-in took too long; start again from the application.');
    let info: { sub?: string; email?: string; email_verified?: boolean };
    try {
      const { token } = await client().getAccessTokenFromAuthorizationCodeFlow(request, reply);
      info = (await client().userinfo(token.access_token)) as typeof info;
    } catch {
      return fail(`Sign-in with ${upstream.name} failed.`);
    }
    const user = info.sub ? await auth.store.findUserByUpstream(info.sub, info.email_verified === true ? info.email : undefined) : undefined;
    if (!user) return fail(`No registry account is linked to this ${upstream.name} account.`);
    const ticket = `${uid}.${crypto.randomUUID()}`;
    await tickets.upsert(ticket, { username: user.username }, 300);
    return reply.redirect(`/auth/interaction/${encodeURIComponent(uid)}/upstream-done?ticket=${encodeURIComponent(ticket)}`, 303);
  });

  app.get<{ Params: { uid: string }; Querystring: { ticket?: string } }>('/auth/interaction/:uid/upstream-done', async (request, reply) => {
    const ticket = request.query.ticket ?? '';
    const found = ticket.startsWith(`${request.params.uid}.`) ? await tickets.find(ticket) : undefined;
    if (!found) return reply.status(400).header('content-type', 'text/html; charset=utf-8').send(renderErrorPage('access_denied', 'The sign-in ticket is invalid or expired.'));
    await tickets.destroy(ticket);
    const to = await auth.provider.interactionResult(request.raw, reply.raw, { login: { accountId: String(found.username) } }, { mergeWithLastSubmission: false });
    return reply.redirect(to, 303);
  });
}
