import type { Logger } from '@nestjs/common';
import { DATABASE_CONFLICT_MESSAGE, databaseFailureAsDomainError } from '../common/database-failure.js';
import { DomainError } from '../common/domain-error.js';

/** What a repository says when a concurrent change won (each words it for its own table). */
export type StorageErrorWording = { conflict: string };

const DEFAULT_WORDING: StorageErrorWording = { conflict: DATABASE_CONFLICT_MESSAGE };

/**
 * Runs a repository's statements and turns what the driver threw into what the application
 * understands: the one place a database failure becomes a DomainError, so no transport has to
 * recognise Prisma, pg or PGlite errors.
 *
 *   - unreachable or timed out → UNAVAILABLE (the transports answer 503 with Retry-After); logged
 *     here, with the driver's own words, since the answer never carries them;
 *   - a serialization failure or deadlock → CONFLICT (409: the caller may simply retry);
 *   - anything else (a constraint, a bug in a statement) stays as it is, for the repository to
 *     name (a taken key name) or for the transports to answer 500.
 *
 * The classification is src/common/database-failure.ts's, the same the error counter and the
 * readiness probe use.
 */
export async function translatingStorageErrors<T>(
  work: () => Promise<T>,
  logger: Pick<Logger, 'warn'>,
  wording: StorageErrorWording = DEFAULT_WORDING,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asDomainError(error, logger, wording);
  }
}

function asDomainError(error: unknown, logger: Pick<Logger, 'warn'>, wording: StorageErrorWording): unknown {
  const translated = databaseFailureAsDomainError(error, wording.conflict);
  if (translated?.code === 'UNAVAILABLE' && !(error instanceof DomainError)) {
    logger.warn(`Database unavailable: ${describe(error)}`);
  }
  return translated ?? error;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) {
    return String(error);
  }
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`;
}
