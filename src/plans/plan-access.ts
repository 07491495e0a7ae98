/**
 * Whose plans a caller may see and change, passed explicitly into every PlansService method so no
 * transport can forget it, and turned into a SQL condition by the repository.
 *
 * - `all`: every plan (the `admin` scope; a loopback caller while no API key exists).
 * - otherwise only the plans whose team equals `team` — null meaning "plans without a team".
 *
 * `team` is also the owner of the plans the caller creates, with or without `all`.
 */
export type PlanAccess = { team: string | null; all: boolean };

/** Every plan, owned by no team: for operators' tools and tests, never for a request. */
export const ALL_PLANS: PlanAccess = Object.freeze({ team: null, all: true });

/** Whether a plan owned by `team` is visible to `access` (the in-memory rule the SQL mirrors). */
export function canSee(access: PlanAccess, team: string | null): boolean {
  return access.all || access.team === team;
}
