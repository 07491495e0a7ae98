import { at } from '../common/at.js';
import type { Finding, PlanResult, Problem, Recommendation, Severity } from '../planner/types.js';
import { severityOrder } from '../planner/rules.js';
import { isEmptyDiff, type Exposure, type ObjectRef, type PlanDiff } from '../plans/plan-diff.js';
import type { Page, PlanPreview, PlanSummary, StoredPlan } from '../plans/plans.types.js';
import type { ChatReply, Line, ReplyBlock } from './chat-reply.js';
import { COMPONENT_USAGE, USAGE } from './command-parser.js';

/**
 * What the chat transports answer, as ChatReply documents (chat-reply.ts renders them for each
 * client). Pure: they only read plans the application layer returned; no planner rule lives here.
 */

/** Where the reply may point: the REST API's base URL and how the user invokes us (`/plan `, or ''). */
export type ReplyContext = {
  baseUrl: string;
  commandPrefix: string;
  /**
   * Whether the REST API wants a key from whoever runs the commands a reply prints: false only
   * for a caller in protected mode (no key exists, loopback). A line pasted without the header
   * would get a 401 that kubectl then reads as YAML.
   */
  keyRequired?: boolean;
};

/** How many findings a plan summary shows; `findings <plan>` lists them all. */
export const TOP_FINDINGS = 5;
/** How many YAML lines `yaml <plan>` shows before pointing to the full file. */
export const YAML_EXCERPT_LINES = 15;
/** Words of a rationale kept in a component's line. */
const REASON_LENGTH = 90;

const SEVERITY_ICON: Record<Severity, string> = {
  critical: '🔴',
  high: '🟠',
  medium: '🟡',
  low: '🔵',
  info: '⚪',
};

/** Most severe first; findings of the same severity keep the planner's order. */
export function orderFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => severityOrder(a.severity) - severityOrder(b.severity));
}

export function formatMoney(amount: number, currency = 'USD'): string {
  const symbol = currency === 'USD' ? '$' : `${currency} `;
  return `${symbol}${amount.toFixed(2)}`;
}

export function manifestsUrl(context: ReplyContext, id: string): string {
  return `${context.baseUrl.replace(/\/+$/, '')}/v1/plans/${encodeURIComponent(id)}/manifests`;
}

/**
 * A sentence cut on a word boundary, so a component's line stays one line: never inside a word (a
 * first word longer than the limit is kept whole) and never inside a `code` span, which chat
 * clients would render up to the end of the message. Separators and an opening bracket left at
 * the end go before the "…".
 */
