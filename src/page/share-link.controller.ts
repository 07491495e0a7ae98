import { HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CallerAccess, RequireScopes } from '../auth/auth.decorators.js';
import { ShareLinks, type ShareLink } from '../auth/strategies/share-link-token.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import type { PlanAccess } from '../plans/plan-access.js';
import { ID_PARAM, PlansResource } from '../plans/plans.controller.js';
import { PlansService } from '../plans/plans.service.js';

/** POST /v1/plans/:id/share: a link to the plan's page for people without an API key. */
@PlansResource()
export class ShareLinkController {
  constructor(
    @Inject(PlansService) private readonly plans: PlansService,
    @Inject(ShareLinks) private readonly links: ShareLinks,
  ) {}

  @Post(':id/share')
  @HttpCode(200)
  @RequireScopes('plans:read')
  @ApiOperation({
    summary: 'A share link to the plan’s page',
    description:
      'A URL of `GET /plans/{id}` carrying a signed, read-only token for this one plan, valid SHARE_LINK_TTL_HOURS ' +
      '(72 by default). Anyone holding the URL can read the plan (and download its manifests) until `expiresAt`; ' +
      'rotating SHARE_LINK_SECRET revokes every link. Nothing is stored. 503 while SHARE_LINK_SECRET is unset. The ' +
      'URL starts with the address this request was sent to.',
  })
  @ApiParam(ID_PARAM)
  @ApiResponse({
    status: 200,
    schema: {
      type: 'object',
      required: ['url', 'expiresAt'],
      additionalProperties: false,
      properties: {
        url: { type: 'string', format: 'uri' },
        expiresAt: { type: 'string', format: 'date-time' },
      },
    },
  })
  @ApiProblems(400, 404, 503)
  async share(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @CallerAccess() access: PlanAccess,
  ): Promise<ShareLink> {
    // As the caller: a link is only ever made for a plan it may read.
    const plan = await this.plans.get(id, access);
    return this.links.create(plan.id, `${request.protocol}://${request.host}`);
  }
}
