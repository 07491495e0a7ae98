import { DriverAdapterError, type IsolationLevel, type SqlQuery } from '@prisma/driver-adapter-utils';

/**
 * The messages between the main thread and the thread that runs embedded PGlite
 * (pglite-thread.ts starts it, pglite-host.ts answers). Plain data only: they cross threads by
 * structured clone.
 */

/** What the thread is started with. */
export type HostOptions = { dir: string };

/**
 * A request to the PGlite thread. `transaction` names one opened by `startTransaction`; without
 * one (absent or undefined) the statement runs on the instance itself.
 */
export type HostRequest =
  | { op: 'queryRaw' | 'executeRaw'; query: SqlQuery; transaction?: number | undefined }
  | { op: 'executeScript'; script: string }
  | { op: 'startTransaction'; isolationLevel?: IsolationLevel | undefined }
  | { op: 'commit' | 'rollback'; transaction: number }
  | { op: 'migrate' }
  | { op: 'close' };

export type HostCall = HostRequest & { id: number };

export type HostReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

/**
 * An error as it crosses threads. Structured clone keeps an Error's name and message but drops its
 * other fields, and those are what Prisma (a DriverAdapterError's `cause`) and the error classifier
 * (`code`, the `cause` chain) read.
 */
export type WireError = { name: string; message: string; code?: unknown; cause?: unknown };

type DriverAdapterErrorPayload = ConstructorParameters<typeof DriverAdapterError>[0];

export function toWire(error: unknown): WireError {
  if (!(error instanceof Error)) {
    return { name: 'Error', message: String(error) };
  }
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(isPlainData(code) && { code }),
    ...(cause instanceof Error ? { cause: toWire(cause) } : isPlainData(cause) && { cause }),
  };
}

export function fromWire(wire: WireError): Error {
  if (wire.name === 'DriverAdapterError' && isObject(wire.cause)) {
    // Rebuilt as the class itself: Prisma turns its payload into the P20xx error the caller sees.
    return new DriverAdapterError(wire.cause as DriverAdapterErrorPayload);
  }
  const cause = isWireError(wire.cause) ? fromWire(wire.cause) : wire.cause;
  const error = new Error(wire.message, cause === undefined ? undefined : { cause });
  error.name = wire.name;
  if (wire.code !== undefined) {
    Object.assign(error, { code: wire.code });
  }
  return error;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isWireError(value: unknown): value is WireError {
  return isObject(value) && typeof value.name === 'string' && typeof value.message === 'string';
}

/** Values structured clone carries as they are (a driver error's payload is made of these). */
function isPlainData(value: unknown, depth = 0): boolean {
  if (value === null || ['string', 'number', 'boolean', 'bigint', 'undefined'].includes(typeof value)) {
    return true;
  }
  if (depth > 4 || !isObject(value)) {
    return false;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== Array.prototype && prototype !== null) {
    return false;
  }
  return Object.values(value).every((item) => isPlainData(item, depth + 1));
}
