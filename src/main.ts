import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { seedDemoDataIfEmpty } from './registry/demo/seed.ts';
import { removeAdminEndpoint, writeAdminEndpoint } from './cli/admin-endpoint.ts';

/** Process entry: configuration, app, first-start demo data, listen, graceful shutdown. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const registry = await buildApp(config);
  if (config.seedDemoData) {
    const seeded = await seedDemoDataIfEmpty(registry.core);
    if (seeded) registry.app.log.info({ resources: seeded }, 'loaded the demo data set');
  }
  await registry.app.listen({ port: config.port, host: config.host });
  const address = registry.app.server.address();
  const adminSecret = registry.adminSecret;
  if (adminSecret && address && typeof address === 'object') {
    writeAdminEndpoint(config.dataDir, { port: address.port, secret: adminSecret, pid: process.pid });
  }
  console.log(`Open IIS is running. FHIR base URL: ${config.baseUrl}/fhir`);
  let mllp;
  try {
    mllp = await registry.hl7.mllpStarted();
  } catch (err) {
    console.error(`MLLP listener could not start on port ${config.mllpPort}: ${err instanceof Error ? err.message : String(err)}`);
    await registry.close();
    process.exit(1);
  }
  console.log(`HL7 v2: SOAP at ${config.baseUrl}/hl7/soap (WSDL ?wsdl), HTTP at ${config.baseUrl}/hl7/v2${mllp ? `, MLLP on port ${mllp.port}` : ''}`);
  console.log(`Database: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`}`);
  const stop = async (signal: string): Promise<void> => {
    registry.app.log.info({ signal }, 'shutting down');
    if (adminSecret) removeAdminEndpoint(config.dataDir, adminSecret);
    await registry.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

await main();
