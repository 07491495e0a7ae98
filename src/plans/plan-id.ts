import { DomainError } from '../common/domain-error.js';

// Any RFC 9562 layout, case-insensitive: what PostgreSQL's uuid type accepts in its canonical form.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` can name a plan at all (a UUID). */
export function isPlanId(id: string): boolean {
  return UUID.test(id);
}

/** Throws INVALID_ID for anything that is not a UUID, before it reaches the database. */
export function assertPlanId(id: string): void {
  if (!isPlanId(id)) {
    // Echo a bounded prefix only: the id comes straight from a URL.
    throw new DomainError('INVALID_ID', `"${id.slice(0, 64)}" is not a plan id: plan ids are UUIDs.`);
  }
}
