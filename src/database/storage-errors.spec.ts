import { DomainError } from '../common/domain-error.js';
import { translatingStorageErrors } from './storage-errors.js';

/** What `work` threw once it went through the translation, and what was logged. */
async function translated(thrown: Error): Promise<{ error: unknown; warnings: string[] }> {
  const warnings: string[] = [];
  const error = await translatingStorageErrors(
    () => Promise.reject(thrown),
    { warn: (message: string) => warnings.push(message) },
    { conflict: 'Someone else changed it; retry.' },
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, warnings };
}

// Errors shaped as the drivers throw them (pg's DatabaseError carries the SQLSTATE in `code`).
const sqlState = (code: string, message: string) => Object.assign(new Error(message), { name: 'error', code });

describe(translatingStorageErrors.name, () => {
  it('answers what the work returns when nothing fails', async () => {
    expect(await translatingStorageErrors(() => Promise.resolve(42), { warn: () => {} })).toBe(42);
  });

  it('turns an unreachable database into UNAVAILABLE, logging the driver’s words', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

    const { error, warnings } = await translated(refused);

    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', message: 'The database does not answer; retry shortly.' });
    expect(warnings).toEqual([expect.stringContaining('ECONNREFUSED')]);
  });

  it('turns a timed-out statement into UNAVAILABLE too', async () => {
    const { error } = await translated(sqlState('57014', 'canceling statement due to statement timeout'));
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
  });

  it("turns a serialization failure or deadlock into CONFLICT, in the repository's words", async () => {
    for (const code of ['40001', '40P01']) {
      const { error, warnings } = await translated(sqlState(code, 'could not serialize access'));
      expect(error).toMatchObject({ code: 'CONFLICT', message: 'Someone else changed it; retry.' });
      expect(warnings).toEqual([]);
    }
  });

  it('leaves a query error, a DomainError and a bug of ours as they are', async () => {
    const unique = sqlState('23505', 'duplicate key value violates unique constraint');
    const notFound = DomainError.notFound('Plan "x"');
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    for (const thrown of [unique, notFound, bug]) {
      expect((await translated(thrown)).error).toBe(thrown);
    }
  });
});
