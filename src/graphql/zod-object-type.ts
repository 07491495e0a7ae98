import { Field, Float, ID, Int, ObjectType, type ReturnTypeFuncValue } from '@nestjs/graphql';
import { z } from 'zod';
import { GRAPHQL_ENUMS } from './enums.js';
import { DateTimeScalar, JsonObjectScalar } from './scalars.js';

/**
 * GraphQL object types made from the zod schemas of the output contract (src/plans/plan-output.schema.ts),
 * so that the REST document and the GraphQL schema come from one description: a field added to a
 * schema is in both, with the same name, nullability, list-ness and description.
 *
 * What zod does not say is given by the caller: the GraphQL name and description of each object
 * type (a zod object's own `.describe()` says what the field holding it is, and describes that
 * field), and the fields whose GraphQL type is not a copy of the zod one (a JSON scalar, a type built
 * elsewhere). A nested object without a name is an error at startup, not a field silently missing.
 *
 * How zod maps: optional or nullable → nullable; a default → what it fills, never absent from the
 * output; array → list (of non-null items); z.int() → Int,
 * other numbers → Float; z.uuid() → ID; z.iso.datetime() → DateTime; a record → JSONObject; an enum
 * or literals → the registered GraphQL enum over exactly those values (src/graphql/enums.ts), or
 * String when there is none (those fields were plain strings in GraphQL from the start); a
 * discriminated union → one flat object type, a field missing from some variants being nullable.
 */

export interface ObjectTypeSpec {
  /** The GraphQL type name. */
  name: string;
  description?: string;
  /** Only the fields that need more than zod says. */
  fields?: Record<string, FieldSpec>;
}

export interface FieldSpec {
  /** The GraphQL type instead of the one read from zod, list-ness included: `() => JsonScalar`. */
  type?: () => ReturnTypeFuncValue;
  /** The GraphQL type of a nested object (or list of objects) met for the first time. */
  object?: ObjectTypeSpec;
  /** Replaces the zod description, where GraphQL must say something else. */
  description?: string;
  complexity?: number;
}

type ObjectSchema = z.ZodObject | z.ZodDiscriminatedUnion<readonly z.ZodObject[]>;

/** A class standing for a GraphQL object type; its instances are what the resolvers return. */
export type ObjectTypeClass<T> = new () => T;

/** Every object type built so far, by the zod schema it was built from: met again, it is reused. */
const built = new WeakMap<z.ZodType, { name: string; type: ObjectTypeClass<unknown> }>();

/** The GraphQL object type of `schema`, named by `spec`: a class with ObjectType and a Field per zod field. */
export function zodObjectType<S extends ObjectSchema>(schema: S, spec: ObjectTypeSpec): ObjectTypeClass<z.output<S>> {
  const existing = built.get(schema);
  if (existing) {
    if (existing.name !== spec.name) {
      throw new Error(`${spec.name}: its zod schema is already the GraphQL type ${existing.name}.`);
    }
    return existing.type as ObjectTypeClass<z.output<S>>;
  }
  const fields = flatFields(schema);
  for (const key of Object.keys(spec.fields ?? {})) {
    if (!fields.has(key)) {
      throw new Error(`${spec.name}.${key}: no such field in its zod schema.`);
    }
  }
  // Every field first, nested types included: a field it cannot copy leaves no half-made type behind.
  const graphqlFields = [...fields].map(([key, variants]) => {
    const fieldSpec = spec.fields?.[key] ?? {};
    const field = fieldOf(`${spec.name}.${key}`, variants, fieldSpec);
    const description = fieldSpec.description ?? field.description;
    return { key, type: fieldSpec.type ?? field.type, nullable: field.nullable, description, fieldSpec };
  });
  // A named class, so that stack traces and Nest's messages say which type.
  const type = { [spec.name]: class {} }[spec.name] as ObjectTypeClass<z.output<S>>;
  for (const { key, type: fieldType, nullable, description, fieldSpec } of graphqlFields) {
    Field(fieldType, {
      nullable,
      ...(description === undefined ? {} : { description }),
      ...(fieldSpec.complexity === undefined ? {} : { complexity: fieldSpec.complexity }),
    })(type.prototype as object, key);
  }
  ObjectType(spec.name, spec.description === undefined ? {} : { description: spec.description })(type);
  built.set(schema, { name: spec.name, type });
  return type;
}

/**
 * Each field with its schema in every variant that has it (one variant for a plain object), and
 * `undefined` for a variant that does not: a field some variants lack is null in those.
 */
function flatFields(schema: ObjectSchema): Map<string, (z.ZodType | undefined)[]> {
  const variants: z.ZodObject[] = schema instanceof z.ZodObject ? [schema] : [...schema.options];
  const shapes: Record<string, z.ZodType | undefined>[] = variants.map((variant) => variant.shape);
  const keys = new Set(shapes.flatMap((shape) => Object.keys(shape)));
  return new Map([...keys].map((key) => [key, shapes.map((shape) => shape[key])]));
}

interface GraphqlField {
  type: () => ReturnTypeFuncValue;
  nullable: boolean;
  description: string | undefined;
}

