import { parseArgs } from 'node:util';
import { registerAdminCommand } from '../../cli/admin-registry.ts';
import { AuthStore } from '../../store/auth-store.ts';
import { lockedUntil } from '../sign-in.ts';

registerAdminCommand({
  words: ['user', 'list'],
  usage: 'user list',
  async run(core) {
    const store = new AuthStore(core.db);
    const lines: string[] = [];
    for (const u of await store.listUsers()) {
      const locked = await lockedUntil(store, u.username);
      const scope = u.organization ? `organization ${u.organization}` : u.jurisdiction ? `jurisdiction ${u.jurisdiction}` : '';
      lines.push([u.username, u.role, scope, u.fhirUser.join(','), u.upstreamSubject || u.email ? 'upstream' : '', locked ? 'LOCKED' : ''].filter(Boolean).join('  '));
    }
    return { exitCode: 0, output: lines.join('\n') || 'no users' };
  },
});

registerAdminCommand({
  words: ['user', 'remove'],
  usage: 'user remove --username NAME',
  async run(core, args) {
    const { values } = parseArgs({ args, options: { username: { type: 'string' } } });
    if (!values.username) throw new Error('--username is required');
    const gone = await new AuthStore(core.db).deleteUser(values.username);
    return gone ? { exitCode: 0, output: `user ${values.username} removed` } : { exitCode: 1, output: `no user ${values.username}` };
  },
});

registerAdminCommand({
  words: ['client', 'list'],
  usage: 'client list',
  async run(core) {
    const clients = await new AuthStore(core.db).listClients();
    const lines = clients.map((c) => [c.id, c.type, c.role, c.organization ? `organization ${c.organization}` : '', c.redirectUris.join(','), c.jwksUri ?? (c.jwks ? `${c.jwks.keys.length} key(s)` : '')].filter(Boolean).join('  '));
    return { exitCode: 0, output: lines.join('\n') || 'no clients' };
  },
});

registerAdminCommand({
  words: ['client', 'remove'],
  usage: 'client remove --id ID',
  async run(core, args) {
    const { values } = parseArgs({ args, options: { id: { type: 'string' } } });
    if (!values.id) throw new Error('--id is required');
    const gone = await new AuthStore(core.db).deleteClient(values.id);
    return gone ? { exitCode: 0, output: `client ${values.id} removed` } : { exitCode: 1, output: `no client ${values.id}` };
  },
});