export function shorten(text: string, limit = REASON_LENGTH): string {
  if (text.length <= limit) {
    return text;
  }
  // Room for the "…": the kept words end before `limit - 1`.
  let end = lastSpaceAtOrBefore(text, limit - 1);
  if (end <= 0) {
    const firstSpace = text.search(/\s/);
    end = firstSpace === -1 ? text.length : firstSpace;
  }
  let kept = text.slice(0, end);
  while (countOf(kept, '`') % 2 === 1) {
    const before = lastSpaceAtOrBefore(kept, kept.lastIndexOf('`'));
    kept = before > 0 ? kept.slice(0, before) : kept.replace(/`/g, '');
  }
  kept = kept.replace(/[\s,;:.([{]+$/, '');
  return kept.length === text.length ? text : `${kept}…`;
}

function lastSpaceAtOrBefore(text: string, index: number): number {
  for (let i = Math.min(index, text.length - 1); i > 0; i -= 1) {
    if (/\s/.test(text[i] ?? '')) {
      return i;
    }
  }
  return -1;
}

function countOf(text: string, character: string): number {
  return text.split(character).length - 1;
}

function command(context: ReplyContext, text: string): { code: string } {
  return { code: `${context.commandPrefix}${text}` };
}

function serviceLabel(recommendation: Recommendation): string {
  if (recommendation.serviceType === null) {
    return 'no Service';
  }
  const parts: string[] = [recommendation.serviceType];
  if (recommendation.headless) {
    parts.push('+ headless');
  }
  if (recommendation.serviceType === 'LoadBalancer' && recommendation.scheme === 'internal') {
    parts.push('(internal)');
  }
  return parts.join(' ');
}

const ENTRY_POINT_TEXT: Record<Recommendation['entryPoint'], string> = {
  ingress: 'via the Ingress',
  'load-balancer': 'own load balancer',
  'node-port': 'on node ports',
  none: 'in-cluster',
};

/**
 * The reason in a few words: rationales read "public HTTP on AWS: every port speaks HTTP…", so the
 * clause before the first colon is the gist; `show`'s REST twin has the whole sentence.
 */
export function gist(rationale: string): string {
  const clause = at(rationale.split(': '), 0);
  return clause.length < rationale.length && clause.length <= 70 ? clause : shorten(rationale, 70);
}

/** With Gateway API the shared L7 entry point is the plan's Gateway, and the reply says so. */
function componentLine(recommendation: Recommendation, viaGateway: boolean): Line {
  const reason = recommendation.rationale[0];
  const entryPoint =
    viaGateway && recommendation.entryPoint === 'ingress'
      ? 'via the Gateway'
      : ENTRY_POINT_TEXT[recommendation.entryPoint];
  return [
    { code: recommendation.component },
    ' → ',
    { bold: serviceLabel(recommendation) },
    `, ${entryPoint}`,
    ...(reason === undefined ? [] : [`: ${gist(reason)}`]),
  ];
}

function findingLine(finding: Finding, withRemediation: boolean): Line {
  return [
    `${SEVERITY_ICON[finding.severity]} `,
    { bold: finding.severity },
    ' ',
    { code: finding.id },
    ' ',
    ...(finding.component === undefined ? [] : [{ code: finding.component }, ' ']),
    finding.title,
    ...(withRemediation ? [`. Fix: ${finding.remediation}`] : []),
  ];
}

function isStored(plan: StoredPlan | PlanPreview): plan is StoredPlan {
  return 'id' in plan && typeof plan.id === 'string';
}

function worstSeverity(findings: readonly Finding[]): Severity | undefined {
  return orderFindings(findings)[0]?.severity;
}

function planSummaryLine(plan: StoredPlan | PlanPreview, verb: string): Line {
  const findingCount = plan.findings.length;
  const worst = worstSeverity(plan.findings);
  return [
    `${verb} `,
    { bold: plan.name },
    isStored(plan) ? ` (revision ${plan.revision})` : ' (dry run)',
    ` on ${plan.topology.environment.platform}: ${plan.recommendations.length} component${plural(plan.recommendations.length)}, `,
    `${formatMoney(plan.cost.monthlyTotal, plan.cost.currency)}/mo, `,
    `${findingCount} finding${plural(findingCount)}${worst === undefined ? '' : ` (worst: ${worst})`}`,
  ];
}

function plural(count: number): string {
  return count === 1 ? '' : 's';
}

function headerLines(plan: StoredPlan | PlanPreview): Line[] {
  const { topology, cost } = plan;
  return [
    [
      { bold: `Plan ${plan.name}` },
      isStored(plan) ? ` · revision ${plan.revision}` : ' · dry run',
      ` · ${topology.environment.platform}`,
      ...(topology.environment.region === undefined ? [] : [` ${topology.environment.region}`]),
      ' · namespace ',
      { code: topology.namespace },
    ],
    ['Monthly cost: ', { bold: formatMoney(cost.monthlyTotal, cost.currency) }],
  ];
}

/** The shared L7 entry point: the Gateway (Gateway API plans) or the Ingress. */
function ingressLine(plan: PlanResult): Line | undefined {
  const { ingress, gateway } = plan;
  if (gateway !== null) {
    return [
      gateway.shared ? 'Existing Gateway ' : 'Gateway ',
      { code: `${gateway.namespace}/${gateway.name}` },
      ' (class ',
      { code: gateway.className },
      `) routes ${gateway.components.join(', ')}`,
      ...(gateway.install === undefined ? [] : [`; install first: ${gateway.install}`]),
    ];
  }
  if (ingress === null) {
    return undefined;
  }
  return [
    'Ingress class ',
    { code: ingress.className },
    ` routes ${ingress.components.join(', ')}`,
    ...(ingress.controllerPresent
      ? []
      : [`; install the controller first${ingress.install === undefined ? '' : `: ${ingress.install}`}`]),
  ];
}

function findingsBlock(plan: PlanResult, context: ReplyContext, ref: string): ReplyBlock {
  const ordered = orderFindings(plan.findings);
  if (ordered.length === 0) {
    return { kind: 'section', lines: [[{ bold: 'Findings' }, ': none.']] };
  }
  const shown = ordered.slice(0, TOP_FINDINGS);
  return {
    kind: 'section',
    lines: [[{ bold: `Findings (${ordered.length})` }], ...shown.map((finding) => findingLine(finding, false))],
    more: ordered.length - shown.length,
    moreNote: `${context.commandPrefix}findings ${ref}`,
  };
}

/** The reply to `plan` (stored or dry run) and to `show`: what each component gets, the cost, the worst findings. */
export function planReply(plan: StoredPlan | PlanPreview, context: ReplyContext, verb = 'Plan'): ChatReply {
  const stored = isStored(plan);
  const ingress = ingressLine(plan);
  const blocks: ReplyBlock[] = [
    { kind: 'section', lines: headerLines(plan) },
    {
      kind: 'section',
      lines: plan.recommendations.map((recommendation) => componentLine(recommendation, plan.gateway !== null)),
    },
    ...(ingress === undefined ? [] : [{ kind: 'context', line: ingress } as const]),
    { kind: 'divider' },
    findingsBlock(plan, context, plan.name),
    {
      kind: 'context',
      line: stored
        ? [
            'Plan id ',
            { code: plan.id },
            ' · ',
            { link: manifestsUrl(context, plan.id), label: 'manifests (YAML)' },
            ' · more: ',
            command(context, `cost ${plan.name}`),
            ', ',
            command(context, `yaml ${plan.name}`),
          ]
        : ['Dry run: nothing was stored. Run the same command without ', { code: '--dry-run' }, ' to keep it.'],
    },
  ];
  return { summary: planSummaryLine(plan, verb), blocks };
}

/**
 * `plan <name> …` on a name the team already has: the new revision, then what changed since the
 * one before it (the same diff `diff <name>` answers).
 */
export function revisedPlanReply(plan: StoredPlan, diff: PlanDiff, context: ReplyContext): ChatReply {
  const planned = planReply(plan, context, 'Revised');
  const changes = diffReply(diff, context);
  return {
    summary: planned.summary,
    blocks: [
      ...planned.blocks,
      { kind: 'divider' },
      ...changes.blocks,
      {
        kind: 'context',
        line: ['Same name, so the plan was revised: add ', { code: '--new' }, ' to store a separate plan instead.'],
      },
    ],
  };
}

export function costReply(plan: StoredPlan, context: ReplyContext): ChatReply {
  const { cost } = plan;
  const money = (amount: number): string => formatMoney(amount, cost.currency);
  const alternatives = plan.recommendations.flatMap((recommendation) =>
    recommendation.alternatives.map((alternative): Line => [
      { code: recommendation.component },
      ` as ${alternative.serviceType}: ${money(alternative.monthlyCost)}/mo: ${shorten(alternative.reason)}`,
    ]),
  );
  const blocks: ReplyBlock[] = [
    {
      kind: 'section',
      lines: [
        [{ bold: `Cost of ${plan.name}` }, ': ', { bold: money(cost.monthlyTotal) }, ` per month (${cost.currency})`],
      ],
    },
    {
      kind: 'section',
      lines:
        cost.items.length === 0
          ? [['Nothing in this plan is billed by the provider: no load balancer, no public address.']]
          : cost.items.map((item): Line => [
              item.component === undefined ? 'shared' : { code: item.component },
              ` ${item.description}: `,
              { bold: `${money(item.monthly)}/mo` },
              ` (${item.basis.replace(/\.$/, '')})`,
            ]),
    },
  ];
  if (cost.savings.length > 0) {
    blocks.push({
      kind: 'section',
      lines: [
        [{ bold: 'Savings' }],
        ...cost.savings.map((saving): Line => [`${saving.description}: ${money(saving.monthly)}/mo`]),
      ],
    });
  }
  if (alternatives.length > 0) {
    blocks.push({ kind: 'section', lines: [[{ bold: 'Rejected alternatives' }], ...alternatives] });
  }
  blocks.push({
    kind: 'context',
    line: [
      `Prices: ${shorten(cost.pricing.source, 160)}, as of ${cost.pricing.asOf}. Plan id `,
      { code: plan.id },
      ' · risks: ',
      command(context, `findings ${plan.name}`),
    ],
  });
  return {
    summary: ['Cost of ', { bold: plan.name }, `: ${money(cost.monthlyTotal)}/mo`],
    blocks,
  };
}

/** How many objects of each kind of change (added, removed, changed) a diff reply names. */
export const DIFF_OBJECTS_SHOWN = 10;

export function diffReply(diff: PlanDiff, context: ReplyContext): ChatReply {
  const revisions = `revision ${diff.fromRevision} → ${diff.toRevision}`;
  if (isEmptyDiff(diff)) {
    const why =
      diff.fromRevision === diff.toRevision
        ? 'it has only one revision (`PUT /v1/plans/{id}` makes the next).'
        : `nothing changed between revisions ${diff.fromRevision} and ${diff.toRevision}.`;
    const summary: Line = ['No changes in ', { bold: diff.name }, `: ${why}`];
    return { summary, blocks: [{ kind: 'section', lines: [summary] }] };
  }
  const money = (amount: number): string => formatMoney(amount, diff.cost.currency);
  const signed = (amount: number): string => `${amount < 0 ? '−' : '+'}${money(Math.abs(amount))}`;
  const exposure = (e: Exposure | null): string =>
    e === null ? 'absent' : `${e.serviceType ?? 'no Service'}${e.entryPoint === 'none' ? '' : ` via ${e.entryPoint}`}`;
  const { moved, added, removed } = namespaceMoves(diff.manifests.added, diff.manifests.removed);
  const { changed } = diff.manifests;
  // Kind/name is enough to tell objects apart unless two of them share it across namespaces:
  // those name their namespace too, so Added and Removed never seem to list the same object.
  const shared = kindNamesSeenTwice([...diff.manifests.added, ...diff.manifests.removed, ...changed]);
  const objectName = (o: ObjectRef): string =>
    shared.has(kindName(o)) ? `${o.namespace ?? NO_NAMESPACE}/${kindName(o)}` : kindName(o);
  const moveName = ({ from, to }: NamespaceMove): string =>
    `${kindName(to)} (${from.namespace ?? NO_NAMESPACE} → ${to.namespace ?? NO_NAMESPACE})`;
  const listLine = <T>(label: string, items: T[], name: (item: T) => string): Line[] =>
    items.length === 0
      ? []
      : [
          [
            `${label} (${items.length}): `,
            { code: items.slice(0, DIFF_OBJECTS_SHOWN).map(name).join(', ') },
            items.length > DIFF_OBJECTS_SHOWN ? ` and ${items.length - DIFF_OBJECTS_SHOWN} more` : '',
          ],
        ];
  const objectLines = (label: string, objects: ObjectRef[]): Line[] => listLine(label, objects, objectName);
  const blocks: ReplyBlock[] = [
    {
      kind: 'section',
      lines: [
        [{ bold: `What changed in ${diff.name}` }, ` (${revisions})`],
        [
          'Monthly cost: ',
          { bold: `${money(diff.cost.from)} → ${money(diff.cost.to)}` },
          diff.cost.delta === 0 ? ' (unchanged)' : ` (${signed(diff.cost.delta)})`,
        ],
      ],
    },
  ];
  if (diff.recommendations.length > 0) {
    blocks.push({
      kind: 'section',
      lines: [
        [{ bold: 'Components' }],
        ...diff.recommendations.map((change): Line => [
          { code: change.component },
          ` ${exposure(change.from)} → ${exposure(change.to)}`,
        ]),
      ],
    });
  }
  const manifestLines = [
    ...listLine('Moved to another namespace', moved, moveName),
    ...objectLines('Added', added),
    ...objectLines('Removed', removed),
    ...objectLines('Changed', changed),
  ];
  if (manifestLines.length > 0) {
    blocks.push({ kind: 'section', lines: [[{ bold: 'Manifests' }], ...manifestLines] });
  }
  if (diff.cost.items.length > 0) {
    blocks.push({
      kind: 'section',
      lines: [
        [{ bold: 'Cost lines that moved' }],
        ...diff.cost.items.map((item): Line => [
          item.component === null ? 'shared' : { code: item.component },
          ` ${item.resource}: ${item.from === null ? 'new' : money(item.from)} → ${item.to === null ? 'gone' : money(item.to)} (${signed(item.delta)})`,
        ]),
      ],
    });
  }
  const findingLine = (label: string, f: PlanDiff['findings']['added'][number]): Line => [
    label,
    { code: f.id },
    ...(f.component === null ? [] : [' on ', { code: f.component }]),
    `: ${shorten(f.title)}`,
  ];
  const findingLines = [
    ...diff.findings.added.map((f) => findingLine(`${SEVERITY_ICON[f.severity]} new `, f)),
    ...diff.findings.resolved.map((f) => findingLine('✅ resolved ', f)),
  ];
  if (findingLines.length > 0) {
    blocks.push({ kind: 'section', lines: [[{ bold: 'Findings' }], ...findingLines] });
  }
  blocks.push({
    kind: 'context',
    line: [
      'Plan id ',
      { code: diff.planId },
      ' · JSON Patches of the changed objects: ',
      { code: `GET ${context.baseUrl.replace(/\/+$/, '')}/v1/plans/${encodeURIComponent(diff.planId)}/diff` },
    ],
  });
  return {
    summary: [
      'Changes in ',
      { bold: diff.name },
      ` (${revisions}): ${diff.recommendations.length} component(s), ${moved.length + added.length + removed.length + changed.length} object(s), cost ${signed(diff.cost.delta)}/mo`,
    ],
    blocks,
  };
}

/** Stands for the namespace of a cluster-scoped object where a namespace is named. */
const NO_NAMESPACE = '(no namespace)';

type NamespaceMove = { from: ObjectRef; to: ObjectRef };

const kindName = (o: ObjectRef): string => `${o.kind}/${o.name}`;

/**
 * The diff keys objects by namespace too, so a plan whose namespace changed removes every object
 * from the old one and adds it to the new one. Each removed object paired with an added one of the
 * same kind and name (first come, first paired) is one move; the rest stay added or removed.
 */
function namespaceMoves(
  added: ObjectRef[],
  removed: ObjectRef[],
): { moved: NamespaceMove[]; added: ObjectRef[]; removed: ObjectRef[] } {
  const unpaired = [...added];
  const moved: NamespaceMove[] = [];
  const stillRemoved: ObjectRef[] = [];
  for (const from of removed) {
    const index = unpaired.findIndex((to) => kindName(to) === kindName(from) && to.namespace !== from.namespace);
    if (index === -1) {
      stillRemoved.push(from);
    } else {
      moved.push({ from, to: at(unpaired.splice(index, 1), 0) });
    }
  }
  return { moved, added: unpaired, removed: stillRemoved };
}

function kindNamesSeenTwice(objects: ObjectRef[]): Set<string> {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const object of objects) {
    (seen.has(kindName(object)) ? twice : seen).add(kindName(object));
  }
  return twice;
}

export function findingsReply(plan: StoredPlan, context: ReplyContext): ChatReply {
  const ordered = orderFindings(plan.findings);
  const summary: Line = [
    'Findings of ',
    { bold: plan.name },
    `: ${ordered.length}${ordered[0] === undefined ? '' : ` (worst: ${ordered[0].severity})`}`,
  ];
  if (ordered.length === 0) {
    return {
      summary,
      blocks: [{ kind: 'section', lines: [['No findings for ', { bold: plan.name }, '.']] }],
    };
  }
  return {
    summary,
    blocks: [
      { kind: 'section', lines: [[{ bold: `Findings of ${plan.name} (${ordered.length})` }]] },
      { kind: 'section', lines: ordered.map((finding) => findingLine(finding, true)) },
      {
        kind: 'context',
        line: [
          'Plan id ',
          { code: plan.id },
          ' · full details: ',
          command(context, `show ${plan.name}`),
          ' or the REST API.',
        ],
      },
    ],
  };
}

/** The first lines of the plan's YAML and where the whole file is. `yaml` is the YAML of the manifests. */
export function yamlReply(plan: StoredPlan, yaml: string, context: ReplyContext): ChatReply {
  const lines = yaml.replace(/\n+$/, '').split('\n');
  const excerpt = lines.slice(0, YAML_EXCERPT_LINES).join('\n');
  const url = manifestsUrl(context, plan.id);
  return {
    summary: [
      'Manifests of ',
      { bold: plan.name },
      `: ${plan.manifests.length} objects, ${lines.length} lines of YAML; the first ${Math.min(YAML_EXCERPT_LINES, lines.length)} below`,
    ],
    blocks: [
      { kind: 'code', text: excerpt, language: 'yaml' },
      ...(lines.length > YAML_EXCERPT_LINES
        ? [{ kind: 'context', line: [`…and ${lines.length - YAML_EXCERPT_LINES} more lines.`] } as const]
        : []),
      { kind: 'context', line: ['Full file: ', { link: url, label: url }] },
      {
        kind: 'context',
        line: [
          'Apply: ',
          {
            code: `curl -s${context.keyRequired === false ? '' : " -H 'Authorization: Bearer <key>'"} ${url} | kubectl apply -f -`,
          },
        ],
      },
    ],
  };
}

export function listReply(page: Page<PlanSummary>, context: ReplyContext, platform?: string): ChatReply {
  const where = platform === undefined ? '' : ` on ${platform}`;
  if (page.items.length === 0) {
    return {
      summary: [`No plans${where} yet.`],
      blocks: [
        {
          kind: 'section',
          lines: [
            [
              `No plans${where} yet. Make one: `,
              command(context, 'plan shop on aws web:frontend:80:public api:api:3000'),
            ],
          ],
        },
      ],
    };
  }
  const lines = page.items.map((item): Line => [
    { code: item.name },
    ` · ${item.platform} · rev ${item.revision} · ${formatMoney(item.monthlyCost)}/mo · ${item.componentCount} component${plural(item.componentCount)}`,
    item.worstSeverity === null
      ? ' · no findings'
      : ` · worst ${SEVERITY_ICON[item.worstSeverity]} ${item.worstSeverity}`,
    ' · ',
    { code: item.id },
  ]);
  return {
    summary: [`${page.totalCount} plan${plural(page.totalCount)}${where}`],
    blocks: [
      { kind: 'section', lines: [[{ bold: `Plans${where}` }, ` (${page.totalCount})`]] },
      {
        kind: 'section',
        lines,
        more: Math.max(0, page.totalCount - page.items.length),
        moreNote: `GET ${context.baseUrl.replace(/\/+$/, '')}/v1/plans${platform === undefined ? '' : `?platform=${platform}`}`,
      },
      { kind: 'context', line: ['Details: ', command(context, 'show <id|name>')] },
    ],
  };
}

const COMMAND_HELP: readonly (readonly [keyof typeof USAGE, string])[] = [
  ['plan', 'plan a topology and store it (--dry-run: only preview)'],
  ['list', 'the latest plans, optionally on one platform'],
  ['show', 'what each component gets, the cost, the worst findings'],
  ['cost', 'the monthly cost, item by item, and what the alternatives would cost'],
  ['findings', 'every security finding, most severe first, with its fix'],
  ['yaml', 'the first lines of the manifests and the URL of the whole file'],
  ['diff', 'what the latest revision changed: Service types, objects, cost, findings'],
  ['help', 'this text'],
];

export function helpReply(context: ReplyContext): ChatReply {
  return {
    summary: ['Exposure Planner: which Kubernetes Service type each component needs, its cost and its risks.'],
    blocks: [
      {
        kind: 'section',
        lines: [
          [{ bold: 'Commands' }],
          ...COMMAND_HELP.map(([kind, text]): Line => [command(context, USAGE[kind]), `: ${text}`]),
        ],
      },
      {
        kind: 'section',
        lines: [
          [{ bold: 'Components' }, ' are written ', { code: COMPONENT_USAGE }],
          ['role: frontend, api, database, cache, queue, worker, gateway or other (a worker may leave out the port)'],
          [
            'exposure: public (internet), private (VPN, partners), node (a host outside the cluster); left out: in-cluster only',
          ],
          [
            'Each component calls the next one unless ',
            { code: '--deps web>api,api>db' },
            ' (or ',
            { code: '--deps none' },
            ') says otherwise.',
          ],
          [
            'Settings: ',
            { code: 'ingress=<class>' },
            ', ',
            { code: 'namespace=' },
            ', ',
            { code: 'region=' },
            ', ',
            { code: 'stage=' },
            ', ',
            { code: 'lb=metallb' },
            ' (bare metal).',
          ],
          [{ code: '--share' }, ' posts the answer to the channel; without it only you see it.'],
        ],
      },
      {
        kind: 'section',
        lines: [
          [{ bold: 'Example' }],
          [
            command(
              context,
              'plan shop on aws web:frontend:80>8080:public api:api:3000 db:database:5432 ingress=nginx',
            ),
          ],
          [command(context, 'show shop --share')],
        ],
      },
    ],
  };
}

/** A command the parser refused: what was wrong, how the command is written, where to learn more. */
export function usageReply(error: string, usage: string, context: ReplyContext): ChatReply {
  return {
    summary: markedLine(`⚠️ ${error}`),
    blocks: [
      { kind: 'section', lines: [markedLine(`⚠️ ${error}`), ['Usage: ', command(context, usage)]] },
      { kind: 'context', line: [command(context, 'help'), ' lists every command.'] },
    ],
  };
}

/**
 * The planner's problems with a topology typed in chat. Paths such as `components[1].ports[0].port`
 * get the component's name next to them, since the user typed names, not indexes.
 */
export function problemsReply(
  problems: readonly Problem[],
  componentNames: readonly string[],
  context: ReplyContext,
): ChatReply {
  const lines = problems.map((problem): Line => {
    const index = /^components\[(\d+)\]/.exec(problem.path)?.[1];
    const name = index === undefined ? undefined : componentNames[Number(index)];
    return [
      '• ',
      { code: problem.path === '' ? '(topology)' : problem.path },
      name === undefined ? '' : ` (${name})`,
      `: ${problem.message}`,
    ];
  });
  return {
    summary: [`⚠️ The plan has ${problems.length} problem${plural(problems.length)}; nothing was stored.`],
    blocks: [
      {
        kind: 'section',
        lines: [[`⚠️ The plan has ${problems.length} problem${plural(problems.length)}; nothing was stored.`]],
      },
      { kind: 'section', lines },
      {
        kind: 'context',
        line: ['Usage: ', command(context, USAGE.plan), ' · components: ', { code: COMPONENT_USAGE }],
      },
    ],
  };
}

export function notFoundReply(ref: string, context: ReplyContext): ChatReply {
  return {
    summary: ['🔍 No plan has the id or name ', { code: ref }, '.'],
    blocks: [
      { kind: 'section', lines: [['🔍 No plan has the id or name ', { code: ref }, '.']] },
      { kind: 'context', line: [command(context, 'list'), ' shows the plans there are.'] },
    ],
  };
}

/** A reply for when the service cannot answer now; `detail` says why in a sentence. */
export function unavailableReply(detail: string): ChatReply {
  return { summary: [`⏳ ${detail}`], blocks: [{ kind: 'section', lines: [[`⏳ ${detail}`]] }] };
}

/** Turns `a \`b\` c` into a line with b as code, so parser messages render as code in every dialect. */
export function markedLine(text: string): Line {
  return text
    .split('`')
    .flatMap((part, index): Line => (part === '' ? [] : index % 2 === 1 ? [{ code: part }] : [part]));
}
