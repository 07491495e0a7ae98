import { Logger } from '@nestjs/common';
import { z } from 'zod';
import { systemClock, type Clock } from '../common/clock.js';
import { translatingStorageErrors } from '../database/storage-errors.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { generateApiKey, hashApiKey } from './api-key.js';
import { SCOPES, TEAM_NAME, TEAM_NAME_RULE, type Scope } from './principal.js';

/** An API key as operators see it: never the key, never its hash. */
export type ApiKeyRecord = {
  id: string;
  name: string;
  scopes: Scope[];
  team: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
};

export type NewApiKey = { name: string; scopes: Scope[]; team: string | null };

/** A key that cannot be created (bad name, scopes or team; a name taken): every problem at once. */
export class ApiKeyError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ApiKeyError';
  }
}

export const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

const newKeySchema = z.object({
  name: z
    .string({ error: '--name is required' })
    .regex(KEY_NAME, '--name: letters, digits, ".", "_" or "-", at most 63, starting with a letter or digit'),
  scopes: z
    .array(
      z.enum(SCOPES, {
        error: `--scopes: each must be one of ${SCOPES.join(', ')}`,
      }),
      {
        error: `--scopes is required: a comma-separated list of ${SCOPES.join(', ')}`,
      },
    )
    .min(1, `--scopes is required: a comma-separated list of ${SCOPES.join(', ')}`)
    .transform((scopes) => SCOPES.filter((s) => scopes.includes(s))),
  team: z.string().regex(TEAM_NAME, `--team: ${TEAM_NAME_RULE}`).nullable(),
});

/** Checks what an operator typed: `scopes` as "plans:read,plans:write", `team` absent for none. */
export function parseNewApiKey(raw: { name?: string; scopes?: string; team?: string }): NewApiKey {
  const parsed = newKeySchema.safeParse({
    name: raw.name,
    scopes: raw.scopes
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    team: raw.team ?? null,
  });
  if (!parsed.success) {
    throw new ApiKeyError([...new Set(parsed.error.issues.map((issue) => issue.message))]);
  }
  return parsed.data;
}

type KeyRow = {
  id: string;
  name: string;
  scopes: string[];
  team: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
};

const RECORD_FIELDS = {
  id: true,
  name: true,
  scopes: true,
  team: true,
  createdAt: true,
  revokedAt: true,
  lastUsedAt: true,
} as const;

const logger = new Logger('ApiKeyStore');

/** Driver errors become DomainErrors here, where the SQL runs (src/database/storage-errors.ts). */
const guard = <T>(work: () => Promise<T>): Promise<T> => translatingStorageErrors(work, logger);

/**
 * The ApiKey table, for the service (authentication) and the `apikey` command alike. It only ever
 * sees a key to hash it: the key itself is returned once by `create` and stored nowhere.
 *
 * The repository of API keys, in the storage style of every table: the Prisma client, here its
 * model API, which says each of these statements (plans.repository.ts needs `$queryRaw`).
 */
export class ApiKeyStore {
  constructor(
    private readonly prisma: Pick<PrismaClient, 'apiKey'>,
    // The CLI (npm run apikey) has no app, so no injected clock: it revokes at the system's time.
    private readonly clock: Clock = systemClock,
  ) {}

  /** Stores a new key's hash; returns the key (show it once) and its record. */
  create(spec: NewApiKey): Promise<{ key: string; record: ApiKeyRecord }> {
    const key = generateApiKey();
    return guard(async () => {
      try {
        const row = await this.prisma.apiKey.create({
          data: {
            name: spec.name,
            hash: hashApiKey(key),
            scopes: spec.scopes,
            team: spec.team,
          },
          select: RECORD_FIELDS,
        });
        return { key, record: toRecord(row) };
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
          throw new ApiKeyError([
            `A key named "${spec.name}" already exists (revoked keys keep their name): choose another name.`,
          ]);
        }
        throw error;
      }
    });
  }

  /** Every key, active and revoked, oldest first. */
  list(): Promise<ApiKeyRecord[]> {
    return guard(async () => {
      const rows = await this.prisma.apiKey.findMany({
        select: RECORD_FIELDS,
        orderBy: { createdAt: 'asc' },
      });
      return rows.map(toRecord);
    });
  }

  /** Revokes the key named `name`: it stops working at once. */
  revoke(name: string): Promise<'revoked' | 'already-revoked' | 'not-found'> {
    return guard(async () => {
      const { count } = await this.prisma.apiKey.updateMany({
        where: { name, revokedAt: null },
        data: { revokedAt: new Date(this.clock.now()) },
      });
      if (count > 0) {
        return 'revoked';
      }
      return (await this.prisma.apiKey.count({ where: { name } })) > 0 ? 'already-revoked' : 'not-found';
    });
  }

  /** The key's record, revoked or not; null when no key hashes to the same value. */
  findByKey(key: string): Promise<ApiKeyRecord | null> {
    return guard(async () => {
      const row = await this.prisma.apiKey.findUnique({
        where: { hash: hashApiKey(key) },
        select: RECORD_FIELDS,
      });
      return row ? toRecord(row) : null;
    });
  }

  /** How many keys can be used: protected mode lasts while this is 0. */
  countActive(): Promise<number> {
    return guard(() => this.prisma.apiKey.count({ where: { revokedAt: null } }));
  }

  async touch(id: string, at: Date): Promise<void> {
    await guard(() => this.prisma.apiKey.update({ where: { id }, data: { lastUsedAt: at } }));
  }
}

function toRecord(row: KeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    // Only SCOPES are ever written; anything else in the column (a hand edit) grants nothing.
    scopes: SCOPES.filter((s) => row.scopes.includes(s)),
    team: row.team,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
  };
}
