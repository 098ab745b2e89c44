import type { Config } from '../../server/config.ts';
import type { HoldfastOptions } from '../../server/holdfast.ts';

/** Webhooks to the test's loopback receiver, retried within milliseconds. */
export const WEBHOOK_TEST_CONFIG: Partial<Config> = {
  webhookAllowPrivateAddresses: true,
  webhookRetryScheduleMs: [0, 50, 100, 200, 200, 200, 200, 200, 200],
};

/** The dispatcher and worker looking for work often; a claim or a dead peer's entries free after 500 ms. */
export const FAST_WEBHOOKS: NonNullable<HoldfastOptions['webhooks']> = {
  dispatcher: { blockMs: 100, refreshStreamsMs: 100, claimIdleMs: 500, claimEveryMs: 100 },
  worker: { pollMs: 25, claimLeaseMs: 500 },
};
