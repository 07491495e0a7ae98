import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module.js';
import { ChatCommandService } from './chat-command.service.js';
import { ChatController } from './chat.controller.js';

/**
 * Slash commands and chat webhooks: a thin transport over PlansService. Who sent a webhook is
 * decided by the global auth guard with the platform's credential strategy (src/auth/strategies);
 * ChatConfig comes from the global AuthModule, which reads the platforms' secrets.
 */
@Module({
  imports: [PlansModule],
  controllers: [ChatController],
  providers: [ChatCommandService],
})
export class ChatModule {}