function fieldOf(path: string, variants: (z.ZodType | undefined)[], spec: FieldSpec): GraphqlField {
  let nullable = false;
  let description: string | undefined;
  let list: boolean | undefined;
  const cores: z.ZodType[] = [];
  for (const variant of variants) {
    if (variant === undefined) {
      nullable = true;
      continue;
    }
    const field = unwrapped(variant);
    nullable ||= field.nullable;
    description ??= field.description;
    let core = field.core;
    const isList = core instanceof z.ZodArray;
    if (core instanceof z.ZodArray) {
      const item = unwrapped(core.element as z.ZodType);
      if (item.nullable) {
        throw new Error(`${path}: a list with null items has no GraphQL type here.`);
      }
      core = item.core;
    }
    if (list !== undefined && list !== isList) {
      throw new Error(`${path}: a list in some variants and not in others.`);
    }
    list = isList;
    // z.null() only says that the field may be null.
    if (core instanceof z.ZodNull) {
      nullable = true;
    } else {
      cores.push(core);
    }
  }
  if (spec.type) {
    return { type: spec.type, nullable, description };
  }
  const item = itemType(path, cores, spec);
  return { type: () => (list ? [item] : item), nullable, description };
}

/**
 * Optional, nullable and default taken off, with the first description met on the way in. The output
 * of a field with a default always has a value: an optional inside it does not make it nullable.
 */
function unwrapped(schema: z.ZodType): { core: z.ZodType; nullable: boolean; description: string | undefined } {
  let core = schema;
  let nullable = false;
  let filled = false;
  let description = schema.description;
  while (core instanceof z.ZodOptional || core instanceof z.ZodNullable || core instanceof z.ZodDefault) {
    if (core instanceof z.ZodDefault) {
      filled = true;
    } else if (core instanceof z.ZodNullable || !filled) {
      nullable = true;
    }
    core = core.unwrap() as z.ZodType;
    description ??= core.description;
  }
  return { core, nullable, description };
}

// The GraphQL type's constructor or enum object, as Field takes it.
type GraphqlItemType = Exclude<ReturnTypeFuncValue, unknown[]>;

function itemType(path: string, cores: z.ZodType[], spec: FieldSpec): GraphqlItemType {
  const first = cores[0];
  if (first === undefined) {
    throw new Error(`${path}: always null, so it has no GraphQL type.`);
  }
  if (cores.every((core) => core instanceof z.ZodObject || core instanceof z.ZodDiscriminatedUnion)) {
    if (cores.some((core) => core !== first)) {
      throw new Error(`${path}: a different object in different variants.`);
    }
    return objectTypeOf(path, first as ObjectSchema, spec);
  }
  const enums = cores.filter((core) => core instanceof z.ZodEnum || core instanceof z.ZodLiteral);
  if (enums.length === cores.length) {
    return valuesType(path, enums.flatMap(valuesOf));
  }
  const scalars = new Set(cores.map((core) => scalarOf(core)));
  const [scalar, ...others] = scalars;
  if (scalar === undefined || others.length > 0) {
    const zodTypes = [...new Set(cores.map((core) => core._zod.def.type))].join(' | ');
    throw new Error(`${path}: no GraphQL type for zod ${zodTypes}; give one (fields.${fieldName(path)}.type).`);
  }
  return scalar;
}

function fieldName(path: string): string {
  return path.slice(path.indexOf('.') + 1);
}

function objectTypeOf(path: string, schema: ObjectSchema, spec: FieldSpec): GraphqlItemType {
  if (spec.object) {
    return zodObjectType(schema, spec.object);
  }
  const existing = built.get(schema);
  if (existing === undefined) {
    throw new Error(`${path}: a nested object needs a GraphQL type name (fields.${fieldName(path)}.object).`);
  }
  return existing.type;
}

function valuesOf(schema: z.ZodEnum | z.ZodLiteral): unknown[] {
  return schema instanceof z.ZodEnum ? schema.options : [...schema.values];
}

function valuesType(path: string, values: unknown[]): GraphqlItemType {
  if (values.every((value) => typeof value === 'boolean')) {
    return Boolean;
  }
  if (!values.every((value) => typeof value === 'string')) {
    throw new Error(`${path}: only string or boolean enums and literals have a GraphQL type here.`);
  }
  const distinct = new Set(values);
  const enums = GRAPHQL_ENUMS.filter(
    ({ list }) => list.length === distinct.size && list.every((value) => distinct.has(value)),
  );
  if (enums.length > 1) {
    throw new Error(`${path}: the GraphQL enums ${enums.map(({ name }) => name).join(' and ')} have the same values.`);
  }
  return enums[0]?.values ?? String;
}

/** A field's type where variants differ (z.boolean() in some, z.literal(false) in others), or a plain scalar. */
function scalarOf(schema: z.ZodType): GraphqlItemType | undefined {
  if (schema instanceof z.ZodEnum || schema instanceof z.ZodLiteral) {
    const values = valuesOf(schema);
    return values.every((value) => typeof value === 'boolean')
      ? Boolean
      : values.every((value) => typeof value === 'string')
        ? String
        : undefined;
  }
  if (schema instanceof z.ZodString) {
    return String;
  }
  if (schema instanceof z.ZodStringFormat) {
    return schema.format === 'uuid' ? ID : schema.format === 'datetime' ? DateTimeScalar : String;
  }
  if (schema instanceof z.ZodNumber) {
    return schema.isInt ? Int : Float;
  }
  if (schema instanceof z.ZodBoolean) {
    return Boolean;
  }
  if (schema instanceof z.ZodRecord) {
    return JsonObjectScalar;
  }
  return undefined;
}
