import * as m001 from './001-resources.ts';
import * as m002 from './002-search-pages.ts';
import * as m003 from './003-forecast-queue.ts';
import * as m004 from './004-auth.ts';
import * as m005 from './005-hl7-messages.ts';
import * as m006 from './006-covering-lookups.ts';
import * as m007 from './007-search-statistics.ts';
import * as m008 from './008-audit-trail.ts';

/** A forward-only schema migration; `version` orders them and is recorded once applied. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, in order. Append new ones; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'resources', sql: m001.sql },
  { version: 2, name: 'search-pages', sql: m002.sql },
  { version: 3, name: 'forecast-queue', sql: m003.sql },
  { version: 4, name: 'auth', sql: m004.sql },
  { version: 5, name: 'hl7-messages', sql: m005.sql },
  { version: 6, name: 'covering-lookups', sql: m006.sql },
  { version: 7, name: 'search-statistics', sql: m007.sql },
  { version: 8, name: 'audit-trail', sql: m008.sql },
];
