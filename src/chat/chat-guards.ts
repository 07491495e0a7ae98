import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { requestOf as anyRequestOf } from '../auth/auth.decorators.js';
import type { Scope } from '../auth/principal.js';
import { getPrincipal, setPrincipal } from '../auth/request-principal.js';
import { DomainError } from '../common/domain-error.js';
import { chatTeamOf, type ChatPlatform } from '../config/chat-teams.js';
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

/**
 * What a verified chat request may do: read and plan. Its team comes from CHAT_TEAMS, by the
 * workspace and channel the platform put in the signed body; unmapped, it has none and sees only
 * plans without a team, like a key without a team.
 */
export const CHAT_SCOPES: Scope[] = ['plans:read', 'plans:write'];

type ChatPlace = { workspace?: string; channel?: string };

function field(value: unknown, ...path: string[]): string | undefined {
  let current = value;
  for (const key of path) {
    current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[key] : undefined;
  }
  return typeof current === 'string' ? current : undefined;
}

/** Slack and Mattermost slash commands post `team_id` and `channel_id`. */
function slashCommandPlace(body: unknown): ChatPlace {
  return { workspace: field(body, 'team_id'), channel: field(body, 'channel_id') };
}

/** A Teams activity names its tenant and channel in channelData (conversation as a fallback). */
function teamsPlace(body: unknown): ChatPlace {
  return {
    workspace: field(body, 'channelData', 'tenant', 'id') ?? field(body, 'conversation', 'tenantId'),
    channel: field(body, 'channelData', 'channel', 'id') ?? field(body, 'conversation', 'id'),
  };
}

/** After verification: the request acts as a `chat` Principal of the team its place maps to. */
function actAsChat(request: ChatRequest, config: ChatConfig, platform: ChatPlatform, place: ChatPlace): true {
  const team = chatTeamOf(config.teams ?? {}, platform, place.workspace, place.channel);
  setPrincipal(request, { kind: 'chat', platform, team, scopes: CHAT_SCOPES });
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
    allowOrRefuse(
      verifySlackRequest({
        signingSecret,
        timestamp: header(request, 'x-slack-request-timestamp'),
        signature: header(request, 'x-slack-signature'),
        rawBody: request.rawBody,
        nowMs: this.clock(),
      }),
    );
    return actAsChat(request, this.config, 'slack', slashCommandPlace(request.body));
  }
}

@Injectable()
export class MattermostTokenGuard implements CanActivate {
  constructor(@Inject(CHAT_CONFIG) private readonly config: ChatConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const expectedToken = this.config.mattermostToken ?? notConfigured('Mattermost', 'MATTERMOST_TOKEN');
    const request = requestOf(context);
    const body: unknown = request.body;
    allowOrRefuse(
      verifyMattermostRequest({
        expectedToken,
        bodyToken: typeof body === 'object' && body !== null ? (body as Record<string, unknown>).token : undefined,
        authorization: header(request, 'authorization'),
      }),
    );
    return actAsChat(request, this.config, 'mattermost', slashCommandPlace(body));
  }
}

@Injectable()
export class TeamsSignatureGuard implements CanActivate {
  constructor(@Inject(CHAT_CONFIG) private readonly config: ChatConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const securityToken = this.config.teamsHmacSecret ?? notConfigured('Microsoft Teams', 'TEAMS_HMAC_SECRET');
    const request = requestOf(context);
    allowOrRefuse(
      verifyTeamsRequest({ securityToken, authorization: header(request, 'authorization'), rawBody: request.rawBody }),
    );
    return actAsChat(request, this.config, 'teams', teamsPlace(request.body));
  }
}

/**
 * POST /v1/chat/command is for bots that hold an API key: the global auth guard has authenticated
 * the key and checked the route's @RequireScopes before this runs. This guard keeps the route
 * closed on its own as well: without an established api-key (or protected-mode loopback)
 * Principal it refuses, so removing or bypassing the global guard cannot open it.
 */
@Injectable()
export class ChatApiAccessGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const principal = getPrincipal(anyRequestOf(context));
    if (principal === undefined || principal.kind === 'chat') {
      throw new UnauthorizedException('An API key is required: send "Authorization: Bearer <key>".');
    }
    return true;
  }
}
