import { AppMetrics, MAX_OPERATION_NAMES, OTHER_OPERATION } from './metrics.js';

describe(AppMetrics.name, () => {
  const labelsOf = async (sut: AppMetrics, metric: string) =>
    (await sut.registry.getSingleMetric(metric)?.get())?.values.map((v) => v.labels) ?? [];

  it('labels requests by pattern and a known method; a request no route matched is "unmatched"', async () => {
    const sut = new AppMetrics();

    sut.recordHttpRequest('GET', '/v1/plans/:id', 200, 0.01);
    sut.recordHttpRequest('BREW', undefined, 404, 0.001);

    expect(await labelsOf(sut, 'http_requests_total')).toEqual([
      { method: 'GET', route: '/v1/plans/:id', status: '200' },
      { method: 'other', route: 'unmatched', status: '404' },
    ]);
  });

  it(`keeps at most ${MAX_OPERATION_NAMES} GraphQL operation names, and no name that is not a GraphQL name`, async () => {
    const sut = new AppMetrics();

    for (let i = 0; i < MAX_OPERATION_NAMES + 50; i++) {
      sut.recordGraphqlOperation('query', `Op${i}`, 'success');
    }
    sut.recordGraphqlOperation('query', 'not a name; DROP', 'rejected');
    sut.recordGraphqlOperation(undefined, undefined, 'rejected');

    const names = new Set((await labelsOf(sut, 'graphql_operations_total')).map((l) => l.operation_name));
    expect(names.size).toBe(MAX_OPERATION_NAMES + 2);
    expect(names).toContain(OTHER_OPERATION);
    expect(names).toContain('anonymous');
    expect(names).not.toContain('not a name; DROP');
  });

  it('times the planner by outcome and returns what it planned', async () => {
    const sut = new AppMetrics();

    expect(sut.timePlanner(() => ({ ok: true, value: 1 }))).toEqual({ ok: true, value: 1 });
    sut.timePlanner(() => ({ ok: false }));

    const text = (await sut.render()).body;
    expect(text).toMatch(/^planner_duration_seconds_count\{outcome="planned"\} 1$/m);
    expect(text).toMatch(/^planner_duration_seconds_count\{outcome="invalid"\} 1$/m);
  });

  it('shows every database error kind from the start, at zero', async () => {
    const text = (await new AppMetrics().render()).body;
    for (const kind of ['unreachable', 'timeout', 'conflict', 'query']) {
      expect(text).toContain(`database_errors_total{kind="${kind}"} 0`);
    }
  });
});
