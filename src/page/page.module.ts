import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module.js';
import { PLAN_DIAGRAM, planDiagram } from './plan-diagram.js';
import { PlanPageController } from './plan-page.controller.js';
import { ShareLinkController } from './share-link.controller.js';

/**
 * The plan's web page and the share links that open it. The diagram comes through PLAN_DIAGRAM,
 * drawn by the diagrams module (plan-diagram.ts).
 */
@Module({
  imports: [PlansModule],
  controllers: [PlanPageController, ShareLinkController],
  providers: [{ provide: PLAN_DIAGRAM, useValue: planDiagram }],
})
export class PageModule {}
