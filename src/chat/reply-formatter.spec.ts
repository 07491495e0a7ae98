import { at } from '../common/at.js';
import { diffPlans } from '../plans/plan-diff.js';
import type { PlanSummary, StoredPlan } from '../plans/plans.types.js';
import { renderPlainText, renderSlackBlocks, toSlackMessage, type ChatReply } from './chat-reply.js';
import { USAGE } from './command-parser.js';
import {
  costReply,
  diffReply,
  findingsReply,
  gist,
  helpReply,
  listReply,
  manifestsUrl,
  markedLine,
  notFoundReply,
  orderFindings,
  planReply,
  problemsReply,
  shorten,
  TOP_FINDINGS,
  usageReply,
  yamlReply,
  type ReplyContext,
} from './reply-formatter.js';
import { slackBlockProblems } from './testing/slack-blocks.js';
import { buildPlanPreview, buildStoredPlan, finding, PLAN_ID, recommendation } from './testing/stored-plan.builder.js';

const context: ReplyContext = { baseUrl: 'https://planner.example.com/', commandPrefix: '/plan ' };

/** Every rendering a formatter's reply goes through must be valid, so each test checks them all. */
function rendered(reply: ChatReply): { text: string; blocksText: string } {
  const message = toSlackMessage(reply, false);
  expect(slackBlockProblems(message.blocks)).toEqual([]);
  expect(message.text.length).toBeGreaterThan(0);
  const blocksText = message.blocks
    .map((block) =>
      block.type === 'section' ? block.text.text : block.type === 'context' ? at(block.elements, 0).text : '---',
    )
    .join('\n');
  return { text: renderPlainText(reply, 100_000), blocksText };
}

describe(orderFindings.name, () => {
  it('puts the most severe first and keeps the planner order within a severity', () => {
    const ordered = orderFindings(buildStoredPlan().findings).map((f) => `${f.severity}:${f.id}`);
    expect(ordered).toEqual([
      'critical:EXP001',
      'critical:EXP002',
      'high:EXP004',
      'high:EXP003',
      'medium:EXP005',
      'low:EXP010',
      'info:EXP020',
    ]);
  });
});

describe(shorten.name, () => {
  it('cuts on a word boundary', () => {
    expect(shorten('one two three four', 12)).toBe('one two…');
    expect(shorten('short', 12)).toBe('short');
  });

  it('never cuts inside a word, even when the only boundary is early in the text', () => {
    // The old cut fell back to `limit - 1` characters when no space was in the second half.
    expect(shorten('an aws-load-balancer-controller-annotation-that-is-long', 30)).toBe('an…');
    expect(shorten('service.beta.kubernetes.io/aws-load-balancer-type is set', 20)).toBe(
      'service.beta.kubernetes.io/aws-load-balancer-type…',
    );
  });

  it('does not leave a code span open', () => {
    expect(shorten('no cloud controller on minikube unless `minikube tunnel` runs', 50)).toBe(
      'no cloud controller on minikube unless…',
    );
  });

  it.each([10, 25, 40, 60, 90])('ends every cut of real reasons on a word boundary (limit %i)', (limit) => {
    const reasons = [
      'a LoadBalancer would stay <pending>: no cloud controller on minikube unless `minikube tunnel` runs; $0.00/mo',
      'its own LoadBalancer: one more address (MetalLB assigns its address from the pool "public-pool" (environment.addressPool)), and TLS',
      "NodePort: no load balancer charge ($0.00/mo), but clients would need the nodes' public addresses and every node opens the port",
    ];
    for (const reason of reasons) {
      const short = shorten(reason, limit);
      const kept = short.replace(/…$/, '');
      expect(reason.startsWith(kept), short).toBe(true);
      // The next character of the reason after what is kept is not a letter or digit: a whole word was kept.
      expect(reason.slice(kept.length, kept.length + 1), short).not.toMatch(/[\p{L}\p{N}]/u);
      expect(countOf(kept, '`') % 2, short).toBe(0);
    }
  });
});

describe(gist.name, () => {
  it.each([
    ['public HTTP on AWS: every port speaks HTTP (port 80), so it is routed', 'public HTTP on AWS'],
    ['internal: only pods in the cluster call it', 'internal'],
    [
      'no colon here at all, and a sentence that goes on for longer than seventy characters',
      'no colon here at all, and a sentence that goes on for longer than…',
    ],
    ['short', 'short'],
  ])('%j → %j', (rationale, expected) => {
    expect(gist(rationale)).toBe(expected);
  });
});

