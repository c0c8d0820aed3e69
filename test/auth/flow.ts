import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { Browser, formAction, type LiveRegistry } from './helpers.ts';

/** The test app's redirect URI. */
export const REDIRECT = 'http://app.example/callback';

/**
 * Discovers the registry's authorization server for a client.
 * @param live - registry. @param clientId - client. @param auth - client auth. @param secret - client secret.
 * @returns the openid-client configuration.
 */
export async function discover(live: LiveRegistry, clientId: string, auth?: oidc.ClientAuth, secret?: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(live.issuer), clientId, secret, auth ?? oidc.None(), { execute: [oidc.allowInsecureRequests] });
}

/**
 * Runs the browser part of an authorization; returns the app's callback URL and the last page seen.
 * @param live - registry. @param config - client config. @param params - authorization parameters.
 * @param user - user name. @param password - password. @param choose - extra consent form fields.
 * @returns the callback URL ('' when not redirected) and pages.
 */
export async function authorizeInBrowser(live: LiveRegistry, config: oidc.Configuration, params: Record<string, string>, user: string, password: string, choose?: (html: string) => Record<string, string>) {
  const browser = new Browser();
  const start = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, aud: live.fhirBase, ...params });
  let step = await browser.follow(start.href, REDIRECT);
  let html = await step.res.text();
  assert.match(html, /Sign in/, html.slice(0, 300));
  step = await browser.follow(formAction(html, step.url), REDIRECT, { username: user, password });
  if (step.url.startsWith(REDIRECT)) return { callback: step.url, html: '' };
  html = await step.res.text();
  assert.match(html, /Allow access/, html.slice(0, 400));
  const consentHtml = html;
  step = await browser.follow(formAction(html, step.url), REDIRECT, { decision: 'allow', ...(choose ? choose(html) : {}) });
  if (!step.url.startsWith(REDIRECT)) return { callback: '', html: await step.res.text(), consentHtml };
  return { callback: step.url, html: consentHtml, consentHtml };
}

