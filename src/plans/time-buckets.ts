/**
 * Time buckets for the dashboards' trends (GraphQL `planStats(bucket:, from:, to:)`), in UTC.
 *
 * A range is widened to whole buckets: `from` down to the start of its bucket, `to` up to the start
 * of the next bucket unless it already is one. So every bucket of an answer covers its whole hour,
 * day, week or month, and two dashboards with slightly different ranges agree on the buckets they
 * share. Weeks start on Monday (ISO 8601), as PostgreSQL's `date_trunc('week', …)` does, and months
 * on the 1st. The SQL does its own truncation; plans.repository.spec.ts holds it to this one.
 */

export const TIME_BUCKETS = ['hour', 'day', 'week', 'month'] as const;
export type TimeBucket = (typeof TIME_BUCKETS)[number];

/**
 * At most this many buckets per answer: 41 days of hours, 2.7 years of days, 19 years of weeks.
 * A grouped answer has one row per bucket and group, so this also bounds its length per group.
 */
export const MAX_BUCKETS = 1000;

/** Whole buckets from `start` (a bucket's start) to `end` (exclusive: the start of the bucket after the last). */
export type BucketRange = { bucket: TimeBucket; start: Date; end: Date };

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const FIXED_MS: Record<Exclude<TimeBucket, 'month'>, number> = { hour: HOUR_MS, day: DAY_MS, week: 7 * DAY_MS };

/** The start of the bucket `at` falls in. */
export function bucketStart(bucket: TimeBucket, at: Date): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  switch (bucket) {
    case 'hour':
      return new Date(Date.UTC(y, m, d, at.getUTCHours()));
    case 'day':
      return new Date(Date.UTC(y, m, d));
    case 'week':
      // getUTCDay is 0 on Sunday: Monday is 0 days into its week, Sunday 6.
      return new Date(Date.UTC(y, m, d - ((at.getUTCDay() + 6) % 7)));
    case 'month':
      return new Date(Date.UTC(y, m, 1));
  }
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucketStart(bucket: TimeBucket, start: Date): Date {
  return bucket === 'month'
    ? new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1))
    : new Date(start.getTime() + FIXED_MS[bucket]);
}

/** [from, to) widened to whole buckets. */
export function bucketRange(bucket: TimeBucket, from: Date, to: Date): BucketRange {
  const start = bucketStart(bucket, from);
  const last = bucketStart(bucket, to);
  return { bucket, start, end: last.getTime() === to.getTime() ? last : nextBucketStart(bucket, last) };
}

/** How many buckets a range holds, without walking them (a century of hours is refused, not listed). */
export function bucketCount({ bucket, start, end }: BucketRange): number {
  if (bucket === 'month') {
    return (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + end.getUTCMonth() - start.getUTCMonth();
  }
  return Math.round((end.getTime() - start.getTime()) / FIXED_MS[bucket]);
}

/** The start of every bucket of a range, in order. */
export function bucketStarts(range: BucketRange): Date[] {
  const starts: Date[] = [];
  for (let at = range.start; at < range.end; at = nextBucketStart(range.bucket, at)) {
    starts.push(at);
  }
  return starts;
}
