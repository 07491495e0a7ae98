import { DomainError } from '../domain-error.js';

/** The DomainError a promise rejects with; the test fails if it resolves or rejects with anything else. */
export async function domainErrorOf(work: Promise<unknown>): Promise<DomainError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}
