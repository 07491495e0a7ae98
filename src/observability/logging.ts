import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { pino, stdSerializers, type Level, type LevelWithSilent, type LogFn, type Logger } from 'pino';
import { at } from '../common/at.js';
import type { LogLevel } from '../config/config.js';
import {
  censorSecrets,
  originalUrl,
  REDACT_PATHS,
  REDACTED,
  serializeRequest,
  serializeResponse,
} from './log-redaction.js';
import { requestIdOf } from './request-id.js';

/** Where log lines go: stdout in production, a capturing stream in a test. One JSON document per line. */
export type LogDestination = { write(line: string): unknown };

/** Our LOG_LEVEL as pino's level (`verbose` is pino's `trace`). */
export function pinoLevel(level: LogLevel): LevelWithSilent {
  return level === 'verbose' ? 'trace' : level;
}

// Probes and scrapes arrive every few seconds; their access lines would drown the rest. A failing
// readiness probe still logs its cause (HealthController), and every request is still counted.
const QUIET_PATHS = new Set(['/health', '/health/ready', '/metrics']);

/**
 * nestjs-pino builds ONE pino-http middleware, and with it one root logger, per process (as Nest's
 * own Logger override is per process); a second app in the same process (tests) reuses it. So the
 * destination is a switch the most recently created app points where it wants, and that app sets
 * the level on the root (`PinoLogger.root.level`, see createApp).
 */
class SwitchableDestination implements LogDestination {
  target: LogDestination = process.stdout;

  write(line: string): unknown {
    return this.target.write(line);
  }
}

const destination = new SwitchableDestination();
let processLogger: Logger | undefined;

/** The process's pino logger, writing to `target` (stdout by default) from now on. */
export function processLoggerWritingTo(target: LogDestination = process.stdout): Logger {
  destination.target = target;
  processLogger ??= pino(
    {
      // The root decides (see above); the base logger lets everything through to it.
      level: 'trace',
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        // Any field named like a credential, in any object logged, whatever the call site.
        log: (object) => censorSecrets(object),
      },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      serializers: { err: stdSerializers.err },
      hooks: {
        // The message can quote input (a path, a name), and so an API key; objects are the formatter's.
        logMethod(args, method) {
          const censored = args.map((arg: unknown) => (typeof arg === 'string' ? censorSecrets(arg) : arg));
          method.apply(this, censored as Parameters<LogFn>);
        },
      },
    },
    destination,
  );
  return processLogger;
}

/**
 * nestjs-pino's configuration: every log line is JSON; a request's lines carry its `requestId`
 * (the X-Request-Id the response returns); the access line ("request completed") has the method,
 * URL (secret query values censored), route pattern, status and `responseTime` in ms, and never a
 * header or a body.
 */
export function loggerParams(level: LogLevel, target?: LogDestination): Params {
  const logger = processLoggerWritingTo(target);
  return {
    // nestjs-pino's default route, '{/*splat}', matches nothing under Nest 12's Fastify adapter.
    forRoutes: [{ path: '/{*splat}', method: RequestMethod.ALL }],
    pinoHttp: {
      logger,
      level: pinoLevel(level),
      genReqId: (req: IncomingMessage) => requestIdOf(req),
      // In-request logs carry only the id; the access line carries the request itself.
      quietReqLogger: true,
      customAttributeKeys: { reqId: 'requestId' },
      // The serializers below get the raw request/response, not pino's default shape with headers.
      wrapSerializers: false,
      serializers: {
        req: (req: IncomingMessage) => serializeRequest(req),
        res: (res: ServerResponse) => serializeResponse(res),
        err: stdSerializers.err,
      },
      // A 503 is the service degrading as designed (database away, timeout): a warning. A 500 is a bug.
      customLogLevel: (_req, res, error): Level =>
        res.statusCode === 503 ? 'warn' : error !== undefined || res.statusCode >= 500 ? 'error' : 'info',
      customErrorMessage: () => 'request failed',
      // pino-http invents an Error ("failed with status code 503") with its own stack for a 5xx; the
      // real cause is logged where it happened (the problem filter), so the access line keeps to facts.
      customErrorObject: (_req, _res, error, value: Record<string, unknown>) =>
        isSynthetic(error) ? { ...value, err: undefined } : value,
      autoLogging: { ignore: (req) => QUIET_PATHS.has(at(originalUrl(req).split('?'), 0)) },
    },
  };
}

function isSynthetic(error: Error): boolean {
  return /^failed with status code \d+$/.test(error.message);
}
