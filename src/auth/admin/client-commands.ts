import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { registerAdminCommand } from '../../cli/admin-registry.ts';
import { AuthStore, type ClientRecord } from '../../store/auth-store.ts';
import { isRole, ROLES } from '../access-claims.ts';
import { hashPassword } from '../passwords.ts';

/**
 * Reads a JWK Set file for a backend client, keeping public members only (a private key given by mistake is
 * stripped, never stored).
 * @param file - path of a JWKS (`{"keys": [...]}`) or a single JWK.
 * @returns the public JWKS.
 */
export function readPublicJwks(file: string): { keys: Record<string, unknown>[] } {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { keys?: Record<string, unknown>[] } & Record<string, unknown>;
  const keys = parsed.keys ?? [parsed];
  const privateMembers = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']);
  const pub = keys.map((k) => Object.fromEntries(Object.entries(k).filter(([name]) => !privateMembers.has(name))));
  if (!pub.length || pub.some((k) => k.kty !== 'RSA' && k.kty !== 'EC')) throw new Error('the JWKS must hold RSA or EC public keys');
  return { keys: pub };
}

registerAdminCommand({
  words: ['client', 'add'],
  usage: 'client add --id ID --type backend|public|confidential --role ROLE [--organization ORG_ID] [--jwks FILE | --jwks-uri URI] [--redirect-uri URI ...] [--scope "S ..."] [--secret-stdin]',
  fileOptions: ['jwks'],
  stdinOptions: ['secret-stdin'],
  async run(core, args, stdinText) {
    const { values } = parseArgs({ args, options: {
      id: { type: 'string' }, type: { type: 'string' }, role: { type: 'string' }, organization: { type: 'string' }, jwks: { type: 'string' },
      'jwks-uri': { type: 'string' }, 'redirect-uri': { type: 'string', multiple: true }, scope: { type: 'string' }, 'secret-stdin': { type: 'boolean' },
    } });
    const type = values.type as ClientRecord['type'] | undefined;
    if (!values.id || !/^[A-Za-z0-9._~-]{1,100}$/.test(values.id)) throw new Error('--id is required (letters, digits, . _ ~ -)');
    if (!type || !['public', 'confidential', 'backend'].includes(type)) throw new Error('--type must be backend, public or confidential');
    if (!values.role || !isRole(values.role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
    const record: ClientRecord = { id: values.id, type, role: values.role, redirectUris: values['redirect-uri'] ?? [], ...(values.organization ? { organization: values.organization } : {}), ...(values.scope ? { scopes: values.scope } : {}) };
    let output = `client ${values.id} saved (${type}, role ${values.role})`;
    if (type === 'backend') {
      if (!values.jwks === !values['jwks-uri']) throw new Error('a backend client needs --jwks FILE or --jwks-uri URI');
      if (values.jwks) record.jwks = readPublicJwks(values.jwks);
      if (values['jwks-uri']) record.jwksUri = new URL(values['jwks-uri']).href;
    } else {
      if (!record.redirectUris.length) throw new Error('an app needs at least one --redirect-uri');
      for (const u of record.redirectUris) new URL(u);
      if (type === 'confidential' && (values.jwks || values['jwks-uri'])) {
        // client-confidential-asymmetric: the app authenticates with private_key_jwt.
        if (values.jwks) record.jwks = readPublicJwks(values.jwks);
        if (values['jwks-uri']) record.jwksUri = new URL(values['jwks-uri']).href;
      } else if (type === 'confidential') {
        const secret = values['secret-stdin'] ? stdinText.replace(/\r?\n$/, '') : randomBytes(32).toString('base64url');
        if (secret.length < 16) throw new Error('the client secret must have at least 16 characters');
        record.secretHash = await hashPassword(secret);
        if (!values['secret-stdin']) output += `\nclient secret (shown once): ${secret}`;
      }
    }
    await new AuthStore(core.db).upsertClient(record);
    return { exitCode: 0, output };
  },
});
