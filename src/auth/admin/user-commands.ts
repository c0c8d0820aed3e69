import { parseArgs } from 'node:util';
import { registerAdminCommand, type AdminResult } from '../../cli/admin-registry.ts';
import { AuthStore } from '../../store/auth-store.ts';
import { isRole, ROLES } from '../access-claims.ts';
import { hashPassword } from '../passwords.ts';

const MIN_PASSWORD = 10;

function password(stdinText: string): string {
  const p = stdinText.replace(/\r?\n$/, '');
  if (p.length < MIN_PASSWORD) throw new Error(`the password (read from standard input) must have at least ${MIN_PASSWORD} characters`);
  return p;
}

const ok = (output: string): AdminResult => ({ exitCode: 0, output });

registerAdminCommand({
  words: ['user', 'add'],
  usage: 'user add --username NAME --role ROLE [--organization ORG_ID | --jurisdiction CODE] [--fhir-user REF ...] [--email E] [--upstream-subject SUB] --password-stdin',
  stdinOptions: ['password-stdin'],
  async run(core, args, stdinText) {
    const { values } = parseArgs({ args, options: {
      username: { type: 'string' }, role: { type: 'string' }, organization: { type: 'string' }, jurisdiction: { type: 'string' },
      'fhir-user': { type: 'string', multiple: true }, email: { type: 'string' }, 'upstream-subject': { type: 'string' }, 'password-stdin': { type: 'boolean' },
    } });
    if (!values.username) throw new Error('--username is required');
    if (!values.role || !isRole(values.role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
    if (values.organization && values.jurisdiction) throw new Error('give --organization or --jurisdiction, not both');
    for (const ref of values['fhir-user'] ?? []) {
      if (!/^(Practitioner|Patient|RelatedPerson|Person)\/[A-Za-z0-9\-.]{1,64}$/.test(ref)) throw new Error(`--fhir-user must be Practitioner/x, Patient/x, RelatedPerson/x or Person/x, got "${ref}"`);
    }
    if (!values['password-stdin'] && !values['upstream-subject'] && !values.email) throw new Error('--password-stdin is required (or --upstream-subject/--email for upstream sign-in only)');
    await new AuthStore(core.db).upsertUser({
      username: values.username, role: values.role, fhirUser: values['fhir-user'] ?? [],
      ...(values.organization ? { organization: values.organization } : {}), ...(values.jurisdiction ? { jurisdiction: values.jurisdiction } : {}),
      ...(values.email ? { email: values.email } : {}), ...(values['upstream-subject'] ? { upstreamSubject: values['upstream-subject'] } : {}),
      ...(values['password-stdin'] ? { passwordHash: await hashPassword(password(stdinText)) } : {}),
    });
    return ok(`user ${values.username} saved (role ${values.role})`);
  },
});

registerAdminCommand({
  words: ['user', 'reset-password'],
  usage: 'user reset-password --username NAME --password-stdin',
  stdinOptions: ['password-stdin'],
  async run(core, args, stdinText) {
    const { values } = parseArgs({ args, options: { username: { type: 'string' }, 'password-stdin': { type: 'boolean' } } });
    if (!values.username || !values['password-stdin']) throw new Error('--username and --password-stdin are required');
    const store = new AuthStore(core.db);
    if (!(await store.setPasswordHash(values.username, await hashPassword(password(stdinText))))) return { exitCode: 1, output: `no user ${values.username}` };
    await store.clearLoginFailures(values.username);
    return ok(`password of ${values.username} reset`);
  },
});

registerAdminCommand({
  words: ['user', 'unlock'],
  usage: 'user unlock --username NAME',
  async run(core, args) {
    const { values } = parseArgs({ args, options: { username: { type: 'string' } } });
    if (!values.username) throw new Error('--username is required');
    await new AuthStore(core.db).clearLoginFailures(values.username);
    return ok(`${values.username} unlocked`);
  },
});
