import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { DomainError } from '../common/domain-error.js';
import { PrismaService } from '../database/prisma.service.js';

type Health = { status: 'ok' };

const READY_TIMEOUT_MS = 2_000;

/** Liveness and readiness probes (Kubernetes, compose, load balancers). */
@ApiTags('health')
// No credentials (an empty security requirement): probes and load balancers call it as they are.
@ApiSecurity({})
@Controller('health')
// Orchestrators and load balancers probe without credentials; the answers reveal nothing.
@Public()
export class HealthController {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiResponse({ status: 200, schema: { $ref: '#/components/schemas/Health' } })
  live(): Health {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database answers SELECT 1' })
  @ApiResponse({ status: 200, schema: { $ref: '#/components/schemas/Health' } })
  @ApiProblems(503)
  async ready(): Promise<Health> {
    await withTimeout(this.prisma.ping(), READY_TIMEOUT_MS).catch(() => {
      throw new DomainError('UNAVAILABLE', 'The database does not answer.');
    });
    return { status: 'ok' };
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
