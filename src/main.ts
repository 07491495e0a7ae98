import { Logger } from '@nestjs/common';
import { createApp } from './app.factory.js';
import { ConfigError, loadConfig } from './config/config.js';

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
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  new Logger('Bootstrap').log(`Listening on http://${config.host}:${config.port} (API docs at /docs)`);
}

main().catch((error: unknown) => {
  console.error('Failed to start:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
