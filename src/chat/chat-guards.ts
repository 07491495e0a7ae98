import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../common/domain-error.js';
import { CHAT_CLOCK, CHAT_CONFIG, type ChatConfig, type Clock } from './chat.config.js';
import {
  verifyMattermostRequest,
  verifySlackRequest,
  verifyTeamsRequest,
  type Verification,
} from './request-verification.js';

/**
 * The guards that decide whether a chat request may run at all, before its handler reads a single
 * parsed field. Each verifies over the raw body Fastify kept (`rawBody: true` in createApp). A chat
 * system without its secret is switched off: 503, never served unauthenticated.
 */

type ChatRequest = RawBodyRequest<FastifyRequest>;

function requestOf(context: ExecutionContext): ChatRequest {
  return context.switchToHttp().getRequest<ChatRequest>();
}

function header(request: ChatRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function notConfigured(system: string, variable: string): never {
  // A DomainError, so the problem filter answers 503 problem+json like any other "cannot serve now".
  throw new DomainError('UNAVAILABLE', `${system} commands are switched off: set ${variable} to enable them.`);
}

function allowOrRefuse(verification: Verification): true {
  if (!verification.ok) {
    throw new UnauthorizedException(verification.reason);
  }
  return true;
}

@Injectable()
export class SlackSignatureGuard implements CanActivate {
  constructor(
    @Inject(CHAT_CONFIG) private readonly config: ChatConfig,
    @Inject(CHAT_CLOCK) private readonly clock: Clock,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const signingSecret = this.config.slackSigningSecret ?? notConfigured('Slack', 'SLACK_SIGNING_SECRET');
    const request = requestOf(context);
    return allowOrRefuse(
      verifySlackRequest({
        signingSecret,
        timestamp: header(request, 'x-slack-request-timestamp'),
        signature: header(request, 'x-slack-signature'),
        rawBody: request.rawBody,
        nowMs: this.clock(),
      }),
    );
  }
}

@Injectable()
export class MattermostTokenGuard implements CanActivate {
  constructor(@Inject(CHAT_CONFIG) private readonly config: ChatConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expectedToken = this.config.mattermostToken ?? notConfigured('Mattermost', 'MATTERMOST_TOKEN');
    const request = requestOf(context);
    const body: unknown = request.body;
    return allowOrRefuse(
      verifyMattermostRequest({
        expectedToken,
        bodyToken: typeof body === 'object' && body !== null ? (body as Record<string, unknown>).token : undefined,
        authorization: header(request, 'authorization'),
      }),
    );
  }
}

@Injectable()
export class TeamsSignatureGuard implements CanActivate {
  constructor(@Inject(CHAT_CONFIG) private readonly config: ChatConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const securityToken = this.config.teamsHmacSecret ?? notConfigured('Microsoft Teams', 'TEAMS_HMAC_SECRET');
    const request = requestOf(context);
    return allowOrRefuse(
      verifyTeamsRequest({ securityToken, authorization: header(request, 'authorization'), rawBody: request.rawBody }),
    );
  }
}

/**
 * POST /v1/chat/command's slot for authentication. The REST API has none yet; the API-key issue
 * adds one guard to every transport, and this is where it goes for chat. Until then it lets every
 * request through, like the rest of the API.
 */
@Injectable()
export class ChatApiAccessGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}
