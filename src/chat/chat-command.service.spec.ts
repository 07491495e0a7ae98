import { at } from '../common/at.js';
import { Logger } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { isValidShareToken, ShareLinks } from '../auth/strategies/share-link-token.js';
import { fixedClock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { PlansService } from '../plans/plans.service.js';
import type { StoredPlan } from '../plans/plans.types.js';
import { InMemoryPlansRepository } from '../plans/testing/in-memory-plans.repository.js';
import { renderPlainText } from './chat-reply.js';
import { ChatCommandService, LIST_LIMIT } from './chat-command.service.js';
import { parseCommand } from './command-parser.js';
import type { ChatConfig } from './chat.config.js';

const ALL = { team: null, all: true } as const;
const CONFIG: ChatConfig = { publicUrl: 'https://planner.example.com' };
/** A Slack workspace with no team mapped: it sees the plans without a team. */
const SLACK: Principal = { kind: 'chat', platform: 'slack', team: null, scopes: ['plans:read', 'plans:write'] };
const SHOP = 'plan shop on aws web:frontend:80>8080:public api:api:3000 db:database:5432 ingress=nginx';

/** A repository whose reads fail, to see how chat words each failure. */
class FailingRepository extends InMemoryPlansRepository {
  constructor(private readonly failure: Error) {
    super();
  }

  override latestByName(): Promise<StoredPlan | null> {
    return Promise.reject(this.failure);
  }
}

const SHARE_SECRET = 'a-share-link-secret-of-32-chars-0123';
const NOW_MS = Date.UTC(2026, 0, 1);

/** `shareLinks: false`: SHARE_LINK_SECRET unset. */
function setUp(repository = new InMemoryPlansRepository(), { shareLinks = true } = {}) {
  const shareLinkSecret = shareLinks ? SHARE_SECRET : undefined;
  const links = new ShareLinks({ shareLinkSecret, shareLinkTtlHours: 24 }, fixedClock(NOW_MS));
  const sut = new ChatCommandService(new PlansService(repository), CONFIG, links);
  const run = async (text: string, prefix = '', caller: Principal = SLACK) => {
    const outcome = await sut.run(text, caller, prefix);
    return { ...outcome, text: renderPlainText(outcome.reply, 100_000) };
  };
  return { sut, run, repository };
}

describe(ChatCommandService.name, () => {
  it('plans and stores through PlansService, then finds the plan by name', async () => {
    const { run } = setUp();
    const planned = await run(`${SHOP} --share`);
    expect(planned.share).toBe(true);
    expect(planned.text).toContain('Planned shop (revision 1) on aws: 3 components');
    const shown = await run('show shop');
    expect(shown.text).toContain('Plan shop (revision 1) on aws');
    expect(shown.share).toBe(false);
  });

  it('show --share replies with a link to the plan page whose token opens that plan', async () => {
    const { run, repository } = setUp();
    await run(SHOP);
    const { id } = await new PlansService(repository).getByIdOrName('shop', ALL);

    const shared = await run('show shop --share');

    expect(shared.share).toBe(true);
    const url = /https:\/\/planner\.example\.com\/plans\/\S+?\?token=[\w.-]+/.exec(shared.text)?.[0];
    expect(url, shared.text).toBeDefined();
    const link = new URL(url ?? '');
    expect(link.pathname).toBe(`/plans/${id}`);
    expect(isValidShareToken(SHARE_SECRET, id, link.searchParams.get('token') ?? '', NOW_MS)).toBe(true);
    expect((await run('show shop')).text).not.toContain('token=');
  });

  it('show --share says share links are off while SHARE_LINK_SECRET is unset', async () => {
    const { run } = setUp(new InMemoryPlansRepository(), { shareLinks: false });
    await run(SHOP);

    const shared = await run('show shop --share');

    expect(shared.text).toContain('SHARE_LINK_SECRET');
    expect(shared.text).not.toContain('token=');
  });

  it('diffs the latest revision with the one before, by name', async () => {
    const { run, repository } = setUp();
    await run(SHOP);
    expect((await run('diff shop')).text).toContain('No changes in shop: it has only one revision');

    const plans = new PlansService(repository);
    const first = await plans.getByIdOrName('shop', ALL);
    const withoutDb = parseCommand(SHOP.replace(' db:database:5432', ''));
    if (!withoutDb.ok || withoutDb.command.kind !== 'plan') {
      throw new Error('the SHOP line without db should parse');
    }
    await plans.revise(first.id, withoutDb.command.topology, ALL);

    const { text } = await run('diff shop');
    expect(text).toContain('What changed in shop (revision 1 → 2)');
    expect(text).toMatch(/`db` ClusterIP → absent/);
    expect(text).toMatch(/Removed \(\d+\): .*Service\/db/);
    expect(text).toContain(`/v1/plans/${first.id}/diff`);
  });

  it('revises the plan the team already has under that name, with the diff in the reply; --new stores another', async () => {
    const { run, repository } = setUp();
    await run(SHOP);
    const revised = await run(SHOP.replace(' db:database:5432', ''));
    expect(revised.text).toContain('Revised shop (revision 2) on aws: 2 components');
    expect(revised.text).toContain('What changed in shop (revision 1 → 2)');
    expect(revised.text).toMatch(/`db` ClusterIP → absent/);
    expect(revised.text).toContain('--new');
    const all = { team: null, all: true } as const;
    expect((await repository.slice({ filter: { name: 'shop' }, take: 10, access: all })).items).toHaveLength(1);

    const separate = await run(`${SHOP} --new`);
    expect(separate.text).toContain('Planned shop (revision 1)');
    expect((await repository.slice({ filter: { name: 'shop' }, take: 10, access: all })).items).toHaveLength(2);
  });

  it("does not revise another team's plan of the same name: each team has its own", async () => {
    const { run, repository } = setUp();
    await run(SHOP, '', { ...SLACK, team: 'payments' });
    const other = await run(SHOP, '', { ...SLACK, team: 'search' });
    expect(other.text).toContain('Planned shop (revision 1)');
    const all = { team: null, all: true } as const;
    expect((await repository.slice({ filter: { name: 'shop' }, take: 10, access: all })).items).toHaveLength(2);
  });

  it('previews with --dry-run without storing', async () => {
    const { run, repository } = setUp();
    expect((await run(`${SHOP} --dry-run`)).text).toContain('Dry run: nothing was stored');
    expect(repository.calls.insert ?? 0).toBe(0);
  });

  it("turns the planner's problems into a reply naming each, kept private even with --share", async () => {
    const { run } = setUp();
    const outcome = await run('plan shop on mars web:frontend:99999 --share');
    expect(outcome.share).toBe(false);
    expect(outcome.text).toContain('`environment.platform`');
    expect(outcome.text).toContain('`components[0].ports[0].port` (web)');
  });

  it('lists at most LIST_LIMIT plans on the platform asked', async () => {
    const { run } = setUp();
    for (let index = 0; index < LIST_LIMIT + 2; index++) {
      await run(`plan app-${index} on gcp web:frontend:80:public`);
    }
    await run('plan other on aws web:frontend:80:public');
    const listed = await run('list gcp');
    expect(listed.text).toContain(`Plans on gcp (${LIST_LIMIT + 2})`);
    expect(listed.text).toContain('…and 2 more');
    expect(listed.text).not.toContain('`other`');
  });

  it.each([
    ['an unknown plan', DomainError.notFound('Plan "x"'), 'No plan has the id or name `ghost`'],
    ['an unavailable store', new DomainError('UNAVAILABLE', 'down'), 'not answering right now'],
    ['a conflict', new DomainError('CONFLICT', 'raced'), 'run the command again'],
    ['an unexpected error', new Error('boom'), 'Something went wrong on our side'],
  ])('answers %s with a friendly reply, never an exception', async (_label, failure, expected) => {
    const logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { run } = setUp(new FailingRepository(failure));
    const outcome = await run('cost ghost --share');
    expect(outcome.text).toContain(expected);
    expect(outcome.share).toBe(false);
    // Only what no DomainError explains is logged as an error: it is a bug to look at.
    expect(logged).toHaveBeenCalledTimes(failure instanceof DomainError ? 0 : 1);
    logged.mockRestore();
  });

  it('answers a malformed command with usage, and help with the slash command in front', async () => {
    const { run } = setUp();
    expect((await run('yaml')).text).toContain('Usage: `yaml <id|name>`');
    expect((await run('help', '/exposure ')).text).toContain('`/exposure list [platform]`');
  });

  it('gives the YAML excerpt of a stored plan with the REST URL of the whole file', async () => {
    const { run } = setUp();
    const planned = await run(SHOP);
    const id = /`([0-9a-f-]{36})`/.exec(planned.text)?.[1];
    const yaml = await run('yaml shop');
    expect(yaml.text).toContain('apiVersion: v1');
    expect(yaml.text).toContain(`https://planner.example.com/v1/plans/${id}/manifests`);
  });

  describe('teams', () => {
    const payments: Principal = { ...SLACK, team: 'payments' };
    const search: Principal = { ...SLACK, team: 'search' };

    it("plans for the caller's team, and another team's workspace cannot find, list or show it", async () => {
      const { run, repository } = setUp();
      const planned = await run(SHOP, '', payments);
      expect(planned.text).toContain('Planned');
      const id = at((await repository.slice({ filter: {}, take: 1, access: { team: null, all: true } })).items, 0).id;
      expect(repository.teamOf(id)).toBe('payments');

      expect((await run('show shop', '', payments)).text).toContain('shop');
      for (const command of ['show shop', `cost ${id}`, 'yaml shop', 'findings shop']) {
        const other = await run(command, '', search);
        expect(other.text, command).toMatch(/not found|no plan/i);
      }
      expect((await run('list', '', search)).text).toMatch(/^No plans yet/);
      expect((await run('list', '', payments)).text).toContain('shop');
    });

    it('a read-only bot key previews but does not store, and says why', async () => {
      const { run, repository } = setUp();
      const reader: Principal = { kind: 'api-key', keyId: 'k', name: 'bot', scopes: ['plans:read'], team: null };
      const refused = await run(SHOP, '', reader);
      expect(refused.text).toMatch(/lacks plans:write/);
      expect(repository.calls.insert ?? 0).toBe(0);
      expect((await run(`${SHOP} --dry-run`, '', reader)).text).toContain('Dry run: nothing was stored');
    });
  });
});
