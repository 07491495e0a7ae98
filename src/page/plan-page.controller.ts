import { randomBytes } from 'node:crypto';
import { Controller, Get, Header, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CallerAccess, Credentials, RequireScopes } from '../auth/auth.decorators.js';
import { SHARE_TOKEN_PARAM } from '../auth/strategies/share-link-token.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import type { PlanAccess } from '../plans/plan-access.js';
import { ID_PARAM } from '../plans/plans.controller.js';
import { PlansService } from '../plans/plans.service.js';
import { PLAN_DIAGRAM, type PlanDiagram } from './plan-diagram.js';
import { latestRevision, renderPlanPage } from './plan-page.js';

/**
 * The strictest policy the page works under: nothing loads from anywhere, the one inline script
 * and style run by this answer's nonce, no form posts, no framing, no <base> rewriting.
 */
export function pageSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * GET /plans/:id, for people: a share link's token (`?token=`, the `share-link` strategy) opens
 * it; protected mode's loopback caller needs none. Anything else is the same 404 as a plan that
 * does not exist, so a link that does not open tells nothing.
 */
@ApiTags('pages')
@Controller('plans')
export class PlanPageController {
  constructor(
    @Inject(PlansService) private readonly plans: PlansService,
    @Inject(PLAN_DIAGRAM) private readonly diagram: PlanDiagram,
  ) {}

  @Get(':id')
  // loopback first: in protected mode a page opens without a link; otherwise the share link's
  // refusal (a 404) is the last word.
  @Credentials(['loopback', 'share-link'])
  @RequireScopes('plans:read')
  // The URL holds the token: no Referer carries it to a site the page links to, no cache keeps it.
  @Header('referrer-policy', 'no-referrer')
  @Header('cache-control', 'no-store')
  @Header('x-content-type-options', 'nosniff')
  @Header('x-robots-tag', 'noindex')
  @ApiOperation({
    summary: 'A plan as a web page, opened with a share link',
    description:
      'Server-rendered HTML of the latest revision: the traffic diagram, the components, the cost, the findings, the ' +
      'manifests (copy and download) and every revision with its diff. Opened with the URL `POST /v1/plans/{id}/share` ' +
      'answers; a missing, expired or tampered token is a 404, like a plan that does not exist. In protected mode (no ' +
      'API key exists, a client on this machine) it opens without a token.',
  })
  @ApiParam(ID_PARAM)
  @ApiSecurity('shareLink')
  @ApiResponse({ status: 200, description: 'The page.', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiProblems(404, 429, 503)
  async page(
    @Param('id') id: string,
    @Query(SHARE_TOKEN_PARAM) token: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CallerAccess() access: PlanAccess,
  ): Promise<string> {
    const revisions = await this.plans.revisions(id, access);
    const nonce = randomBytes(16).toString('base64');
    const diagramSvg = await this.diagram(latestRevision(revisions));
    void reply.header('content-type', 'text/html; charset=utf-8');
    void reply.header('content-security-policy', pageSecurityPolicy(nonce));
    return renderPlanPage(revisions, { diagramSvg, nonce, token: typeof token === 'string' ? token : undefined });
  }
}
