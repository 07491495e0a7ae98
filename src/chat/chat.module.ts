import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module.js';
import { ChatCommandService } from './chat-command.service.js';
import { chatConfigProvider, CHAT_CLOCK, systemClock } from './chat.config.js';
import { ChatController } from './chat.controller.js';
import { ChatApiAccessGuard, MattermostTokenGuard, SlackSignatureGuard, TeamsSignatureGuard } from './chat-guards.js';

/** Slash commands and chat webhooks: a thin transport over PlansService. */
@Module({
  imports: [PlansModule],
  controllers: [ChatController],
  providers: [
    ChatCommandService,
    chatConfigProvider,
    { provide: CHAT_CLOCK, useValue: systemClock },
    SlackSignatureGuard,
    MattermostTokenGuard,
    TeamsSignatureGuard,
    ChatApiAccessGuard,
  ],
})
export class ChatModule {}
