import { applyDecorators, Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiSecurity,
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiOperation,
  ApiResponse,
  ApiTags,
  type SchemaObject,
} from '@nestjs/swagger';
import { z } from 'zod';
import { Caller, Credentials, RequireScopes } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { DomainError } from '../common/domain-error.js';
import { Deadline, type RequestDeadline } from '../common/request-deadline.js';
import {
  toCommandMessage,
  toMattermostMessage,
  toSlackMessage,
  toTeamsMessage,
  type CommandMessage,
  type SlackMessage,
  type TeamsMessage,
} from './chat-reply.js';
import { ChatCommandService } from './chat-command.service.js';

/** Slack and Mattermost post a form; only `text` and `command` matter here, and fields are added over time. */
const slashCommandSchema = z.looseObject({
  text: z.string().catch(''),
  command: z.string().optional().catch(undefined),
});

/** A Bot Framework activity; Teams puts what the user wrote, mention included, in `text`. */
const teamsActivitySchema = z.looseObject({ text: z.string().catch('') });

/** Longer than any command a person types; Slack's own limit on slash command text is about 4,000. */
export const MAX_COMMAND_TEXT = 8000;

const commandRequestSchema = z.object({
  text: z
    .string({
      // A number or an object is not a missing command: say which of the two the caller sent.
      error: (issue) =>
        issue.input === undefined
          ? 'is required: the command, e.g. "list aws"'
          : `must be a string, not ${issue.input === null ? 'null' : typeof issue.input}: the command, e.g. "list aws"`,
    })
    .max(MAX_COMMAND_TEXT, `must be at most ${MAX_COMMAND_TEXT} characters`),
});

/** What tells each chat platform's requests apart: its OpenAPI security scheme and the secret that switches it on. */
const CHAT_PLATFORMS = {
  slack: { securityScheme: 'slackSignature', secret: 'SLACK_SIGNING_SECRET' },
  mattermost: { securityScheme: 'mattermostToken', secret: 'MATTERMOST_TOKEN' },
  teams: { securityScheme: 'teamsHmac', secret: 'TEAMS_HMAC_SECRET' },
} as const;

/**
 * POST v1/chat/<platform>. No API key: the platform proves itself with its own credential, and acts
 * for a mapped team (CHAT_SCOPES). 401 and 503 as such a route means them: a 503 here is a chat
 * system switched off, not a database down.
 */
function ChatPlatformRoute(
  platform: keyof typeof CHAT_PLATFORMS,
  operation: { summary: string; description: string },
): MethodDecorator {
  const { securityScheme, secret } = CHAT_PLATFORMS[platform];
  return applyDecorators(
    Post(platform),
    HttpCode(200),
    Credentials([platform]),
    RequireScopes('plans:read'),
    ApiSecurity(securityScheme),
    ApiOperation(operation),
    ApiProblems(401),
    ApiResponse({
      status: 503,
      description: `Switched off: ${secret} is not set. (Also when the database does not answer.)`,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    }),
  );
}

/** What the user wrote, cut at MAX_COMMAND_TEXT; empty when the platform's payload did not parse. */
function commandText(parsed: { success: true; data: { text: string } } | { success: false }): string {
  return parsed.success ? parsed.data.text.slice(0, MAX_COMMAND_TEXT) : '';
}

function slashCommand(body: unknown): { text: string; prefix: string } {
  const parsed = slashCommandSchema.safeParse(body);
  const text = commandText(parsed);
  const command = parsed.success ? parsed.data.command : undefined;
  // Echo the slash command the workspace chose (/plan, /exposure…) in help and hints, if it looks like one.
  return { text, prefix: command !== undefined && /^\/[\w.-]{1,32}$/.test(command) ? `${command} ` : '' };
}

function commandRequest(body: unknown): string {
  const parsed = commandRequestSchema.safeParse(body);
  if (!parsed.success) {
    throw DomainError.validation(
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || 'text', message: issue.message })),
      'The body must be {"text": "<command>"}.',
    );
  }
  return parsed.data.text;
}

const SLASH_FORM_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['text'],
  properties: {
    command: { type: 'string', example: '/plan' },
    text: { type: 'string', example: 'plan shop on aws web:frontend:80>8080:public api:api:3000 db:database:5432' },
    token: { type: 'string' },
    team_id: { type: 'string' },
    channel_id: { type: 'string' },
    user_id: { type: 'string' },
    response_url: { type: 'string' },
  },
  additionalProperties: { type: 'string' },
};

const BLOCKS_SCHEMA: SchemaObject = {
  type: 'array',
  items: { type: 'object' },
  description: 'Block Kit: section, context and divider blocks.',
};

const SLACK_MESSAGE_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['response_type', 'text', 'blocks'],
  properties: {
    response_type: { type: 'string', enum: ['ephemeral', 'in_channel'] },
    text: { type: 'string', description: 'The whole reply without markup (Slack: the notification fallback).' },
    blocks: BLOCKS_SCHEMA,
  },
};

