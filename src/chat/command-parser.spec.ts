import { normalizeChatText, parseCommand, USAGE, type ChatCommand, type ParseResult } from './command-parser.js';

function command(text: string): ChatCommand {
  const result = parseCommand(text);
  if (!result.ok) {
    throw new Error(`expected "${text}" to parse, got: ${result.error}`);
  }
  return result.command;
}

function failure(text: string): Extract<ParseResult, { ok: false }> {
  const result = parseCommand(text);
  if (result.ok) {
    throw new Error(`expected "${text}" to be refused, got ${JSON.stringify(result.command)}`);
  }
  return result;
}

describe(parseCommand.name, () => {
  describe('plan', () => {
    it('turns the example of the docs into the topology input of the REST API', () => {
      expect(command('plan shop on aws web:frontend:80>8080:public api:api:3000 db:database:5432')).toEqual({
        kind: 'plan',
        dryRun: false,
        newPlan: false,
        topology: {
          name: 'shop',
          environment: { platform: 'aws' },
          components: [
            {
              name: 'web',
              role: 'frontend',
              ports: [{ port: 80, targetPort: 8080 }],
              exposure: 'public',
              dependsOn: ['api'],
            },
            { name: 'api', role: 'api', ports: [{ port: 3000 }], dependsOn: ['db'] },
            { name: 'db', role: 'database', ports: [{ port: 5432 }], dependsOn: [] },
          ],
        },
      });
    });

    it.each([
      ['web:frontend:80', { name: 'web', role: 'frontend', ports: [{ port: 80 }], dependsOn: [] }],
      [
        'web:frontend:80>8080',
        { name: 'web', role: 'frontend', ports: [{ port: 80, targetPort: 8080 }], dependsOn: [] },
      ],
      [
        'web:frontend:80>http',
        { name: 'web', role: 'frontend', ports: [{ port: 80, targetPort: 'http' }], dependsOn: [] },
      ],
      [
        'web:frontend:80:public',
        { name: 'web', role: 'frontend', ports: [{ port: 80 }], exposure: 'public', dependsOn: [] },
      ],
      ['vpn:api:443:private', { name: 'vpn', role: 'api', ports: [{ port: 443 }], exposure: 'private', dependsOn: [] }],
      [
        'agent:other:9100>9100:node',
        { name: 'agent', role: 'other', ports: [{ port: 9100, targetPort: 9100 }], exposure: 'node', dependsOn: [] },
      ],
      [
        'web:Frontend:80:PUBLIC',
        { name: 'web', role: 'frontend', ports: [{ port: 80 }], exposure: 'public', dependsOn: [] },
      ],
      ['jobs:worker', { name: 'jobs', role: 'worker', ports: [], dependsOn: [] }],
    ])('reads the component form %s', (word, expected) => {
      const parsed = command(`plan app on gcp ${word}`);
      expect(parsed).toMatchObject({ kind: 'plan', topology: { components: [expected] } });
    });

    it('leaves meaning to the planner: an unknown role, exposure or platform passes through as typed', () => {
      expect(command('plan app on mars x:wizard:80:everywhere')).toMatchObject({
        topology: {
          environment: { platform: 'mars' },
          components: [{ name: 'x', role: 'wizard', exposure: 'everywhere', ports: [{ port: 80 }] }],
        },
      });
    });

    it('keeps out-of-range port numbers for the planner to report', () => {
      expect(command('plan app on aws x:api:0>99999')).toMatchObject({
        topology: { components: [{ ports: [{ port: 0, targetPort: 99999 }] }] },
      });
    });

    it('reads ingress= and the other settings into the environment', () => {
      expect(
        command(
          'plan edge on bare-metal web:frontend:80:public ingress=traefik lb=MetalLB namespace=edge region=eu stage=Staging',
        ),
      ).toMatchObject({
        topology: {
          name: 'edge',
          namespace: 'edge',
          environment: {
            platform: 'bare-metal',
            ingressController: 'traefik',
            loadBalancerProvider: 'metallb',
            region: 'eu',
            stage: 'staging',
          },
        },
      });
      expect(command('plan a on aws x:api:80 ns=team-a')).toMatchObject({ topology: { namespace: 'team-a' } });
    });

    it('accepts settings between components', () => {
      const parsed = command('plan a on aws web:frontend:80 ingress=nginx api:api:3000');
      expect(parsed).toMatchObject({
        topology: { environment: { ingressController: 'nginx' }, components: [{ name: 'web' }, { name: 'api' }] },
      });
    });

    it('chains dependencies in the order given when --deps is absent', () => {
      const parsed = command('plan a on aws a:frontend:80 b:api:80 c:cache:6379 d:database:5432');
      expect(parsed.kind === 'plan' && parsed.topology.components.map((c) => c.dependsOn)).toEqual([
        ['b'],
        ['c'],
        ['d'],
        [],
      ]);
    });

    it('takes dependencies from --deps instead of the order', () => {
      const parsed = command(
        'plan a on aws web:frontend:80 api:api:80 db:database:5432 cache:cache:6379 --deps web>api,api>db,api>cache',
      );
      expect(parsed.kind === 'plan' && parsed.topology.components.map((c) => [c.name, c.dependsOn])).toEqual([
        ['web', ['api']],
        ['api', ['db', 'cache']],
        ['db', []],
        ['cache', []],
      ]);
    });

    it('reads --deps=… and --deps none, and ignores a repeated pair', () => {
      const inline = command('plan a on aws web:frontend:80 api:api:80 --deps=web>api,web>api');
      expect(inline.kind === 'plan' && inline.topology.components[0]?.dependsOn).toEqual(['api']);
      const none = command('plan a on aws web:frontend:80 api:api:80 --deps none');
      expect(none.kind === 'plan' && none.topology.components.every((c) => c.dependsOn.length === 0)).toBe(true);
    });

    it('leaves a dependency on an unknown component for the planner to report', () => {
      const parsed = command('plan a on aws web:frontend:80 --deps web>ghost');
      expect(parsed.kind === 'plan' && parsed.topology.components[0]?.dependsOn).toEqual(['ghost']);
    });

    it('marks --dry-run, wherever it stands', () => {
      expect(command('plan a on aws web:frontend:80 --dry-run')).toMatchObject({ kind: 'plan', dryRun: true });
      expect(command('plan a on aws web:frontend:80 --new')).toMatchObject({ kind: 'plan', newPlan: true });
      expect(parseCommand('show a --new')).toMatchObject({
        ok: false,
        error: expect.stringContaining('`--new` only goes with `plan`'),
      });
      expect(command('--dry-run plan a on aws web:frontend:80')).toMatchObject({ kind: 'plan', dryRun: true });
    });
  });

  describe('--share', () => {
    it.each(['list --share', '--share list', 'show shop --share', 'plan a on aws x:api:80 --share', 'help --share'])(
      'sets share for %s',
      (text) => {
        const result = parseCommand(text);
        expect(result.ok && result.share).toBe(true);
      },
    );

    it('is off by default', () => {
      const result = parseCommand('list');
      expect(result.ok && result.share).toBe(false);
    });
  });

  describe('the other commands', () => {
    it.each([
      ['list', { kind: 'list' }],
      ['list aws', { kind: 'list', platform: 'aws' }],
      ['LIST Bare-Metal', { kind: 'list', platform: 'bare-metal' }],
      ['show shop', { kind: 'show', ref: 'shop' }],
      ['show 0b9f6a4e-8c1d-4c4e-9d55-1f2a3b4c5d6e', { kind: 'show', ref: '0b9f6a4e-8c1d-4c4e-9d55-1f2a3b4c5d6e' }],
      ['cost shop', { kind: 'cost', ref: 'shop' }],
      ['findings shop', { kind: 'findings', ref: 'shop' }],
      ['yaml shop', { kind: 'yaml', ref: 'shop' }],
      ['diff shop', { kind: 'diff', ref: 'shop' }],
      ['help', { kind: 'help' }],
      ['help plan', { kind: 'help' }],
      ['', { kind: 'help' }],
      ['   ', { kind: 'help' }],
    ])('%j → %j', (text, expected) => {
      expect(command(text)).toEqual(expected);
    });
  });

  describe('usage errors', () => {
    it.each([
      ['frobnicate', /don't know the command `frobnicate`/, USAGE.help],
      ['plan', /needs a name/, USAGE.plan],
      ['plan shop', /Say where `shop` runs/, USAGE.plan],
      ['plan shop aws web:frontend:80', /Expected `on <platform>`.*got `aws`/, USAGE.plan],
      ['plan shop on', /Say which platform/, USAGE.plan],
      ['plan shop on aws', /at least one component/, USAGE.plan],
      ['plan shop on aws --dry-run', /at least one component/, USAGE.plan],
      ['plan shop on aws web', /`web` is not a component/, USAGE.plan],
      ['plan shop on aws web:frontend:80:public:extra', /too many `:` parts/, USAGE.plan],
      ['plan shop on aws :frontend:80', /needs both a name and a role/, USAGE.plan],
      ['plan shop on aws web::80', /needs both a name and a role/, USAGE.plan],
      ['plan shop on aws web:frontend:http', /`http` is not a port number/, USAGE.plan],
      ['plan shop on aws web:frontend:', /port number after the role is missing/, USAGE.plan],
      ['plan shop on aws web:frontend:80>', /no target port/, USAGE.plan],
      ['plan shop on aws web:frontend:>80', /`>80` is not a port number/, USAGE.plan],
      ['plan shop on aws web:frontend:80:', /empty exposure/, USAGE.plan],
      ['plan shop on aws web:frontend:80 color=blue', /don't know `color=`/, USAGE.plan],
      ['plan shop on aws web:frontend:80 ingress=', /`ingress=` needs a value/, USAGE.plan],
      ['plan shop on aws web:frontend:80 --deps', /`--deps` needs a list/, USAGE.plan],
      ['plan shop on aws web:frontend:80 --deps --share', /`--deps` needs a list/, USAGE.plan],
      ['plan shop on aws web:frontend:80 --deps web', /`web` is not one/, USAGE.plan],
      ['plan shop on aws web:frontend:80 --deps web>', /`web>` is not one/, USAGE.plan],
      ['plan shop on aws web:frontend:80 --deps a>b>c', /`a>b>c` is not one/, USAGE.plan],
      [
        'plan shop on aws web:frontend:80 --deps ghost>web',
        /names `ghost`, which is not one of the components \(web\)/,
        USAGE.plan,
      ],
      ['plan shop on aws web:frontend:80 --verbose', /don't know the option `--verbose`/, USAGE.plan],
      ['list --dry-run', /`--dry-run` only goes with `plan`/, USAGE.list],
      ['show shop --deps a>b', /`--deps` only goes with `plan`/, USAGE.show],
      ['list mars', /`mars` is not a platform.*aws, gcp/, USAGE.list],
      ['list aws gcp', /at most one platform/, USAGE.list],
      ['show', /`show` needs a plan id or name/, USAGE.show],
      ['cost', /`cost` needs/, USAGE.cost],
      ['findings', /`findings` needs/, USAGE.findings],
      ['yaml', /`yaml` needs/, USAGE.yaml],
      ['diff', /`diff` needs/, USAGE.diff],
      ['diff shop --dry-run', /`--dry-run` only goes with `plan`/, USAGE.diff],
      ['show shop extra', /takes one plan id or name/, USAGE.show],
    ])('%j is refused with a usage message', (text, message, usage) => {
      const result = failure(text);
      expect(result.error).toMatch(message);
      expect(result.usage).toBe(usage);
    });
  });

  describe('text no field takes', () => {
    it.each([
      ['show a\u0000b', 'Word 2 of the command contains U+0000 (NUL) at character 2', USAGE.show],
      ['plan shop on aws we\ud800b:frontend:80', 'Word 5 of the command contains U+D800 at character 3', USAGE.plan],
      ['list aws\u0007', 'Word 2 of the command contains the control character U+0007', USAGE.list],
      ['sh\u0000ow shop', 'Word 1 of the command contains U+0000', USAGE.help],
      [
        'plan shop on aws web:frontend:80 region=eu\u0085',
        'Word 6 of the command contains the control character U+0085',
        USAGE.plan,
      ],
    ])('%j is refused, naming the character without showing it', (text, message, usage) => {
      const result = failure(text);
      expect(result.error).toContain(message);
      expect(result.error).not.toMatch(/[\u0000-\u001f\u007f-\u009f\ud800-\udfff]/);
      expect(result.usage).toBe(usage);
    });

    it('still splits words on line breaks and tabs, which are spaces between words', () => {
      expect(command('show\tshop\n')).toEqual({ kind: 'show', ref: 'shop' });
    });
  });

  describe('text as chat clients send it', () => {
    it('decodes the HTML entities Slack and Teams send for > and &', () => {
      const parsed = command('plan a on aws web:frontend:80&gt;8080 api:api:80 --deps web&gt;api');
      expect(parsed).toMatchObject({
        topology: { components: [{ ports: [{ port: 80, targetPort: 8080 }], dependsOn: ['api'] }, { dependsOn: [] }] },
      });
    });

    it('strips the Teams mention of the bot', () => {
      expect(command('<at>Exposure Planner</at> show shop')).toEqual({ kind: 'show', ref: 'shop' });
    });

    it('reads a dash that autocorrect made out of --', () => {
      const result = parseCommand('list \u2014share');
      expect(result.ok && result.share).toBe(true);
      expect(command('plan a on aws x:api:80 \u2013dry-run')).toMatchObject({ dryRun: true });
    });
  });
});

describe(normalizeChatText.name, () => {
  it.each([
    ['<at>Bot</at>&nbsp;plan shop', 'plan shop'],
    ['a &amp; b &lt;c&gt;', 'a & b <c>'],
    ['<p>show shop</p>\n', 'show shop'],
    ['  list\u00a0aws ', 'list aws'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeChatText(input)).toBe(expected);
  });
});
