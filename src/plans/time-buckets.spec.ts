import {
  bucketCount,
  bucketRange,
  bucketStart,
  bucketStarts,
  nextBucketStart,
  type TimeBucket,
} from './time-buckets.js';

const at = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString();

describe('time buckets (UTC)', () => {
  it.each<[TimeBucket, string, string]>([
    ['hour', '2026-03-29T01:59:59.999Z', '2026-03-29T01:00:00.000Z'],
    ['day', '2026-03-29T23:59:59.999Z', '2026-03-29T00:00:00.000Z'],
    // ISO weeks start on Monday: a Sunday belongs to the week of the Monday before it.
    ['week', '2026-03-29T23:00:00.000Z', '2026-03-23T00:00:00.000Z'],
    ['week', '2026-03-30T00:00:00.000Z', '2026-03-30T00:00:00.000Z'],
    ['week', '2027-01-01T12:00:00.000Z', '2026-12-28T00:00:00.000Z'],
    ['month', '2024-02-29T23:59:59.999Z', '2024-02-01T00:00:00.000Z'],
  ])('a %s bucket: %s falls in the one starting %s', (bucket, instant, start) => {
    expect(iso(bucketStart(bucket, at(instant)))).toBe(start);
  });

  it('steps to the next bucket: months by the calendar, the rest by their length', () => {
    expect(iso(nextBucketStart('month', at('2026-01-01T00:00:00Z')))).toBe('2026-02-01T00:00:00.000Z');
    expect(iso(nextBucketStart('month', at('2026-12-01T00:00:00Z')))).toBe('2027-01-01T00:00:00.000Z');
    expect(iso(nextBucketStart('week', at('2026-03-23T00:00:00Z')))).toBe('2026-03-30T00:00:00.000Z');
  });

  it('widens a range to whole buckets, leaving a boundary as it is', () => {
    const range = bucketRange('day', at('2026-03-01T10:00:00Z'), at('2026-03-03T00:00:00Z'));
    expect([iso(range.start), iso(range.end)]).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-03T00:00:00.000Z']);
    const widened = bucketRange('month', at('2026-01-31T23:00:00Z'), at('2026-03-01T00:00:00.001Z'));
    expect([iso(widened.start), iso(widened.end)]).toEqual(['2026-01-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z']);
  });

  it.each<[TimeBucket, string, string, number]>([
    ['hour', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', 24],
    ['day', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', 365],
    // Thursday 1 January is in the week of Monday 29 December; Saturday 31 in the one of Monday 26.
    ['week', '2026-01-01T00:00:00Z', '2026-01-31T00:00:00Z', 5],
    ['month', '2025-11-15T00:00:00Z', '2027-02-01T00:00:00Z', 15],
    ['hour', '1970-01-01T00:00:00Z', '2070-01-01T00:00:00Z', 876_600], // 36,525 days: 25 leap years,
  ])('counts the %s buckets from %s to %s without listing them: %i', (bucket, from, to, count) => {
    const range = bucketRange(bucket, at(from), at(to));
    expect(bucketCount(range)).toBe(count);
    if (count < 1000) {
      expect(bucketStarts(range)).toHaveLength(count);
    }
  });
});
