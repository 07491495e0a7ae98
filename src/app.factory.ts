import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import { BODY_LIMIT_BYTES } from './common/body-limit.js';
import { ProblemFilter } from './common/problem.filter.js';
import { RouteTable } from './common/route-table.js';
import { loadConfig, type Config } from './config/config.js';
import { nestLogLevels } from './config/log-levels.js';
import { addPlanSchemas } from './plans/plans.openapi.js';

export const OPENAPI_PATH = 'docs/openapi.json';

/**
 * Builds the application exactly as it runs: main.ts only adds `listen`, and every e2e test uses
 * this too, so tests exercise the real body limit, parsers, error filter and OpenAPI setup.
 * `overrides` replace values of the environment's Config (tests: `{ dataDir: 'memory://' }`).
 * The app is initialized and its Fastify instance ready when this resolves.
 */
export async function createApp(overrides: Partial<Config> = {}): Promise<NestFastifyApplication> {
  const config: Config = { ...loadConfig(), ...overrides };
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES });
  const routes = RouteTable.attach(adapter.getInstance());
  // Fastify parses text/plain by default; nothing here takes text, so it gets a 415 like any other type.
  adapter.getInstance().removeContentTypeParser('text/plain');
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    // The chat transport verifies Slack's signature over the exact bytes sent: `req.rawBody`.
    rawBody: true,
    logger: nestLogLevels(config.logLevel),
    // Fail with an error the caller (a test, main.ts) can report, rather than abort the process.
    abortOnError: false,
  });
  // Slack posts slash commands as a form; a plain object is what handlers expect (the default
  // parser returns one without a prototype).
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit: BODY_LIMIT_BYTES }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  });
  app.useGlobalFilters(new ProblemFilter(routes));
  setUpOpenApi(app);
  app.enableShutdownHooks();
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

function setUpOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Exposure Planner')
    .setDescription(
      'Plans how each component of an application should be exposed on Kubernetes: the Service type and why, ' +
        'the manifests, the monthly cost and the security findings. Errors are RFC 9457 problems (application/problem+json).',
    )
    .setVersion('1.0.0')
    .build();
  // Built on first request, not at boot: boot time matters to tests and restarts, the document rarely.
  const document = () => addPlanSchemas(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: OPENAPI_PATH,
    customSiteTitle: 'Exposure Planner API',
  });
}
