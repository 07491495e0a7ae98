import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module.js';
import { diagramUnavailable, PLAN_DIAGRAM } from './plan-diagram.js';
import { PlanPageController } from './plan-page.controller.js';
import { ShareLinkController } from './share-link.controller.js';

/**
 * The plan's web page and the share links that open it. The diagram comes through PLAN_DIAGRAM:
 * until src/diagrams is in this build, an SVG saying it is unavailable (plan-diagram.ts).
 */
@Module({
  imports: [PlansModule],
  controllers: [PlanPageController, ShareLinkController],
  providers: [{ provide: PLAN_DIAGRAM, useValue: diagramUnavailable }],
})
export class PageModule {}
