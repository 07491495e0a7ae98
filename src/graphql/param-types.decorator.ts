import 'reflect-metadata';

/**
 * tsx (esbuild) emits no decorator metadata, and two things still run the sources through it: `npm
 * run schema:gql`, which builds the schema from these resolvers, and the e2e specs that start the
 * service as a process of its own (test/support/service-process.ts); see docs/architecture.md.
 * Nest's @Args reads a method's `design:paramtypes` even when the argument's type is given
 * explicitly, and crashes without it. On a resolver class this supplies a placeholder list where
 * the compiler gave none; every @Args here names its type, so the placeholder is never used as a
 * type. Under tsc and SWC the metadata exists and this changes nothing.
 */
export function ParamTypesFallback(): ClassDecorator {
  return (target) => {
    const prototype = target.prototype as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(prototype)) {
      const member = prototype[key];
      if (
        key !== 'constructor' &&
        typeof member === 'function' &&
        !Reflect.hasOwnMetadata('design:paramtypes', prototype, key)
      ) {
        Reflect.defineMetadata(
          'design:paramtypes',
          Array.from({ length: member.length }, () => Object),
          prototype,
          key,
        );
      }
    }
  };
}
