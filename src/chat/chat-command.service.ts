import { Inject, Injectable, Logger } from '@nestjs/common';
import { accessOf, hasScope, type Principal } from '../auth/principal.js';
import { SHARE_LINKS_OFF, ShareLinks } from '../auth/strategies/share-link-token.js';
import { DomainError, type DomainErrorCode } from '../common/domain-error.js';
import type { RequestDeadline } from '../common/request-deadline.js';
import type { PlanAccess } from '../plans/plan-access.js';
import { toYaml } from '../planner/yaml.js';
import { PlansService } from '../plans/plans.service.js';
import { CHAT_CONFIG, type ChatConfig } from './chat.config.js';
import type { ChatReply, ReplyBlock } from './chat-reply.js';
import { parseCommand, type ChatCommand } from './command-parser.js';
import {
  costReply,
  diffReply,
  findingsReply,
  helpReply,
  listReply,
  notFoundReply,
  planReply,
  problemsReply,
  revisedPlanReply,
  unavailableReply,
  usageReply,
  yamlReply,
  type ReplyContext,
} from './reply-formatter.js';

/** A reply and whether the channel should see it (`--share`) or only the user. */
export type ChatOutcome = { reply: ChatReply; share: boolean };

/** How many plans `list` shows; the reply says how many more there are and where to get them. */
export const LIST_LIMIT = 10;

type ErrorReply = (error: DomainError, command: ChatCommand, context: ReplyContext) => ChatReply;

/**
 * Every DomainError as a chat reply, so that a command never ends in a 500. A Record: a new error
 * code does not compile until chat knows how to say it.
 */
const DOMAIN_ERROR_REPLY: Record<DomainErrorCode, ErrorReply> = {
  VALIDATION_FAILED: (error, command, context) =>
    problemsReply(
      error.problems,
      command.kind === 'plan' ? command.topology.components.map((c) => c.name) : [],
      context,
    ),
  NOT_FOUND: (_error, command, context) => notFoundReply(referenceOf(command), context),
  INVALID_ID: (_error, command, context) => notFoundReply(referenceOf(command), context),
  CONFLICT: () => unavailableReply('Someone changed that plan at the same moment; run the command again.'),
  UNAVAILABLE: () => unavailableReply('The plan store is not answering right now; try again in a minute.'),
  // Chat requests are admitted and limited before they reach a command (401, 403, 429 from the
  // auth guard); these only keep the Record whole.
  RATE_LIMITED: () => unavailableReply('Too many commands at once from here; try again in a minute.'),
  UNAUTHENTICATED: () => unavailableReply('This request could not be authenticated.'),
  FORBIDDEN: (error) => unavailableReply(error.message),
};

function referenceOf(command: ChatCommand): string {
  return 'ref' in command ? command.ref : command.kind;
}

/**
 * The chat transport's one use case: run a line of text. Parse it, call PlansService, format the
 * answer. Shared by every chat system; each controller only renders the reply for its client.
 */
@Injectable()
export class ChatCommandService {
  private readonly logger = new Logger('Chat');

  constructor(
    // Explicit tokens: tsx emits no decorator metadata to infer them from (docs/architecture.md).
    @Inject(PlansService) private readonly plans: PlansService,
    @Inject(CHAT_CONFIG) private readonly config: ChatConfig,
    @Inject(ShareLinks) private readonly shareLinks: ShareLinks,
  ) {}

  /**
   * `caller` is who runs it (a chat workspace mapped to a team, or a bot's API key): it sees and
   * creates the plans of its team only, like on REST and GraphQL. `commandPrefix` is how the user
   * calls us (`/plan `), so the help and hints read as typed. Past the request's `deadline`,
   * nothing is planned or stored.
   */
  async run(text: string, caller: Principal, commandPrefix = '', deadline?: RequestDeadline): Promise<ChatOutcome> {
    const context: ReplyContext = {
      baseUrl: this.config.publicUrl,
      commandPrefix,
      keyRequired: caller.kind !== 'loopback',
    };
    const parsed = parseCommand(text);
    if (!parsed.ok) {
      return { reply: usageReply(parsed.error, parsed.usage, context), share: false };
    }
    try {
      return {
        reply: await this.execute(parsed.command, context, caller, deadline, parsed.share),
        share: parsed.share,
      };
    } catch (error) {
      // A failed command stays between the bot and its user, even when --share was asked.
      return { reply: this.explain(error, parsed.command, context), share: false };
    }
  }

