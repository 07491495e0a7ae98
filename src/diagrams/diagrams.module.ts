import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module.js';
import { DiagramsController } from './diagrams.controller.js';

/** Traffic diagrams of stored plans (SVG and Mermaid): reads plans through PlansService, renders in src/diagrams. */
@Module({
  imports: [PlansModule],
  controllers: [DiagramsController],
})
export class DiagramsModule {}
