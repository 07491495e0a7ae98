// Only what must run before the rest of the app is loaded is imported here: the Config, and the
// embedded database, whose thread opens PGlite while this one loads Nest, Fastify, Apollo and
// Prisma (pglite-start.ts). The app itself comes with the dynamic import in main().
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { openPgliteEarly } from './database/pglite-start.js';

/**
 * Refusals whose message is the whole story (what is wrong and what to do): a stack would bury it.
 * By name, as each sets it: their classes come with modules loaded later, or not at all.
 */
const EXPLAINED_REFUSALS = new Set([
  'ConfigError',
  'UnsafeListenError',
  'DatabaseInUseError',
  'PendingMigrationsError',
]);

/** Time a graceful shutdown may take beyond the longest a request can run before it is forced. */
const SHUTDOWN_GRACE_MS = 5_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  if (!config.databaseUrl) {
    openPgliteEarly(config.dataDir, 'the running service');
  }
  const [{ createApp }, { flushAnswersBeforeClosing }] = await Promise.all([
    import('./app.factory.js'),
    import('./common/graceful-close.js'),
  ]);
  const app = await createApp(config);
  // Before listening, so that it knows every connection.
  flushAnswersBeforeClosing(app.getHttpAdapter().getInstance().server);
  await app.listen({ port: config.port, host: config.host });
  const { Logger } = await import('@nestjs/common');
  stopGracefullyOnSignals(app, config, new Logger('Shutdown'));
  new Logger('Bootstrap').log(`Listening on http://${config.host}:${config.port} (API docs at /docs)`);
}

/**
 * SIGTERM (Kubernetes, docker stop) and SIGINT (Ctrl-C): stop accepting connections, let the
 * requests in flight finish and their answers be written to the last byte (graceful-close.ts), then
 * close the database (PrismaService closes last, after the HTTP server), and exit 0. A request
 * cannot outlive REQUEST_TIMEOUT_MS, so a shutdown that takes longer than that plus a grace period
 * is stuck (or a client has stopped reading its answer): exit 1 rather than hang until the
 * orchestrator's SIGKILL.
 */
function stopGracefullyOnSignals(
  app: NestFastifyApplication,
  config: Config,
  logger: { log(message: string): void; error(message: string, stack?: string): void },
): void {
  const stop = (signal: NodeJS.Signals): void => {
    logger.log(`${signal}: not accepting new connections; finishing the requests in flight, then closing the database`);
    const deadline = config.requestTimeoutMs + SHUTDOWN_GRACE_MS;
    setTimeout(() => {
      logger.error(`Requests were still in flight after ${deadline} ms; exiting anyway`);
      process.exit(1);
    }, deadline).unref();
    app.close().then(
      () => {
        logger.log('Stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error('Shutdown failed', error instanceof Error ? error.stack : String(error));
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  const explained = error instanceof Error && EXPLAINED_REFUSALS.has(error.name);
  console.error(
    'Failed to start:',
    error instanceof Error ? (explained ? error.message : (error.stack ?? error.message)) : error,
  );
  process.exit(1);
});
