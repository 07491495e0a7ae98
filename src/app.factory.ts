import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoNestLogger, PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { BODY_LIMIT_BYTES } from './common/body-limit.js';
import { answerUnreadableRequest } from './common/client-error.js';
import { jsonBodyParser } from './common/json-body.js';
import { jsonText } from './common/json-text.js';
import { answerLargeTextsAsBytes } from './common/answer-bytes.js';
import { ProblemFilter } from './common/problem.filter.js';
import { attachRequestDeadlines } from './common/request-deadline.js';
import { RouteTable } from './common/route-table.js';
import { YAML_MEDIA_TYPES, YamlText } from './common/yaml-body.js';
import { FORM_MEDIA_TYPE, routeBodyParser, type ExtraBodyTypes } from './common/body-types.js';
import { loadConfig, type Config } from './config/config.js';
import { nestLogLevels } from './config/log-levels.js';
import { TOPOLOGY_IMPORT_PATH } from './import/topology-import.controller.js';
import { MATTERMOST_COMMAND_PATH, SLACK_COMMAND_PATH } from './chat/chat.controller.js';
import { attachHttpObservability } from './observability/http-hooks.js';
import { pinoLevel, type LogDestination } from './observability/logging.js';
import { AppMetrics } from './observability/metrics.js';
import { ObservabilityModule } from './observability/observability.module.js';
import { requestIdOf } from './observability/request-id.js';
import { addPlanSchemas } from './plans/plans.openapi.js';

export const OPENAPI_PATH = 'docs/openapi.json';

export type AppOptions = {
  /** Where the JSON log lines go instead of stdout (tests capture them). */
  logDestination?: LogDestination;
};

/**
 * Builds the application exactly as it runs: main.ts only adds `listen` and the signal handlers,
 * and every e2e test uses this too, so tests exercise the real body limit, timeouts, parsers, error
 * filter, logs, metrics and OpenAPI setup.
 * `overrides` replace values of the environment's Config (tests: `{ dataDir: 'memory://' }`).
 * The app is initialized and its Fastify instance ready when this resolves.
 */
/** The routes that take a body other than JSON (src/common/body-types.ts): a Compose or Backstage document, a slash command form. */
const EXTRA_BODY_TYPES: ExtraBodyTypes = new Map<string, readonly string[]>([
  [TOPOLOGY_IMPORT_PATH, YAML_MEDIA_TYPES],
  [SLACK_COMMAND_PATH, [FORM_MEDIA_TYPE]],
  [MATTERMOST_COMMAND_PATH, [FORM_MEDIA_TYPE]],
]);

