import { ConfigError, createTruceline, loadConfig } from './app.js';
import { ADMIN_PASSWORD_FILE } from './auth/bootstrap.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`truceline: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  // A broken process must not limp on: Node still exits on an uncaught exception or rejection;
  // this only puts the cause in the JSON log first, where operators look.
  process.on('uncaughtExceptionMonitor', (error, origin) => log.fatal({ err: error, origin }, 'uncaught exception; exiting'));
  const server = await createTruceline(config, log);
  const url = await server.listen();
  if (server.admin.created) {
    const where = server.admin.passwordFile
      ? `its password is in ${server.admin.passwordFile}`
      : 'its password is the ADMIN_PASSWORD you set';
    process.stdout.write(`\nTruceline created the account "admin"; ${where}\n`);
  } else if (config.adminPassword === undefined) {
    process.stdout.write(`\nSign in as an admin (first run wrote its password to ${config.dataDir}/${ADMIN_PASSWORD_FILE}).\n`);
  }
  process.stdout.write(`Truceline is serving on ${url}\n\n`);

  const stop = (signal: string) => {
    log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  // A setting found wrong only once it is used (a weak ADMIN_PASSWORD on a database without an admin).
  if (error instanceof ConfigError) {
    process.stderr.write(`truceline: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`truceline: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
