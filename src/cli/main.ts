import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { createCore } from '../core.ts';
import { seedDemoDataIfEmpty } from '../registry/demo/seed.ts';
import { importNdjson } from '../registry/import-ndjson.ts';
import { reindexResources } from '../store/reindex.ts';
import { refreshStatistics } from '../store/statistics.ts';
import { adminUsage, findAdminCommand } from './admin-registry.ts';
import { runAdminFromCli } from './admin-client.ts';
import '../auth/admin/index.ts';
import './sender-admin.ts';

const usage = (): string => `Usage: npm run cli -- <command> [options]

Commands:
  migrate                      apply database migrations
  seed                         load the demo data set into an empty database
  import <file|dir> [...]      import FHIR NDJSON files (resources keep their ids)
  reindex [--type T ...]       rebuild search indexes after SearchParameters change
  forecast refresh             recompute every patient's stored ImmunizationRecommendation (after a CDSi data release)
${adminUsage()}

The database is the one the server uses: DATABASE_URL, or the embedded database in DATA_DIR. User and client
commands work while the server runs on the embedded database too: they are forwarded to it (DATA_DIR/admin.json).`;

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.log(usage());
    return command ? 0 : 1;
  }
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const admin = findAdminCommand(argv);
  if (admin) {
    const result = await runAdminFromCli(config, admin.command, argv);
    if (result.forwarded) console.error('(run by the server that is using the embedded database)');
    (result.exitCode === 0 ? console.log : console.error)(result.output);
    return result.exitCode;
  }
  const core = await createCore(config);
  try {
    switch (command) {
      case 'migrate':
        console.log('migrations applied');
        return 0;
      case 'seed': {
        const n = await seedDemoDataIfEmpty(core);
        console.log(n ? `loaded ${n} demo resources` : 'the database already has patients; nothing loaded');
        return 0;
      }
      case 'import': {
        const { positionals } = parseArgs({ args: rest, allowPositionals: true });
        if (!positionals.length) throw new ConfigError('import needs at least one NDJSON file or folder');
        const files = positionals.flatMap((p) => (statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith('.ndjson')).map((f) => join(p, f)) : [p]));
        const lines = files.flatMap((f) => readFileSync(f, 'utf8').split('\n'));
        const started = Date.now();
        const report = await importNdjson(core, lines, { onProgress: (n) => process.stderr.write(`\r${n} resources`) });
        process.stderr.write('\n');
        console.log(`imported ${report.loaded} resources in ${((Date.now() - started) / 1000).toFixed(1)} s; ${report.failed.length} failed`);
        for (const f of report.failed.slice(0, 50)) console.log(`  ${f.line}: ${f.status} ${f.message}`);
        return report.failed.length ? 1 : 0;
      }
      case 'reindex': {
        const { values } = parseArgs({ args: rest, options: { type: { type: 'string', multiple: true } } });
        const n = await reindexResources(core.db, core.services.searchParameters, { ...(values.type ? { types: values.type } : {}), onProgress: (d) => process.stderr.write(`\r${d} resources`) });
        await refreshStatistics(core.db);
        process.stderr.write('\n');
        console.log(`reindexed ${n} resources`);
        return 0;
      }
      case 'forecast': {
        if (rest[0] !== 'refresh') throw new ConfigError('usage: forecast refresh');
        const ids = (await core.db.query<{ id: string }>(`SELECT id FROM resource WHERE resource_type = 'Patient' AND NOT deleted ORDER BY id`)).map((r) => r.id);
        let done = 0;
        for (let i = 0; i < ids.length; i += 200) {
          done += await core.repo.transaction((tx) => core.services.forecast?.refresh(tx, ids.slice(i, i + 200)) ?? Promise.resolve(0));
          process.stderr.write(`\r${done} patients`);
        }
        process.stderr.write('\n');
        console.log(`refreshed ${done} stored recommendations`);
        return 0;
      }
      default:
        console.error(`Unknown command "${command}"\n\n${usage()}`);
        return 1;
    }
  } finally {
    await core.close();
  }
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`Error: ${err.message}`);
    process.exitCode = 2;
  } else {
    throw err;
  }
}
