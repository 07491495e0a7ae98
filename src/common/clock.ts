import { Global, Module, type FactoryProvider } from '@nestjs/common';

/**
 * The time, for code whose behaviour depends on it (a rate limit's refill, a signature's age, how
 * often expired keys are purged): one type, injected where a test must set the time rather than
 * wait for it.
 */
export type Clock = { now(): number };

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that always says `ms`: for tests. */
export const fixedClock = (ms: number): Clock => ({ now: () => ms });

/** Nest injection token of the app's Clock: services take it instead of calling Date.now(). */
export const CLOCK = Symbol('CLOCK');

/** A fresh object per app, so a test can drive one app's clock without touching another's. */
export const clockProvider: FactoryProvider<Clock> = {
  provide: CLOCK,
  useFactory: () => ({ now: () => systemClock.now() }),
};

/** Provides CLOCK to every module (global, like the Config). */
@Global()
@Module({ providers: [clockProvider], exports: [CLOCK] })
export class ClockModule {}
