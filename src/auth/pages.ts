/**
 * Server-rendered HTML of the sign-in, consent and error pages. Every interpolated value goes through
 * {@link escapeHtml}; pages load no scripts.
 */

/**
 * Escapes text for HTML element content and quoted attribute values.
 * @param value - untrusted text.
 * @returns the escaped text.
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.6rem 0}
input[type=text],input[type=password]{width:100%;padding:.4rem}button{padding:.5rem 1rem;margin:.6rem .4rem 0 0}.error{color:#a00}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/** Inputs of the sign-in page. */
export interface SignInPage {
  action: string;
  clientId: string;
  error?: string;
  username?: string;
  /** "Sign in with <name>" link to the upstream identity provider. */
  upstream?: { name: string; href: string };
}

/**
 * The sign-in page (SMART App Launch: the authorization server authenticates the user).
 * @param p - form target, client, error and optional upstream link.
 * @returns HTML.
 */
export function renderSignInPage(p: SignInPage): string {
  return page('Sign in to the immunization registry', `
<p>The application <b>${escapeHtml(p.clientId)}</b> asks you to sign in.</p>
${p.error ? `<p class="error" role="alert">${escapeHtml(p.error)}</p>` : ''}
<form method="post" action="${escapeHtml(p.action)}">
<label>User name <input type="text" name="username" autocomplete="username" required value="${escapeHtml(p.username ?? '')}"></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form>
${p.upstream ? `<p><a href="${escapeHtml(p.upstream.href)}">Sign in with ${escapeHtml(p.upstream.name)}</a></p>` : ''}`);
}

/** A patient the user may choose (the patient picker of standalone launch). */
export interface PatientChoice {
  id: string;
  label: string;
}

/** Inputs of the consent page. */
export interface ConsentPage {
  action: string;
  clientId: string;
  username: string;
  scopes: string[];
  /** When set, the user chooses one of these patients (radio buttons). */
  patients?: PatientChoice[];
  /** A staff user may name any patient by id. */
  askPatientId?: boolean;
  error?: string;
}

/**
 * The consent page, with the patient picker when the app asked for `launch/patient`
 * (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html#launch-context-arrives-with-your-access_token).
 * @param p - scopes, choices and form target.
 * @returns HTML.
 */
export function renderConsentPage(p: ConsentPage): string {
  const picker = p.patients?.length
    ? `<fieldset><legend>Choose the patient</legend>${p.patients.map((c, i) => `<label><input type="radio" name="patient" value="${escapeHtml(c.id)}"${i === 0 ? ' checked' : ''}> ${escapeHtml(c.label)}</label>`).join('')}</fieldset>`
    : p.askPatientId ? '<label>Patient id <input type="text" name="patient" required></label>' : '';
  return page('Allow access?', `
<p>Signed in as <b>${escapeHtml(p.username)}</b>. The application <b>${escapeHtml(p.clientId)}</b> asks for:</p>
${p.error ? `<p class="error" role="alert">${escapeHtml(p.error)}</p>` : ''}
<ul>${p.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('')}</ul>
<form method="post" action="${escapeHtml(p.action)}">
${picker}
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`);
}

/**
 * The error page shown when an authorization request cannot be redirected back to the app.
 * @param error - OAuth error code. @param description - its description.
 * @returns HTML.
 */
export function renderErrorPage(error: string, description: string): string {
  return page('Authorization error', `<p><b>${escapeHtml(error)}</b></p><p>${escapeHtml(description)}</p>`);
}
