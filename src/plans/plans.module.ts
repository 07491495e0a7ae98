import { Module } from '@nestjs/common';
import { PlansController } from './plans.controller.js';
import { PlansRepository, PrismaPlansRepository } from './plans.repository.js';
import { PlansService } from './plans.service.js';

/** The plans feature: the application service every transport uses, its storage, and the REST controller. */
@Module({
  controllers: [PlansController],
  providers: [PlansService, { provide: PlansRepository, useClass: PrismaPlansRepository }],
  exports: [PlansService],
})
export class PlansModule {}