describe(planReply.name, () => {
  it('gives one line per component with its Service type, entry point and reason', () => {
    const { text } = rendered(planReply(buildStoredPlan(), context));
    expect(text).toContain('`web` → ClusterIP, via the Ingress: public HTTP on aws with an nginx ingress controller\n');
    expect(text).toContain('`api` → LoadBalancer (internal), own load balancer');
    expect(text).toContain('`db` → ClusterIP + headless, in-cluster');
    expect(text).toContain('`mailer` → no Service, in-cluster: no ports\n');
  });

  it('shows the monthly cost, the plan id and the manifests URL', () => {
    const { text, blocksText } = rendered(planReply(buildStoredPlan(), context));
    expect(text).toContain('Monthly cost: $34.68');
    expect(text).toContain(PLAN_ID);
    expect(blocksText).toContain(`<https://planner.example.com/v1/plans/${PLAN_ID}/manifests|manifests (YAML)>`);
    expect(text.split('\n')[0]).toBe(
      'Plan shop (revision 2) on aws: 4 components, $34.68/mo, 7 findings (worst: critical)',
    );
  });

  it('lists the top 5 findings, most severe first, and counts the rest', () => {
    const { text } = rendered(planReply(buildStoredPlan(), context));
    const ids = [...text.matchAll(/`(EXP\d+)`/g)].map((match) => match[1]);
    expect(ids).toEqual(['EXP001', 'EXP002', 'EXP004', 'EXP003', 'EXP005']);
    expect(ids).toHaveLength(TOP_FINDINGS);
    expect(text).toContain('…and 2 more (/plan findings shop)');
  });

  it('says so when there are no findings', () => {
    const { text } = rendered(planReply(buildStoredPlan({ findings: [] }), context));
    expect(text).toContain('Findings: none.');
    expect(text).not.toMatch(/…and \d+ more/);
  });

  it('names the Ingress class and what it routes', () => {
    expect(rendered(planReply(buildStoredPlan(), context)).text).toContain('Ingress class `nginx` routes web');
  });

  it('names the Gateway, not an Ingress, when the plan routes through Gateway API', () => {
    const { text } = rendered(
      planReply(
        buildStoredPlan({
          ingress: null,
          gateway: {
            name: 'shop',
            namespace: 'production',
            shared: false,
            className: 'eg',
            install: 'helm install eg',
            components: ['web'],
            routeKinds: [{ kind: 'HTTPRoute', channel: 'standard', apiVersion: 'gateway.networking.k8s.io/v1' }],
          },
        }),
        context,
      ),
    );
    expect(text).toContain('Gateway `production/shop` (class `eg`) routes web; install first: helm install eg');
    expect(text).toContain('`web` → ClusterIP, via the Gateway');
    expect(text).not.toContain('Ingress');
  });

  it('marks a dry run and has no id', () => {
    const preview = buildPlanPreview();
    const { text } = rendered(planReply(preview, context));
    expect(text.split('\n')[0]).toContain('(dry run)');
    expect(text).toContain('Dry run: nothing was stored');
    expect(text).not.toContain(PLAN_ID);
  });

  it('stays within Slack limits for a plan of 2,000 components', () => {
    const recommendations = Array.from({ length: 2000 }, (_, index) => recommendation(`component-${index}`));
    const findings = Array.from({ length: 500 }, (_, index) => finding(`EXP${index}`, 'high', `component-${index}`));
    const reply = planReply(buildStoredPlan({ recommendations, findings }), context);
    const { blocksText } = rendered(reply);
    expect(blocksText).toMatch(/…and \d+ more/);
    expect(renderSlackBlocks(reply).length).toBeLessThanOrEqual(50);
  });
});

function countOf(text: string, character: string): number {
  return text.split(character).length - 1;
}

describe(costReply.name, () => {
  it('cuts a long alternative reason between words, never inside one', () => {
    const plan = buildStoredPlan();
    const reason =
      'NodePort: no load balancer charge, but the clients must track node IPs, every node opens the port, and only firewall rules restrict who reaches it';
    const withLongReason = {
      ...plan,
      recommendations: plan.recommendations.map((r) => ({
        ...r,
        alternatives: r.alternatives.map((a) => ({ ...a, reason })),
      })),
    };
    const { text } = rendered(costReply(withLongReason, context));
    const shown = [...text.matchAll(/\/mo: (NodePort[^\n]*)…/g)].map((match) => at(match, 1));
    expect(shown.length).toBeGreaterThan(0);
    for (const kept of shown) {
      expect(reason.startsWith(kept)).toBe(true);
      expect(reason[kept.length]).toMatch(/[\s,;:.]/);
    }
  });

  it('gives the total, each item with its basis, the savings, the alternatives and the price source', () => {
    const { text } = rendered(costReply(buildStoredPlan(), context));
    expect(text).toContain('Cost of shop: $34.68 per month (USD)');
    expect(text).toContain('`api` AWS Network Load Balancer: $16.43/mo ($0.0225/h x 730 h)');
    expect(text).toContain('shared ingress controller load balancer: $18.25/mo');
    expect(text).toContain('one Ingress instead of 1 more load balancer: $16.43/mo');
    expect(text).toContain('`web` as LoadBalancer: $16.43/mo: one cloud load balancer per service');
    expect(text).toContain('Prices: AWS price list, as of 2026-01-15');
  });

  it('says when nothing is billed', () => {
    const plan = buildStoredPlan();
    const { text } = rendered(
      costReply({ ...plan, cost: { ...plan.cost, monthlyTotal: 0, items: [], savings: [] } }, context),
    );
    expect(text).toContain('Nothing in this plan is billed');
  });
});

