import type { LogLevel as NestLogLevel } from '@nestjs/common';
import type { LogLevel } from './config.js';

const ORDER: NestLogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** LOG_LEVEL as Nest's list of enabled levels (`info` is Nest's `log`); false turns the logger off. */
export function nestLogLevels(level: LogLevel): NestLogLevel[] | false {
  if (level === 'silent') {
    return false;
  }
  const nest: NestLogLevel = level === 'info' ? 'log' : level;
  return ORDER.slice(0, ORDER.indexOf(nest) + 1);
}
