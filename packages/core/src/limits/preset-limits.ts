import type { GuardRequest } from '../pipeline/request.js';
import { createClientIpResolver } from './client-ip.js';
import { createLimitsGuard, type LimitsGuard } from './limits-guard.js';
import type { LimitsOptions } from './limits-options.js';

/**
 * Policies the preset uses when `limits` does not name its own: generous enough that a demo or a
 * test suite never trips them, strict enough to stop a runaway loop or a flood from one client.
 * Each group (`rates`, `concurrency`, `loop`) is replaced as a whole when given.
 */
export const DEFAULT_LIMITS = {
  rates: [
    { name: 'requests', limit: 6000, windowMs: 60_000 },
    { name: 'tokens', dimension: 'tokens', limit: 10_000_000, windowMs: 60_000 },
  ],
  concurrency: [{ name: 'in-flight', limit: 256 }],
  loop: { maxRepeats: 200, windowMs: 60_000 },
} as const satisfies LimitsOptions;

/** What the preset installs for the `limits` group. */
export interface PresetLimits {
  readonly guard: LimitsGuard | undefined;
  readonly resolveClientIp: ((request: GuardRequest) => string | undefined) | undefined;
}

/**
 * The preset's `limits` group: on by default (in memory, {@link DEFAULT_LIMITS}), `false` switches
 * it off. `trustedProxies` also installs the pipeline's client-address resolver.
 *
 * @example
 * const { guard, resolveClientIp } = presetLimits({ trustedProxies: ['10.0.0.0/8'] });
 */
export function presetLimits(options: LimitsOptions | false | undefined): PresetLimits {
  if (options === false) return { guard: undefined, resolveClientIp: undefined };
  const given = options ?? {};
  const guard = createLimitsGuard({
    ...given,
    rates: given.rates ?? DEFAULT_LIMITS.rates,
    concurrency: given.concurrency ?? DEFAULT_LIMITS.concurrency,
    loop: given.loop ?? DEFAULT_LIMITS.loop,
  });
  const resolveClientIp =
    given.trustedProxies === undefined
      ? undefined
      : createClientIpResolver({ trustedProxies: given.trustedProxies });
  return { guard, resolveClientIp };
}