describe(findingsReply.name, () => {
  it('lists every finding, most severe first, with its fix', () => {
    const { text } = rendered(findingsReply(buildStoredPlan(), context));
    const ids = [...text.matchAll(/`(EXP\d+)`/g)].map((match) => match[1]);
    expect(ids).toEqual(['EXP001', 'EXP002', 'EXP004', 'EXP003', 'EXP005', 'EXP010', 'EXP020']);
    expect(text).toContain('🔴 critical `EXP001` `db` EXP001 title. Fix: EXP001 remediation');
    expect(text).toContain('⚪ info `EXP020` EXP020 title');
  });

  it('says when there are none', () => {
    expect(rendered(findingsReply(buildStoredPlan({ findings: [] }), context)).text).toContain('No findings for shop.');
  });
});

describe(yamlReply.name, () => {
  const yaml = Array.from({ length: 40 }, (_, index) => `line${index}: value`).join('\n') + '\n';

  it('shows the first 15 lines and the URL of the whole file', () => {
    const { text, blocksText } = rendered(yamlReply(buildStoredPlan(), yaml, context));
    expect(blocksText).toContain('```line0: value');
    expect(blocksText).toContain('line14: value```');
    expect(blocksText).not.toContain('line15');
    expect(text).toContain('…and 25 more lines.');
    expect(text).toContain(`Full file: https://planner.example.com/v1/plans/${PLAN_ID}/manifests`);
    expect(text).toContain(
      `curl -s -H 'Authorization: Bearer <key>' https://planner.example.com/v1/plans/${PLAN_ID}/manifests | kubectl apply -f -`,
    );
    // In protected mode (no key exists, a caller on this machine) the line needs no header.
    const local = rendered(yamlReply(buildStoredPlan(), 'kind: Service\n', { ...context, keyRequired: false })).text;
    expect(local).toContain(`curl -s https://planner.example.com/v1/plans/${PLAN_ID}/manifests | kubectl apply -f -`);
  });

  it('shows a short file whole', () => {
    const { text } = rendered(yamlReply(buildStoredPlan(), 'a: 1\nb: 2\n', context));
    expect(text).not.toContain('more lines');
    expect(text.split('\n')[0]).toContain('2 lines of YAML; the first 2 below');
  });
});

describe(listReply.name, () => {
  const summary = (name: string, overrides: Partial<PlanSummary> = {}): PlanSummary => ({
    id: `id-${name}`,
    name,
    namespace: 'default',
    platform: 'aws',
    revision: 1,
    createdAt: '2026-03-01T10:00:00.000Z',
    updatedAt: '2026-03-01T10:00:00.000Z',
    monthlyCost: 18.25,
    componentCount: 3,
    worstSeverity: 'high',
    ...overrides,
  });

  it('gives a line per plan and counts the plans not shown', () => {
    const page = {
      items: [summary('shop'), summary('blog', { worstSeverity: null, componentCount: 1 })],
      nextCursor: 'x',
      totalCount: 12,
    };
    const { text } = rendered(listReply(page, context, 'aws'));
    expect(text).toContain('`shop` · aws · rev 1 · $18.25/mo · 3 components · worst 🟠 high · `id-shop`');
    expect(text).toContain('`blog` · aws · rev 1 · $18.25/mo · 1 component · no findings');
    expect(text).toContain('…and 10 more (GET https://planner.example.com/v1/plans?platform=aws)');
  });

  it('says when there are none, with an example to start from', () => {
    const { text } = rendered(listReply({ items: [], nextCursor: null, totalCount: 0 }, context, 'gcp'));
    expect(text).toContain('No plans on gcp yet.');
    expect(text).toContain('/plan plan shop on aws');
  });
});

describe(helpReply.name, () => {
  it('prints the usage of every command with the slash command in front', () => {
    const { text } = rendered(helpReply(context));
    for (const usage of Object.values(USAGE)) {
      expect(text).toContain(`/plan ${usage}`);
    }
    expect(text).toContain('name:role:port[>targetPort][:public|private|node]');
    expect(text).toContain('--share');
  });
});

