import { Inject, Injectable } from '@nestjs/common';
import { CHAT_CONFIG, type ChatConfig } from '../../chat/chat.config.js';
import { CLOCK, type Clock } from '../../common/clock.js';
import {
  verifyMattermostRequest,
  verifySlackRequest,
  verifyTeamsRequest,
  type Verification,
} from '../../chat/request-verification.js';
import { DomainError } from '../../common/domain-error.js';
import { chatTeamOf, type ChatPlatform } from '../../config/chat-teams.js';
import { Refusal, singleHeader, type CredentialRequest, type CredentialStrategy } from '../credentials.js';
import type { Principal, Scope } from '../principal.js';

/**
 * The chat platforms' webhooks prove who sent them with a signature (or token) over the raw body
 * Fastify kept (`rawBody: true` in createApp). A platform without its secret is switched off: 503,
 * never served unauthenticated. A refused webhook gets no WWW-Authenticate: it is not a Bearer
 * credential, and a platform has no use for a challenge.
 */

/**
 * What a verified chat request may do: read and plan. Its team comes from CHAT_TEAMS, by the
 * workspace and channel the platform put in the signed body; unmapped, it has none and sees only
 * plans without a team, like a key without a team.
 */
export const CHAT_SCOPES: Scope[] = ['plans:read', 'plans:write'];

type ChatPlace = { workspace: string | undefined; channel: string | undefined };

function notConfigured(system: string, variable: string): Refusal {
  return Refusal.invalid(
    new DomainError('UNAVAILABLE', `${system} commands are switched off: set ${variable} to enable them.`),
  );
}

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

/** Verified: the request acts as a `chat` Principal of the team its place maps to. Refused: a 401. */
function chatPrincipal(
  verification: Verification,
  config: ChatConfig,
  platform: ChatPlatform,
  place: ChatPlace,
): Principal | Refusal {
  if (!verification.ok) {
    return Refusal.invalid(DomainError.unauthenticated(verification.reason));
  }
  const team = chatTeamOf(config.teams ?? {}, platform, place.workspace, place.channel);
  return { kind: 'chat', platform, team, scopes: CHAT_SCOPES };
}

/** Slack: X-Slack-Signature, an HMAC of the timestamp and raw body, at most 5 minutes old. */
@Injectable()
export class SlackStrategy implements CredentialStrategy {
  readonly name = 'slack';

  constructor(
    @Inject(CHAT_CONFIG) private readonly config: ChatConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  authenticate(request: CredentialRequest): Principal | Refusal {
    const signingSecret = this.config.slackSigningSecret;
    if (signingSecret === undefined) {
      return notConfigured('Slack', 'SLACK_SIGNING_SECRET');
    }
    const verification = verifySlackRequest({
      signingSecret,
      timestamp: singleHeader(request, 'x-slack-request-timestamp'),
      signature: singleHeader(request, 'x-slack-signature'),
      rawBody: request.rawBody,
      nowMs: this.clock.now(),
    });
    return chatPrincipal(verification, this.config, 'slack', slashCommandPlace(request.body));
  }
}

/** Mattermost: the slash command's token, in the form's `token` or `Authorization: Token <token>`. */
@Injectable()
export class MattermostStrategy implements CredentialStrategy {
  readonly name = 'mattermost';

  constructor(@Inject(CHAT_CONFIG) private readonly config: ChatConfig) {}

  authenticate(request: CredentialRequest): Principal | Refusal {
    const expectedToken = this.config.mattermostToken;
    if (expectedToken === undefined) {
      return notConfigured('Mattermost', 'MATTERMOST_TOKEN');
    }
    const body = request.body;
    const verification = verifyMattermostRequest({
      expectedToken,
      bodyToken: typeof body === 'object' && body !== null ? (body as Record<string, unknown>).token : undefined,
      authorization: singleHeader(request, 'authorization'),
    });
    return chatPrincipal(verification, this.config, 'mattermost', slashCommandPlace(body));
  }
}

/** Microsoft Teams outgoing webhook: `Authorization: HMAC <base64 HMAC-SHA256 of the raw body>`. */
@Injectable()
export class TeamsStrategy implements CredentialStrategy {
  readonly name = 'teams';

  constructor(@Inject(CHAT_CONFIG) private readonly config: ChatConfig) {}

  authenticate(request: CredentialRequest): Principal | Refusal {
    const securityToken = this.config.teamsHmacSecret;
    if (securityToken === undefined) {
      return notConfigured('Microsoft Teams', 'TEAMS_HMAC_SECRET');
    }
    const verification = verifyTeamsRequest({
      securityToken,
      authorization: singleHeader(request, 'authorization'),
      rawBody: request.rawBody,
    });
    return chatPrincipal(verification, this.config, 'teams', teamsPlace(request.body));
  }
}
