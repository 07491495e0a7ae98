import { Global, Module } from '@nestjs/common';
import { PrismaService } from './prisma.service.js';

/** One Prisma client for the whole app (global: repositories inject PrismaService without importing this). */
@Global()
@Module({ providers: [PrismaService], exports: [PrismaService] })
export class DatabaseModule {}