describe(usageReply.name, () => {
  it('shows the error, with the code marks as code, and the usage line', () => {
    const reply = usageReply('`list` takes at most one platform.', USAGE.list, context);
    const { text, blocksText } = rendered(reply);
    expect(blocksText).toContain('⚠️ `list` takes at most one platform.');
    expect(text).toContain('Usage: `/plan list [platform]`');
  });
});

describe(problemsReply.name, () => {
  it('lists every problem, naming the component of each path', () => {
    const reply = problemsReply(
      [
        { path: 'environment.platform', message: 'must be one of aws, gcp' },
        { path: 'components[1].ports[0].port', message: 'must be 1-65535' },
        { path: '', message: 'bad' },
      ],
      ['web', 'api'],
      context,
    );
    const { text } = rendered(reply);
    expect(text).toContain('The plan has 3 problems; nothing was stored.');
    expect(text).toContain('• `environment.platform`: must be one of aws, gcp');
    expect(text).toContain('• `components[1].ports[0].port` (api): must be 1-65535');
    expect(text).toContain('• `(topology)`: bad');
    expect(text).toContain(`Usage: \`/plan ${USAGE.plan}\``);
  });
});

describe(notFoundReply.name, () => {
  it('is friendly and points to list', () => {
    const { text } = rendered(notFoundReply('nope', context));
    expect(text).toContain('No plan has the id or name `nope`.');
    expect(text).toContain('`/plan list` shows the plans there are.');
  });
});

describe(manifestsUrl.name, () => {
  it('joins the base URL without doubling the slash', () => {
    expect(manifestsUrl({ baseUrl: 'http://127.0.0.1:3000', commandPrefix: '' }, 'a b')).toBe(
      'http://127.0.0.1:3000/v1/plans/a%20b/manifests',
    );
  });
});

describe(markedLine.name, () => {
  it('turns backtick runs into code', () => {
    expect(markedLine('a `b` c ``')).toEqual(['a ', { code: 'b' }, ' c ']);
  });
});

describe(diffReply.name, () => {
  const before = buildStoredPlan({ revision: 1 });
  const after: StoredPlan = {
    ...buildStoredPlan({ revision: 2 }),
    findings: [...before.findings, finding('EXP099', 'high', 'web')],
    cost: { ...before.cost, monthlyTotal: before.cost.monthlyTotal + 16.43 },
  };

  it('names the revisions, the cost change and each new finding, in valid blocks', () => {
    const { text } = rendered(diffReply(diffPlans(before, after), context));
    expect(text).toContain('What changed in shop (revision 1 → 2)');
    expect(text).toContain('(+$16.43)');
    expect(text).toMatch(/new `EXP099` on `web`/);
    expect(text).toContain(`/v1/plans/${PLAN_ID}/diff`);
  });

  it('lists objects that only changed namespace as moved, never as both added and removed', () => {
    const object = (kind: string, name: string, namespace: string) => ({
      apiVersion: 'v1',
      kind,
      metadata: { name, namespace },
    });
    const inProduction: StoredPlan = {
      ...before,
      manifests: [object('Service', 'web', 'production'), object('Ingress', 'shop', 'production')],
    };
    const inDefault: StoredPlan = {
      ...after,
      manifests: [
        object('Service', 'web', 'default'),
        object('Ingress', 'shop', 'default'),
        object('Service', 'mailer', 'default'),
      ],
    };
    const { text } = rendered(diffReply(diffPlans(inProduction, inDefault), context));
    expect(text).toContain(
      'Moved to another namespace (2): `Ingress/shop (production → default), Service/web (production → default)`',
    );
    expect(text).toContain('Added (1): `Service/mailer`');
    expect(text).not.toContain('Removed');
    // Three objects, not five: a move is one.
    expect(text).toContain(': 0 component(s), 3 object(s)');
  });

  it('names the namespace of an added or removed object whose kind and name another one shares', () => {
    const config = (namespace: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'shop', namespace },
    });
    const twoNamespaces: StoredPlan = { ...before, manifests: [config('production'), config('staging')] };
    const oneNamespace: StoredPlan = { ...after, manifests: [config('default')] };
    const { text } = rendered(diffReply(diffPlans(twoNamespaces, oneNamespace), context));
    expect(text).toContain('Moved to another namespace (1): `ConfigMap/shop (production → default)`');
    expect(text).toContain('Removed (1): `staging/ConfigMap/shop`');
  });

  it('says so when nothing changed', () => {
    const { text } = rendered(diffReply(diffPlans(before, before), context));
    expect(text).toContain('No changes in shop: it has only one revision');
  });
});
