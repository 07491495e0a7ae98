import { RouteTable } from './route-table.js';

describe(RouteTable.name, () => {
  const sut = new RouteTable();
  sut.add('/v1/plans', ['GET', 'HEAD']);
  sut.add('/v1/plans', 'POST');
  sut.add('/v1/plans/:id', ['GET', 'HEAD']);
  sut.add('/v1/plans/:id', 'delete');
  sut.add('/v1/plans/:id/manifests', 'GET');
  sut.add('/docs/*', 'GET');

  it.each([
    ['/v1/plans', ['GET', 'HEAD', 'POST']],
    ['/v1/plans/', ['GET', 'HEAD', 'POST']],
    ['/v1/plans?limit=2', ['GET', 'HEAD', 'POST']],
    ['/v1/plans/abc', ['DELETE', 'GET', 'HEAD']],
    ['/v1/plans/abc/manifests', ['GET']],
    ['/docs/swagger-ui.css', ['GET']],
    ['/v1/plans/abc/nothing', []],
    ['/v1', []],
    ['/v1/plansx', []],
  ])('%s allows %j', (path, methods) => {
    expect(sut.allowedMethods(path)).toEqual(methods);
  });
});
