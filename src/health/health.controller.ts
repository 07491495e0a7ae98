import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { ReadinessService } from './readiness.service.js';

type Health = { status: 'ok' };

/** Liveness and readiness probes (Kubernetes, compose, load balancers). */
@ApiTags('health')
// No credentials (an empty security requirement): probes and load balancers call it as they are.
@ApiSecurity({})
@Controller('health')
// Orchestrators and load balancers probe without credentials; the answers reveal nothing.
@Public()
export class HealthController {
  constructor(@Inject(ReadinessService) private readonly readiness: ReadinessService) {}

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
    await this.readiness.check();
    return { status: 'ok' };
  }
}
