/**
 * Test-only: layer 1 of the manifest validators (kube-validation.ts for the core kinds,
 * routing/testing/gateway-api-validation.ts for the Gateway API): what the JSON schema of a
 * kubernetes-models object refuses, in the `<path>: <what is wrong>` form of the planner's problems.
 */

/** A kubernetes-models object, or a schema dressed as one: validate() throws what its schema refuses. */
export type SchemaCheckedModel = { validate(): void };

type AjvLikeError = { instancePath?: string; message?: string; params?: Record<string, unknown> };

/** `/spec/ports/0/port` → `spec.ports[0].port`. */
function jsonPointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce(
      (path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment),
      '',
    );
}

function ajvErrorsOf(error: unknown): AjvLikeError[] | null {
  return typeof error === 'object' && error !== null && 'errors' in error && Array.isArray(error.errors)
    ? (error.errors as AjvLikeError[])
    : null;
}

/** Every error the model's schema reports, one line each; empty when it accepts the object. */
export function schemaErrorsOf(model: SchemaCheckedModel): string[] {
  try {
    model.validate();
    return [];
  } catch (error: unknown) {
    const errors = ajvErrorsOf(error);
    if (errors === null) {
      return [`schema: ${error instanceof Error ? error.message : JSON.stringify(error)}`];
    }
    return errors.map((e) => {
      const path = jsonPointerToPath(e.instancePath ?? '') || '(object)';
      const allowed = Array.isArray(e.params?.allowedValues) ? ` (${e.params.allowedValues.join(', ')})` : '';
      return `${path}: ${e.message ?? 'is invalid'}${allowed}`;
    });
  }
}
