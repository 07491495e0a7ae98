import 'reflect-metadata';

/**
 * `npm run start:dev` runs the sources through tsx (esbuild), which emits no decorator metadata.
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
