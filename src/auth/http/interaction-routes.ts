import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthServer } from '../auth-server.ts';
import { completeConsent, planConsent, type InteractionParams } from '../consent.ts';
import { renderConsentPage, renderErrorPage, renderSignInPage } from '../pages.ts';
import { signIn, LOCKOUT_SECONDS } from '../sign-in.ts';
import { formField } from './form.ts';

interface Details {
  uid: string;
  prompt: { name: string };
  params: InteractionParams & Record<string, unknown>;
  session?: { accountId?: string };
}

type Uid = { Params: { uid: string } };

function html(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.status(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    // No form-action: after the consent post the browser is redirected to the app, whose redirect URI may use any scheme.
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'").send(body);
}

/**
 * The sign-in and consent pages of the SMART authorization flow (oidc-provider interactions,
 * https://github.com/panva/node-oidc-provider/tree/v8.x/docs#interactions), plus the upstream identity provider hand-off.
 * @param app - the Fastify instance (its form parser reads the posts).
 * @param auth - the authorization server.
 * @param upstream - the upstream identity provider's display name, when configured.
 */
export async function interactionRoutes(app: FastifyInstance, auth: AuthServer, upstream?: { name: string }): Promise<void> {
  const base = '/auth/interaction';
  const details = async (request: FastifyRequest, reply: FastifyReply): Promise<Details | undefined> => {
    try {
      return (await auth.provider.interactionDetails(request.raw, reply.raw)) as unknown as Details;
    } catch {
      html(reply, renderErrorPage('invalid_request', 'This sign-in has expired or was already completed; start again from the application.'), 400);
      return undefined;
    }
  };
  const finish = async (request: FastifyRequest, reply: FastifyReply, result: Record<string, unknown>, merge: boolean): Promise<FastifyReply> => {
    const to = await auth.provider.interactionResult(request.raw, reply.raw, result, { mergeWithLastSubmission: merge });
    return reply.redirect(to, 303);
  };
  const signInPage = (d: Details, error?: string, username?: string): string => renderSignInPage({
    action: `${base}/${d.uid}/login`, clientId: d.params.client_id, ...(error ? { error } : {}), ...(username ? { username } : {}),
    ...(upstream ? { upstream: { name: upstream.name, href: `${base}/${d.uid}/upstream` } } : {}),
  });
  const consentPage = async (d: Details, error?: string): Promise<string> => {
    const user = d.session?.accountId ? await auth.store.findUser(d.session.accountId) : undefined;
    if (!user) return renderErrorPage('login_required', 'Sign in again.');
    const view = await planConsent(auth, d.params, user);
    if (view.error) return renderErrorPage('invalid_request', view.error);
    return renderConsentPage({
      action: `${base}/${d.uid}/consent`, clientId: d.params.client_id, username: user.username, scopes: view.scopes,
      ...(view.patients ? { patients: view.patients } : {}), ...(view.askPatientId ? { askPatientId: true } : {}), ...(error ? { error } : {}),
    });
  };

  app.get<Uid>(`${base}/:uid`, async (request, reply) => {
    const d = await details(request, reply);
    if (!d) return reply;
    return html(reply, d.prompt.name === 'login' ? signInPage(d) : await consentPage(d));
  });

  app.post<Uid>(`${base}/:uid/login`, async (request, reply) => {
    const d = await details(request, reply);
    if (!d) return reply;
    const username = formField(request, 'username')?.trim() ?? '';
    const result = await signIn(auth.store, username, formField(request, 'password') ?? '');
    if (!result.ok) {
      const msg = result.reason === 'locked'
        ? `This account is locked for ${LOCKOUT_SECONDS / 60} minutes after too many failed sign-ins.`
        : 'The user name or password is wrong.';
      request.log.info({ event: 'sign-in-failed', reason: result.reason }, 'sign-in failed');
      return html(reply, signInPage(d, msg, username), 401);
    }
    return finish(request, reply, { login: { accountId: result.user.username } }, false);
  });

  app.post<Uid>(`${base}/:uid/consent`, async (request, reply) => {
    const d = await details(request, reply);
    if (!d) return reply;
    if (formField(request, 'decision') !== 'allow') {
      return finish(request, reply, { error: 'access_denied', error_description: 'The user denied access.' }, false);
    }
    const user = d.session?.accountId ? await auth.store.findUser(d.session.accountId) : undefined;
    if (!user) return html(reply, renderErrorPage('login_required', 'Sign in again.'), 400);
    const done = await completeConsent(auth, d.params, user, formField(request, 'patient'));
    if ('error' in done) return html(reply, await consentPage(d, done.error), 400);
    return finish(request, reply, { consent: { grantId: done.grantId } }, true);
  });
}
