import { ParamTypesFallback } from './param-types.decorator.js';

describe(ParamTypesFallback.name, () => {
  it('gives a method without parameter metadata (as tsx compiles it) one placeholder per parameter', () => {
    // A plain class, no decorators: what esbuild emits, with no design:paramtypes anywhere.
    class Plain {
      list(_first: number, _after: string, _filter: object): void {}
    }
    ParamTypesFallback()(Plain);
    expect(Reflect.getMetadata('design:paramtypes', Plain.prototype, 'list')).toEqual([Object, Object, Object]);
  });

  it('keeps the metadata a compiler emitted', () => {
    class Compiled {
      get(_id: string): void {}
    }
    Reflect.defineMetadata('design:paramtypes', [String], Compiled.prototype, 'get');
    ParamTypesFallback()(Compiled);
    expect(Reflect.getMetadata('design:paramtypes', Compiled.prototype, 'get')).toEqual([String]);
  });
});
