import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module.js';
import { TopologyImportController } from './topology-import.controller.js';
import { TopologyImportService } from './topology-import.service.js';

/** Import: applications described elsewhere (Compose files) become topologies, planned by PlansService. */
@Module({
  imports: [PlansModule],
  controllers: [TopologyImportController],
  providers: [TopologyImportService],
})
export class TopologyImportModule {}