  private async execute(
    command: ChatCommand,
    context: ReplyContext,
    caller: Principal,
    deadline: RequestDeadline | undefined,
    share = false,
  ): Promise<ChatReply> {
    const access: PlanAccess = accessOf(caller);
    switch (command.kind) {
      case 'help':
        return helpReply(context);
      case 'plan':
        if (command.dryRun) {
          return planReply(await this.plans.preview(command.topology, deadline), context, 'Preview of');
        }
        if (!hasScope(caller, 'plans:write')) {
          // A chat answer, not an HTTP 403: the bot shows it to its user, who can still --dry-run.
          return unavailableReply(
            'This bot’s API key may only read plans (it lacks plans:write): add --dry-run to preview without storing.',
          );
        }
        return this.planOrRevise(command.topology, command.newPlan, access, context, deadline);
      case 'list':
        return listReply(
          await this.plans.list(
            { ...(command.platform === undefined ? {} : { platform: command.platform }), limit: LIST_LIMIT },
            access,
          ),
          context,
          command.platform,
        );
      case 'show': {
        const plan = await this.plans.getByIdOrName(command.ref, access);
        // Shown to the whole channel: the reply carries a link to the page that opens without a key.
        return share ? this.withPageLink(planReply(plan, context), plan.id) : planReply(plan, context);
      }
      case 'cost':
        return costReply(await this.plans.getByIdOrName(command.ref, access), context);
      case 'findings':
        return findingsReply(await this.plans.getByIdOrName(command.ref, access), context);
      case 'diff': {
        // By name too: the latest revision names the plan, the diff is its previous against it.
        const plan = await this.plans.getByIdOrName(command.ref, access);
        return diffReply(await this.plans.diff(plan.id, {}, access), context);
      }
      case 'yaml': {
        const plan = await this.plans.getByIdOrName(command.ref, access);
        return yamlReply(plan, toYaml(plan.manifests), context);
      }
    }
  }

  /**
   * `plan <name> …` stores a plan; on a name the team already has, it revises that plan (a new
   * revision, the diff in the reply) rather than storing a second one, unless `--new` says so.
   */
  private async planOrRevise(
    topology: Extract<ChatCommand, { kind: 'plan' }>['topology'],
    newPlan: boolean,
    access: PlanAccess,
    context: ReplyContext,
    deadline: RequestDeadline | undefined,
  ): Promise<ChatReply> {
    const existing = newPlan ? undefined : await this.plans.findByName(topology.name, access);
    if (existing === undefined) {
      return planReply(await this.plans.create(topology, access, deadline), context, 'Planned');
    }
    const revised = await this.plans.revise(existing.id, topology, access, deadline);
    return revisedPlanReply(revised, await this.plans.diff(revised.id, {}, access), context);
  }

  private withPageLink(reply: ChatReply, planId: string): ChatReply {
    const link = this.shareLinks.createIfEnabled(planId, this.config.publicUrl.replace(/\/+$/, ''));
    const block: ReplyBlock = {
      kind: 'context',
      line:
        link === undefined
          ? [SHARE_LINKS_OFF]
          : ['Page: ', { link: link.url, label: 'open the plan' }, ` (the link works until ${link.expiresAt})`],
    };
    return { ...reply, blocks: [...reply.blocks, block] };
  }

  private explain(error: unknown, command: ChatCommand, context: ReplyContext): ChatReply {
    if (error instanceof DomainError) {
      return DOMAIN_ERROR_REPLY[error.code](error, command, context);
    }
    this.logger.error(
      `chat command "${command.kind}" failed unexpectedly`,
      error instanceof Error ? error.stack : String(error),
    );
    return unavailableReply('Something went wrong on our side (it has been logged); try again, or use the REST API.');
  }
}
