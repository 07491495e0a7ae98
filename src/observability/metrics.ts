import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { DatabaseFailure } from '../common/database-failure.js';

/** Nest injection token of the app's AppMetrics. */
export const APP_METRICS = Symbol('APP_METRICS');

/**
 * What PlansService reports about planning: the seam through which it is measured without knowing
 * about Prometheus (its unit tests construct it without one).
 */
export type PlanMetrics = {
  /** Runs the pure planner and records how long it took, and whether the input was refused. */
  timePlanner<T extends { ok: boolean }>(planning: () => T): T;
  /** A plan was stored as revision 1. */
  planCreated(): void;
};

/** Nest injection token of the PlanMetrics PlansService may inject (optional there). */
export const PLAN_METRICS = Symbol('PLAN_METRICS');

export const GRAPHQL_OUTCOMES = ['success', 'error', 'rejected'] as const;
export type GraphqlOutcome = (typeof GRAPHQL_OUTCOMES)[number];

/** Every HTTP method a route of ours serves; anything else is counted as `other`, not by its name. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Requests that matched no route: one label value, whatever the URL, so a scanner cannot add series. */
export const UNMATCHED_ROUTE = 'unmatched';

/** The labels of both HTTP series: recordHttpRequest gives the counter and the histogram one label set. */
const HTTP_LABEL_NAMES = ['method', 'route', 'status'] as const;

/** GraphQL operation names the app labels by name; further new names share one label value. */
export const MAX_OPERATION_NAMES = 100;
export const OTHER_OPERATION = '__other';
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

/**
 * The app's Prometheus metrics, in a registry of its own (not prom-client's global one), so two
 * apps in one process (tests) never share or double-register a series. Every label takes values
 * from a bounded set: route patterns rather than URLs, status codes, a capped list of operation
 * names; an id or a user's text never becomes a label.
 */
export class AppMetrics implements PlanMetrics {
  readonly registry = new Registry();

  private readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: HTTP_LABEL_NAMES,
    registers: [this.registry],
  });

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to the end of its response, by method, route pattern and status code.',
    labelNames: HTTP_LABEL_NAMES,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly graphqlOperations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations by type (query, mutation, unknown when it did not parse), name and outcome (success, error: a resolver failed, rejected: refused before execution).',
    labelNames: ['operation_type', 'operation_name', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly plansCreated = new Counter({
    name: 'plans_created_total',
    help: 'Plans stored as a new plan (revision 1), over every transport.',
    registers: [this.registry],
  });

  private readonly plannerDuration = new Histogram({
    name: 'planner_duration_seconds',
    help: 'Time the pure planner took, validation included; outcome "invalid" when it refused the input.',
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  private readonly databaseErrors = new Counter({
    name: 'database_errors_total',
    help: 'Errors from the database driver, by kind: unreachable, timeout, conflict, query.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  private readonly operationNames = new Set<string>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Zero series from the start, so a dashboard's rate() works before the first failure.
    for (const kind of ['unreachable', 'timeout', 'conflict', 'query'] satisfies DatabaseFailure[]) {
      this.databaseErrors.inc({ kind }, 0);
    }
    this.plansCreated.inc(0);
  }

  /** Records one answered HTTP request; `route` is the pattern (`/v1/plans/:id`), undefined when none matched. */
  recordHttpRequest(method: string, route: string | undefined, status: number, seconds: number): void {
    const labels = {
      method: KNOWN_METHODS.has(method) ? method : 'other',
      route: route ?? UNMATCHED_ROUTE,
      status: String(status),
    };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }

  recordGraphqlOperation(type: string | undefined, name: string | undefined, outcome: GraphqlOutcome): void {
    this.graphqlOperations.inc({
      operation_type: type ?? 'unknown',
      operation_name: this.operationLabel(name),
      outcome,
    });
  }

  recordDatabaseError(kind: DatabaseFailure): void {
    this.databaseErrors.inc({ kind });
  }

  timePlanner<T extends { ok: boolean }>(planning: () => T): T {
    const started = process.hrtime.bigint();
    const outcome = planning();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.plannerDuration.observe({ outcome: outcome.ok ? 'planned' : 'invalid' }, seconds);
    return outcome;
  }

  planCreated(): void {
    this.plansCreated.inc();
  }

  /** The exposition text (Prometheus text format 0.0.4) and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  // Operation names come from clients: valid GraphQL names only, and at most MAX_OPERATION_NAMES of them.
  private operationLabel(name: string | undefined): string {
    if (name === undefined || name === '') {
      return 'anonymous';
    }
    if (!OPERATION_NAME.test(name)) {
      return OTHER_OPERATION;
    }
    if (this.operationNames.has(name)) {
      return name;
    }
    if (this.operationNames.size >= MAX_OPERATION_NAMES) {
      return OTHER_OPERATION;
    }
    this.operationNames.add(name);
    return name;
  }
}

/** PlanMetrics that measure nothing: PlansService's default when no metrics are wired (unit tests). */
export const NO_PLAN_METRICS: PlanMetrics = {
  timePlanner: (planning) => planning(),
  planCreated: () => undefined,
};
