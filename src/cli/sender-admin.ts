/** Registers the HL7 v2 sender commands with the admin registry, so they run in the CLI or in the running server. */
import { registerAdminCommand } from './admin-registry.ts';
import { runSenderCommand } from './sender-commands.ts';

registerAdminCommand({
  words: ['sender', 'add'],
  usage: 'sender add --facility-id ID --name NAME --username USER --password-stdin   register an HL7 v2 sender (creates its Organization)',
  stdinOptions: ['password-stdin'],
  run: async (core, args, stdinText) => ({ exitCode: 0, output: await runSenderCommand(core, ['add', ...args], stdinText) }),
});

registerAdminCommand({
  words: ['sender', 'list'],
  usage: 'sender list                                                                  list registered HL7 v2 senders',
  run: async (core) => ({ exitCode: 0, output: await runSenderCommand(core, ['list'], '') }),
});