export async function createApp(
  overrides: Partial<Config> = {},
  options: AppOptions = {},
): Promise<NestFastifyApplication> {
  const config: Config = { ...loadConfig(), ...overrides };
  const adapter = new FastifyAdapter({
    // A request Node cannot read (URL or headers too large, not HTTP, too slow): a problem too.
    clientErrorHandler: answerUnreadableRequest,
    bodyLimit: BODY_LIMIT_BYTES,
    // The caller's X-Request-Id when valid, else a UUID: one id for the logs, the response header and problems.
    genReqId: requestIdOf,
    // Receiving the request line and headers (a client trickling them): past it, Node answers 408
    // and closes the connection. A body still arriving meets the request deadline below first.
    requestTimeout: config.requestTimeoutMs,
    // Node checks that timeout only every connectionsCheckingInterval, 30 s by default, so a slow
    // client held its socket for 10-40 s instead of 10; a pass over the open connections each
    // second costs next to nothing.
    http: { connectionsCheckingInterval: Math.min(1_000, config.requestTimeoutMs) },
  });
  // JSON.stringify, except for values whose text is already known (a stored plan's): src/common/json-text.ts.
  adapter.getInstance().setReplySerializer((payload) => jsonText(payload));
  answerLargeTextsAsBytes(adapter.getInstance());
  const routes = RouteTable.attach(adapter.getInstance());
  const metrics = new AppMetrics();
  attachHttpObservability(adapter.getInstance(), metrics);
  // From routing to the answer, on every transport: past it, a 503 problem, and the work stops.
  attachRequestDeadlines(adapter.getInstance(), config.requestTimeoutMs);
  // Fastify parses text/plain by default; nothing here takes text, so it gets a 415 like any other type.
  adapter.getInstance().removeContentTypeParser('text/plain');
  const root = AppModule.forRoot(config);
  root.imports = [
    ...(root.imports ?? []),
    ObservabilityModule.forRoot({ metrics, logDestination: options.logDestination }),
  ];
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, {
    // The chat transport verifies Slack's signature over the exact bytes sent: `req.rawBody`.
    rawBody: true,
    logger: nestLogLevels(config.logLevel),
    // Boot logs wait for the JSON logger below rather than going out as text.
    bufferLogs: true,
    // Fail with an error the caller (a test, main.ts) can report, rather than abort the process.
    abortOnError: false,
  });
  useJsonLogger(app, config);
  // Fastify's JSON parser, but an empty body on DELETE (sent with a JSON Content-Type) is no body.
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT_BYTES }, jsonBodyParser(adapter.getInstance()));
  // Slack and Mattermost post slash commands as a form; a plain object is what handlers expect (the
  // default parser returns one without a prototype). Everywhere else a form is a 415.
  app.useBodyParser(
    FORM_MEDIA_TYPE,
    { bodyLimit: BODY_LIMIT_BYTES },
    routeBodyParser(EXTRA_BODY_TYPES, FORM_MEDIA_TYPE, (body) =>
      Object.fromEntries(new URLSearchParams(body.toString('utf8'))),
    ),
  );
  // YAML is taken where a document is imported (a Compose file), and nowhere else (a 415 there).
  for (const type of YAML_MEDIA_TYPES) {
    app.useBodyParser(
      type,
      { bodyLimit: BODY_LIMIT_BYTES },
      routeBodyParser(EXTRA_BODY_TYPES, type, (body) => new YamlText(body.toString('utf8'))),
    );
  }
  app.useGlobalFilters(new ProblemFilter(routes, EXTRA_BODY_TYPES));
  setUpOpenApi(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

// nestjs-pino keeps one root logger per process (Nest's logger is per process too): the app
// created last sets its level.
function useJsonLogger(app: NestFastifyApplication, config: Config): void {
  app.useLogger(app.get(PinoNestLogger));
  if (PinoLogger.root) {
    PinoLogger.root.level = pinoLevel(config.logLevel);
  }
}

function setUpOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Exposure Planner')
    .setDescription(
      'Plans how each component of an application should be exposed on Kubernetes: the Service type and why, ' +
        'the manifests, the monthly cost and the security findings. Errors are RFC 9457 problems (application/problem+json).',
    )
    .setVersion('1.0.0')
    // Relative: the document describes the server that serves it, wherever it is deployed.
    .addServer('/', 'This server')
    .build();
  // package.json: UNLICENSED, i.e. no licence is granted; said here so that no reader assumes one.
  config.info.license = { name: 'UNLICENSED' };
  // Built on first request, not at boot: boot time matters to tests and restarts, the document rarely.
  const document = () => addPlanSchemas(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_PATH,
    customSiteTitle: 'Exposure Planner API',
  });
  redirectToOneDocsPage(app);
}

const DOCS_PATH = 'docs';

/**
 * Swagger UI's page names its scripts relative to the address it was served from, and from
 * /docs/?…, /docs/index.html (or /docs/ under some proxies) they resolve to /docs/docs/…, which
 * does not exist: a blank page. Those addresses are sent to /docs, where they resolve. The Location
 * is relative so that it also holds behind a proxy that serves the API under a path prefix.
 */
function redirectToOneDocsPage(app: NestFastifyApplication): void {
  const aliases = new Set([`/${DOCS_PATH}/`, `/${DOCS_PATH}/index.html`]);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      const [path, query] = splitQuery(request.url);
      if (request.method === 'GET' && aliases.has(path)) {
        void reply.redirect(`../${DOCS_PATH}${query}`, 301);
        return;
      }
      done();
    });
}

function splitQuery(url: string): [string, string] {
  const start = url.indexOf('?');
  return start === -1 ? [url, ''] : [url.slice(0, start), url.slice(start)];
}
