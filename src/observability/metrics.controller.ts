import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Credentials, RequireScopes } from '../auth/auth.decorators.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { APP_METRICS, type AppMetrics } from './metrics.js';

/** Prometheus scrape endpoint; see docs/operations.md for the series and how to scrape with a token. */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(APP_METRICS) private readonly metrics: AppMetrics) {}

  @Get()
  // A scraper's METRICS_TOKEN, or an admin key (in protected mode, a client on this machine). Metrics
  // hold no plan, but they show traffic per route and are not for the internet.
  @Credentials(
    ['metrics-token', 'api-key', 'loopback'],
    'Metrics need an API key with the admin scope, or Authorization: Bearer <METRICS_TOKEN>.',
  )
  @RequireScopes('admin')
  @ApiOperation({
    summary: 'Prometheus metrics',
    description: 'Needs an API key with the admin scope, or Authorization: Bearer <METRICS_TOKEN>.',
  })
  @ApiBearerAuth()
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'Prometheus text exposition format 0.0.4.' })
  @ApiProblems(401, 403)
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const { contentType, body } = await this.metrics.render();
    void reply.header('content-type', contentType);
    return body;
  }
}
