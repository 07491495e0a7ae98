import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error.js';
import { PrismaService } from '../database/prisma.service.js';

const READY_TIMEOUT_MS = 2_000;

/** Whether the service can serve: its database answers SELECT 1 within the probe's patience. */
@Injectable()
export class ReadinessService {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** Throws UNAVAILABLE (503) when the database does not answer in time. */
  async check(): Promise<void> {
    await withTimeout(this.prisma.ping(), READY_TIMEOUT_MS).catch(() => {
      throw new DomainError('UNAVAILABLE', 'The database does not answer.');
    });
  }
}

// A database that hangs must not hang the probe: the orchestrator wants an answer, even "no".
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
