import { DriverAdapterError, isDriverAdapterError } from '@prisma/driver-adapter-utils';
import { classifyDatabaseError } from '../common/database-failure.js';
import { fromWire, toWire } from './pglite-protocol.js';

/** Through structured clone, as between the threads. */
const acrossThreads = (error: unknown): Error => fromWire(structuredClone(toWire(error)));

describe('errors between the PGlite thread and the main thread', () => {
  it('keeps a DriverAdapterError a DriverAdapterError, payload and all (Prisma reads both)', () => {
    const payload = {
      kind: 'postgres',
      code: '23505',
      severity: 'ERROR',
      message: 'duplicate key',
      originalCode: '23505',
    };
    const received = acrossThreads(new DriverAdapterError(payload as never));
    expect(received).toBeInstanceOf(DriverAdapterError);
    expect(isDriverAdapterError(received)).toBe(true);
    expect(received.cause).toEqual(payload);
  });

  it('keeps name, message, code and the cause chain the error classifier walks', () => {
    const inner = Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
    const outer = Object.assign(new Error('query failed', { cause: inner }), { name: 'QueryError', code: 'X1' });
    const received = acrossThreads(outer);
    expect(received).toMatchObject({ name: 'QueryError', message: 'query failed', code: 'X1' });
    expect(received.cause).toMatchObject({ message: 'Connection terminated unexpectedly', code: 'ECONNRESET' });
    expect(classifyDatabaseError(received)).toBe(classifyDatabaseError(outer));
    expect(classifyDatabaseError(received)).toBe('unreachable');
  });

  it('carries what is not an Error as its text, and leaves out fields structured clone cannot carry', () => {
    expect(acrossThreads('boom')).toMatchObject({ name: 'Error', message: 'boom' });
    const odd = Object.assign(new Error('odd'), { code: () => 'a function', cause: new Map([[1, 2]]) });
    const wire = toWire(odd);
    expect(wire).toEqual({ name: 'Error', message: 'odd' });
    expect(() => structuredClone(wire)).not.toThrow();
  });
});
