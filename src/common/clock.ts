/**
 * The time, for code whose behaviour depends on it (a rate limit's refill, a signature's age): one
 * type, injected where a test must set the time rather than wait for it.
 */
export type Clock = { now(): number };

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that always says `ms`: for tests. */
export const fixedClock = (ms: number): Clock => ({ now: () => ms });
