import { z } from 'zod';
import { DomainError } from '../common/domain-error.js';
import { unsafeTextIn } from '../planner/text-safety.js';
import { PLATFORMS, SEVERITIES, STAGES, type Problem } from '../planner/types.js';
import {
  PLAN_DIMENSIONS,
  type BucketSeries,
  type ListQuery,
  type StatsFilter,
  type StatsQuery,
} from './plans.types.js';
import { bucketCount, bucketRange, MAX_BUCKETS, TIME_BUCKETS, type TimeBucket } from './time-buckets.js';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

// Query strings arrive as text ("?limit=20&platform="): an empty value means "not given", and
// numbers and dates are coerced, so the same schema checks REST strings and GraphQL/chat values.
const unsetIfEmpty = (value: unknown): unknown => (value === '' || value === null ? undefined : value);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const dateParam = z.preprocess(
  (v) => (typeof v === 'string' && ISO_DATE.test(v) ? new Date(v) : unsetIfEmpty(v)),
  z.date({ error: 'must be an ISO 8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z' }).optional(),
);

const filterShape = {
  platform: z.preprocess(
    unsetIfEmpty,
    z.enum(PLATFORMS, { error: `must be one of ${PLATFORMS.join(', ')}` }).optional(),
  ),
  name: z.preprocess(
    unsetIfEmpty,
    z.string({ error: 'must be text' }).max(253, 'must be at most 253 characters').optional(),
  ),
  createdAfter: dateParam,
  createdBefore: dateParam,
  minSeverity: z.preprocess(
    unsetIfEmpty,
    z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }).optional(),
  ),
};

const dimensionText = z.preprocess(
  unsetIfEmpty,
  z.string({ error: 'must be text' }).max(253, 'must be at most 253 characters').optional(),
);

const statsQuerySchema = z
  .strictObject({
    ...filterShape,
    team: dimensionText,
    namespace: dimensionText,
    stage: z.preprocess(unsetIfEmpty, z.enum(STAGES, { error: `must be one of ${STAGES.join(', ')}` }).optional()),
    bucket: z.preprocess(
      unsetIfEmpty,
      z.enum(TIME_BUCKETS, { error: `must be one of ${TIME_BUCKETS.join(', ')}` }).optional(),
    ),
    from: dateParam,
    to: dateParam,
    groupBy: z.preprocess(
      unsetIfEmpty,
      z.enum(PLAN_DIMENSIONS, { error: `must be one of ${PLAN_DIMENSIONS.join(', ')}` }).optional(),
    ),
  })
  // Run even when a field failed, so one answer lists every problem; a field that failed its own
  // check is left out here (already reported) rather than reported twice.
  .superRefine(
    (query, context) => {
      const { bucket, from, to, groupBy } = query as Record<string, unknown>;
      const problem = (path: string, message: string) => context.addIssue({ code: 'custom', path: [path], message });
      if (bucket === undefined) {
        for (const [path, value] of Object.entries({ from, to, groupBy })) {
          if (value !== undefined) {
            problem(path, 'needs bucket (the range and grouping are those of the time buckets)');
          }
        }
        return;
      }
      if (from === undefined) {
        problem('from', 'is required with bucket');
      }
      if (to === undefined) {
        problem('to', 'is required with bucket');
      }
      if (!isTimeBucket(bucket) || !isDate(from) || !isDate(to)) {
        return;
      }
      if (to <= from) {
        problem('to', 'must be after from');
        return;
      }
      const count = bucketCount(bucketRange(bucket, from, to));
      if (count > MAX_BUCKETS) {
        problem(
          'bucket',
          `from ${from.toISOString()} to ${to.toISOString()} makes ${count} ${bucket} buckets; at most ${MAX_BUCKETS} are allowed: narrow the range or use a larger bucket`,
        );
      }
    },
    { when: () => true },
  );

const isTimeBucket = (value: unknown): value is TimeBucket => TIME_BUCKETS.includes(value as TimeBucket);
const isDate = (value: unknown): value is Date => value instanceof Date && !Number.isNaN(value.getTime());

const listQuerySchema = z.strictObject({
  ...filterShape,
  limit: z.preprocess(
    unsetIfEmpty,
    z.coerce
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(1, `must be between 1 and ${MAX_LIMIT}`)
      .max(MAX_LIMIT, `must be between 1 and ${MAX_LIMIT}`)
      .optional(),
  ),
  cursor: z.preprocess(unsetIfEmpty, z.string({ error: 'must be text' }).max(512, 'is too long').optional()),
});

/** A checked ListQuery: every bad value is reported at once (VALIDATION_FAILED), strings are coerced. */
export function parseListQuery(raw: unknown): ListQuery & { limit: number } {
  const parsed = parse(listQuerySchema, raw);
  return { ...dropUndefined(parsed), limit: parsed.limit ?? DEFAULT_LIMIT };
}

/**
 * A checked StatsQuery, split into the filter and the buckets (when asked for). The buckets' range
 * is widened to whole buckets and narrows the filter too, so the totals count the plans the
 * buckets count.
 */
export function parseStatsQuery(raw: unknown): { filter: StatsFilter; series: BucketSeries | null } {
  const { bucket, from, to, groupBy, ...filter } = dropUndefined(parse(statsQuerySchema, raw)) as StatsQuery;
  if (bucket === undefined || from === undefined || to === undefined) {
    return { filter, series: null };
  }
  const range = bucketRange(bucket, from, to);
  const series: BucketSeries = groupBy === undefined ? range : { ...range, groupBy };
  const createdAfter = filter.createdAfter && filter.createdAfter > range.start ? filter.createdAfter : range.start;
  const createdBefore = filter.createdBefore && filter.createdBefore < range.end ? filter.createdBefore : range.end;
  return { filter: { ...filter, createdAfter, createdBefore }, series };
}

function parse<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  // Checked before the schema: `?name=a%00b` would otherwise reach the database, which cannot take a NUL.
  const unsafe = unsafeTextIn(raw ?? {}).map(({ segments, message }) => ({ path: segments.join('.'), message }));
  const parsed = schema.safeParse(raw ?? {});
  if (parsed.success && unsafe.length === 0) {
    return parsed.data;
  }
  const others = parsed.success
    ? []
    : parsed.error.issues.flatMap(toProblems).filter((problem) => !unsafe.some(({ path }) => path === problem.path));
  throw DomainError.validation([...unsafe, ...others], 'The query has problems; each is listed.');
}

function toProblems(issue: z.core.$ZodIssue): Problem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: key, message: 'is not a known parameter' }));
  }
  return [{ path: issue.path.map(String).join('.') || '(query)', message: issue.message }];
}

/** T with its undefined-holding keys optional instead: what exactOptionalPropertyTypes wants. */
type DefinedOnly<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

function dropUndefined<T extends object>(value: T): DefinedOnly<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as DefinedOnly<T>;
}
