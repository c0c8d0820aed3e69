/** Registers the authorization server's admin commands (user and client management) with the admin registry. */
import './user-commands.ts';
import './client-commands.ts';
import './list-commands.ts';
