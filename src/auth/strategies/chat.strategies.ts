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

/** What differs between the platforms, besides how a request proves it knows the secret. */
const PLATFORMS: Record<
  ChatPlatform,
  {
    system: string;
    variable: string;
    secret: (config: ChatConfig) => string | undefined;
    place: (body: unknown) => ChatPlace;
  }
> = {
  slack: {
    system: 'Slack',
    variable: 'SLACK_SIGNING_SECRET',
    secret: (config) => config.slackSigningSecret,
    place: slashCommandPlace,
  },
  mattermost: {
    system: 'Mattermost',
    variable: 'MATTERMOST_TOKEN',
    secret: (config) => config.mattermostToken,
    place: slashCommandPlace,
  },
  teams: {
    system: 'Microsoft Teams',
    variable: 'TEAMS_HMAC_SECRET',
    secret: (config) => config.teamsHmacSecret,
    place: teamsPlace,
  },
};

/**
 * One rule for the three platforms; each says only how a request proves it knows the secret.
 * Verified: the request acts as a `chat` Principal of the team its place maps to. Refused: a 401.
 */
abstract class ChatStrategy implements CredentialStrategy {
  abstract readonly name: ChatPlatform;

  constructor(@Inject(CHAT_CONFIG) protected readonly config: ChatConfig) {}

  protected abstract verify(request: CredentialRequest, secret: string): Verification;

  authenticate(request: CredentialRequest): Principal | Refusal {
    const platform = PLATFORMS[this.name];
    const secret = platform.secret(this.config);
    if (secret === undefined) {
      return notConfigured(platform.system, platform.variable);
    }
    const verification = this.verify(request, secret);
    if (!verification.ok) {
      return Refusal.invalid(DomainError.unauthenticated(verification.reason));
    }
    const { workspace, channel } = platform.place(request.body);
    const team = chatTeamOf(this.config.teams ?? {}, this.name, workspace, channel);
    return { kind: 'chat', platform: this.name, team, scopes: CHAT_SCOPES };
  }
}

/** Slack: X-Slack-Signature, an HMAC of the timestamp and raw body, at most 5 minutes old. */
@Injectable()
export class SlackStrategy extends ChatStrategy {
  readonly name = 'slack';

  constructor(
    @Inject(CHAT_CONFIG) config: ChatConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super(config);
  }

  protected verify(request: CredentialRequest, signingSecret: string): Verification {
    return verifySlackRequest({
      signingSecret,
      timestamp: singleHeader(request, 'x-slack-request-timestamp'),
      signature: singleHeader(request, 'x-slack-signature'),
      rawBody: request.rawBody,
      nowMs: this.clock.now(),
    });
  }
}

/** Mattermost: the slash command's token, in the form's `token` or `Authorization: Token <token>`. */
@Injectable()
export class MattermostStrategy extends ChatStrategy {
  readonly name = 'mattermost';

  protected verify(request: CredentialRequest, expectedToken: string): Verification {
    const body = request.body;
    return verifyMattermostRequest({
      expectedToken,
      bodyToken: typeof body === 'object' && body !== null ? (body as Record<string, unknown>).token : undefined,
      authorization: singleHeader(request, 'authorization'),
    });
  }
}

/** Microsoft Teams outgoing webhook: `Authorization: HMAC <base64 HMAC-SHA256 of the raw body>`. */
@Injectable()
export class TeamsStrategy extends ChatStrategy {
  readonly name = 'teams';

  protected verify(request: CredentialRequest, securityToken: string): Verification {
    return verifyTeamsRequest({
      securityToken,
      authorization: singleHeader(request, 'authorization'),
      rawBody: request.rawBody,
    });
  }
}