/** Slack and Mattermost post the same slash command form and take a reply in the Slack format. */
function SlashCommandBody(): MethodDecorator {
  return applyDecorators(
    ApiConsumes('application/x-www-form-urlencoded'),
    ApiBody({ schema: SLASH_FORM_SCHEMA }),
    ApiResponse({ status: 200, schema: SLACK_MESSAGE_SCHEMA }),
  );
}

/**
 * Chat transports: the global auth guard verifies each caller with the route's credential strategy
 * (a platform's signature, or a bot's API key), then parse → PlansService → format through
 * ChatCommandService, and renders the reply for its client. Chat replies are 200 even for a bad
 * command (a usage reply), since chat clients show non-2xx answers as a bare failure.
 */
/** The routes Slack and Mattermost post their slash-command forms to (app.factory.ts lets them take a form). */
export const SLACK_COMMAND_PATH = '/v1/chat/slack';
export const MATTERMOST_COMMAND_PATH = '/v1/chat/mattermost';

@ApiTags('chat')
// Every chat route counts against its caller's rate limit: the bot's key, or the chat team.
@ApiProblems(429)
@Controller('v1/chat')
export class ChatController {
  constructor(@Inject(ChatCommandService) private readonly chat: ChatCommandService) {}

  @ChatPlatformRoute('slack', {
    summary: 'Slack slash command',
    description:
      'Signed requests only (X-Slack-Signature over the raw body, at most 5 minutes old). See docs/chatops.md.',
  })
  @ApiHeader({ name: 'X-Slack-Signature', required: true })
  @ApiHeader({ name: 'X-Slack-Request-Timestamp', required: true })
  @SlashCommandBody()
  async slack(
    @Body() body: unknown,
    @Caller() caller: Principal,
    @Deadline() deadline: RequestDeadline,
  ): Promise<SlackMessage> {
    const { reply, share } = await this.runSlashCommand(body, caller, deadline);
    return toSlackMessage(reply, share);
  }

  @ChatPlatformRoute('mattermost', {
    summary: 'Mattermost custom slash command',
    description:
      'The command token in the `token` field or `Authorization: Token <token>`. Replies in the Slack format.',
  })
  @SlashCommandBody()
  async mattermost(
    @Body() body: unknown,
    @Caller() caller: Principal,
    @Deadline() deadline: RequestDeadline,
  ): Promise<SlackMessage> {
    const { reply, share } = await this.runSlashCommand(body, caller, deadline);
    return toMattermostMessage(reply, share);
  }

  @ChatPlatformRoute('teams', {
    summary: 'Microsoft Teams outgoing webhook',
    description:
      'Signed requests only: `Authorization: HMAC <base64 HMAC-SHA256 of the raw body>`. The bot mention is ignored.',
  })
  @ApiHeader({ name: 'Authorization', required: true, description: 'HMAC <signature>' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['type', 'text'],
      properties: { type: { type: 'string' }, text: { type: 'string' } },
    },
  })
  @ApiResponse({
    status: 200,
    schema: { type: 'object', properties: { type: { type: 'string', enum: ['message'] }, text: { type: 'string' } } },
  })
  async teams(
    @Body() body: unknown,
    @Caller() caller: Principal,
    @Deadline() deadline: RequestDeadline,
  ): Promise<TeamsMessage> {
    const text = commandText(teamsActivitySchema.safeParse(body));
    // Teams has no slash command to echo: no prefix.
    const { reply } = await this.chat.run(text, caller, '', deadline);
    return toTeamsMessage(reply);
  }

  @Post('command')
  @HttpCode(200)
  // Every command reads plans; `plan` without --dry-run also needs plans:write (said in the reply).
  // An API key (or protected mode's loopback), as on REST: never a chat platform's signature.
  @RequireScopes('plans:read')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Run a chat command for any bot',
    description: 'The same command language as the slash commands; replies with plain text and Slack blocks.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['text'],
      properties: { text: { type: 'string', maxLength: MAX_COMMAND_TEXT, example: 'show shop' } },
    },
  })
  @ApiResponse({
    status: 200,
    schema: {
      type: 'object',
      required: ['text', 'blocks'],
      properties: { text: { type: 'string' }, blocks: BLOCKS_SCHEMA },
    },
  })
  @ApiProblems(400, 401, 403, 413, 415)
  async command(
    @Body() body: unknown,
    @Caller() caller: Principal,
    @Deadline() deadline: RequestDeadline,
  ): Promise<CommandMessage> {
    const { reply } = await this.chat.run(commandRequest(body), caller, '', deadline);
    return toCommandMessage(reply);
  }

  /** A slash command as Slack and Mattermost post it, run with the slash command echoed in help and hints. */
  private runSlashCommand(body: unknown, caller: Principal, deadline: RequestDeadline) {
    const { text, prefix } = slashCommand(body);
    return this.chat.run(text, caller, prefix, deadline);
  }
}
