import { Inject, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CallerAccess } from '../auth/auth.decorators.js';
import type { PlanAccess } from '../plans/plan-access.js';
import { FROM_QUERY, PlanReadRoute, PlansResource, revisionQuery, TO_QUERY } from '../plans/plans.controller.js';
import { PlansService } from '../plans/plans.service.js';
import {
  renderPlanDiagramMermaid,
  renderPlanDiagramSvg,
  renderPlanDiffDiagramMermaid,
  renderPlanDiffDiagramSvg,
} from './index.js';

/** The diagram as a picture. */
export const SVG_CONTENT_TYPE = 'image/svg+xml; charset=utf-8';
/**
 * Mermaid text: the type the Mermaid project recommends (https://mermaid.js.org/ecosystem/integrations-create.html).
 * IANA registered application/vnd.mermaid, but a text/ type is what browsers and curl show as text.
 */
export const MERMAID_CONTENT_TYPE = 'text/vnd.mermaid; charset=utf-8';

const REVISION_QUERY = revisionQuery(
  'revision',
  'The revision to draw; default: the latest. A revision the plan does not have is a 404.',
);

const SVG_RESPONSE = { status: 200, content: { 'image/svg+xml': { schema: { type: 'string' } } } } as const;
const MERMAID_RESPONSE = { status: 200, content: { 'text/vnd.mermaid': { schema: { type: 'string' } } } } as const;

const DIAGRAM_DESCRIPTION =
  'The internet or the VPC → each entry point (load balancer, the Ingress or Gateway with its class, a NodePort on ' +
  'the nodes, with its monthly cost) → the Services (type and ports) → the components; dependsOn calls as the ' +
  "plan's NetworkPolicies allow them (refused ones dashed red); ExternalName targets outside the cluster; " +
  'components with a high or critical finding outlined in red. The same revision gives the same bytes. As SVG, at most ' +
  '1,000 nodes (about 450 components; a 400 past that: use the .mmd route). See docs/diagrams.md.';

/**
 * Diagrams of stored plans: parse → PlansService (the same access rules and 404s as every other
 * plan sub-resource) → a renderer of src/diagrams. No rule lives here.
 */
@PlansResource()
export class DiagramsController {
  constructor(@Inject(PlansService) private readonly plans: PlansService) {}

  @PlanReadRoute(
    ':id/diagram.svg',
    { summary: 'The traffic diagram of a plan revision, as SVG', description: DIAGRAM_DESCRIPTION },
    [REVISION_QUERY],
    SVG_RESPONSE,
  )
  async svg(
    @Param('id') id: string,
    @Query('revision') revision: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CallerAccess() access: PlanAccess,
  ): Promise<string> {
    const plan = await this.plans.revision(id, revision, access);
    return answer(reply, SVG_CONTENT_TYPE, renderPlanDiagramSvg(plan));
  }

  @PlanReadRoute(
    ':id/diagram.mmd',
    {
      summary: 'The traffic diagram of a plan revision, as a Mermaid flowchart',
      description: `For GitHub, GitLab, Backstage and Markdown (\`\`\`mermaid blocks). ${DIAGRAM_DESCRIPTION}`,
    },
    [REVISION_QUERY],
    MERMAID_RESPONSE,
  )
  async mermaid(
    @Param('id') id: string,
    @Query('revision') revision: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CallerAccess() access: PlanAccess,
  ): Promise<string> {
    const plan = await this.plans.revision(id, revision, access);
    return answer(reply, MERMAID_CONTENT_TYPE, renderPlanDiagramMermaid(plan));
  }

  @PlanReadRoute(
    ':id/diff/diagram.svg',
    {
      summary: 'What changed between two revisions, as an SVG diagram',
      description:
        'The newer revision drawn with connections added in green and removed ones dashed red, nodes added, removed ' +
        'and changed filled green, red and orange; the heading gives the cost moved and the findings added and ' +
        'resolved. `from` and `to` default as in GET /v1/plans/{id}/diff.',
    },
    [FROM_QUERY, TO_QUERY],
    SVG_RESPONSE,
  )
  async diffSvg(
    @Param('id') id: string,
    @Query('from') from: unknown,
    @Query('to') to: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CallerAccess() access: PlanAccess,
  ): Promise<string> {
    const [older, newer] = await this.plans.revisionPair(id, { from, to }, access);
    return answer(reply, SVG_CONTENT_TYPE, renderPlanDiffDiagramSvg(older, newer));
  }

  @PlanReadRoute(
    ':id/diff/diagram.mmd',
    {
      summary: 'What changed between two revisions, as a Mermaid flowchart',
      description: 'The diff diagram of GET /v1/plans/{id}/diff/diagram.svg as Mermaid text.',
    },
    [FROM_QUERY, TO_QUERY],
    MERMAID_RESPONSE,
  )
  async diffMermaid(
    @Param('id') id: string,
    @Query('from') from: unknown,
    @Query('to') to: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CallerAccess() access: PlanAccess,
  ): Promise<string> {
    const [older, newer] = await this.plans.revisionPair(id, { from, to }, access);
    return answer(reply, MERMAID_CONTENT_TYPE, renderPlanDiffDiagramMermaid(older, newer));
  }
}

/** The type is set once the body is there: a failure before it is answered as a problem, not as an SVG. */
async function answer(reply: FastifyReply, contentType: string, body: string | Promise<string>): Promise<string> {
  const text = await body;
  void reply.header('content-type', contentType);
  return text;
}
