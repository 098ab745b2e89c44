import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { DAY_MS } from '../shared/time.ts';
import { LOG_LEVELS, type LogLevel } from './observability/log.ts';

const MINUTE_MS = 60_000;

/** Every setting, from the environment; the README lists them. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  REDIS_URL: z.string().optional(),
  REDIS_CLUSTER_NODES: z
    .string()
    .regex(/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/, 'host:port,host:port,...')
    .optional(),
  REDIS_WAIT_REPLICAS: z.coerce.number().int().min(0).max(5).default(0),
  ADMIN_TOKEN: z.string().min(16).optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  RATE_LIMIT_PER_IDENTITY_PER_MINUTE: z.coerce.number().int().min(0).default(20),
  HOLD_TTL_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(15 * MINUTE_MS),
  LEASE_TTL_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(8 * 60 * MINUTE_MS),
  LEASE_GRACE_MS: z.coerce.number().int().min(0).default(DAY_MS),
  IDEMPOTENCY_TTL_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(7 * DAY_MS),
  ENROLLMENT_CODE_TTL_MS: z.coerce.number().int().positive().default(DAY_MS),
  STORE_ACK_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * MINUTE_MS),
  SWEEP_INTERVAL_MS: z.coerce.number().int().positive().default(1000),
  TRUST_PROXY: z.stringbool().default(false),
  METRICS: z.stringbool().default(true),
  METRICS_TOKEN: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  WORKERS: z.coerce.number().int().min(1).max(256).optional(),
  DATABASE_URL: z.string().optional(),
  AUDIT_KEEP_IN_REDIS: z.coerce.number().int().min(0).default(50_000),
  // Messages to customers (issue 19; server/notifications/).
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Holdfast <no-reply@localhost>'),
  PUBLIC_URL: z.string().optional(),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_FROM: z.string().optional(),
  TWILIO_API_BASE: z.string().default('https://api.twilio.com'),
  // Standard Webhooks' schedule: now, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
  WEBHOOK_RETRY_SCHEDULE_MS: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'milliseconds, comma-separated')
    .default('0,5000,300000,1800000,7200000,18000000,36000000,36000000')
    .transform((list) => list.split(',').map(Number)),
  WEBHOOK_ALLOW_PRIVATE_ADDRESSES: z.stringbool().default(false),
  WEBHOOK_DISABLE_AFTER_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * DAY_MS),
});

export interface Config {
  port: number;
  redisUrl: string | undefined;
  /** Seed nodes of a Redis Cluster (`host:port,...`); when set, REDIS_URL is not used. */
  redisClusterNodes: string | undefined;
  /** Acknowledge a change only once this many replicas have it (Redis WAIT); 0 does not wait. */
  redisWaitReplicas: number;
  adminToken: string | undefined;
  /** Public write requests per client per minute; 0 turns rate limiting off (load tests). */
  rateLimitPerMinute: number;
  /**
   * Holds and bookings one customer identity (normalized email or phone) may ask for per minute,
   * whatever address they come from (issue 10 §4); 0 turns it off.
   */
  rateLimitPerIdentityPerMinute: number;
  holdTtlMs: number;
  leaseTtlMs: number;
  /** How long after a lease's end the server waits for an offline tablet's report before reclaiming. */
  leaseGraceMs: number;
  idempotencyTtlMs: number;
  enrollmentCodeTtlMs: number;
  storeAckTimeoutMs: number;
  sweepIntervalMs: number;
  /** Take the client address from X-Forwarded-For (behind a load balancer). */
  trustProxy: boolean;
  /** Count per request and serve GET /metrics (METRICS=off turns both off). */
  metrics: boolean;
  /** The bearer token GET /metrics takes; unset, it takes admin credentials. */
  metricsToken: string | undefined;
  logLevel: LogLevel;
  /** `npm start`'s worker processes on the one port (default: one per core). */
  workers: number;
  /** The ledger's PostgreSQL; unset, `npm start` runs its own in ./.data/postgres. */
  databaseUrl: string | undefined;
  /** Entries each audit stream keeps in Redis once they are archived (older ones are in the ledger). */
  auditKeepInRedis: number;
  /** Messages to customers: SMTP, Twilio and the site's address for links (server/notifications/). */
  notify: {
    smtpUrl: string | undefined;
    mailFrom: string;
    /** The address customers reach the site at; default http://localhost:<port>. */
    publicUrl: string | undefined;
    twilio: { accountSid: string; authToken: string; from: string; apiBase: string } | undefined;
  };
  /** Delay before each attempt of a webhook delivery (the first is the delay before the first send). */
  webhookRetryScheduleMs: number[];
  /** Send webhooks to loopback, private and link-local addresses (tests, on-premises back offices). */
  webhookAllowPrivateAddresses: boolean;
  /** An endpoint whose deliveries have failed this long is disabled. */
  webhookDisableAfterMs: number;
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const e = envSchema.parse(env);
  return {
    port: e.PORT,
    redisUrl: e.REDIS_URL,
    redisClusterNodes: e.REDIS_CLUSTER_NODES,
    redisWaitReplicas: e.REDIS_WAIT_REPLICAS,
    adminToken: e.ADMIN_TOKEN,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    rateLimitPerIdentityPerMinute: e.RATE_LIMIT_PER_IDENTITY_PER_MINUTE,
    holdTtlMs: e.HOLD_TTL_MS,
    leaseTtlMs: e.LEASE_TTL_MS,
    leaseGraceMs: e.LEASE_GRACE_MS,
    idempotencyTtlMs: e.IDEMPOTENCY_TTL_MS,
    enrollmentCodeTtlMs: e.ENROLLMENT_CODE_TTL_MS,
    storeAckTimeoutMs: e.STORE_ACK_TIMEOUT_MS,
    sweepIntervalMs: e.SWEEP_INTERVAL_MS,
    trustProxy: e.TRUST_PROXY,
    metrics: e.METRICS,
    metricsToken: e.METRICS_TOKEN,
    logLevel: e.LOG_LEVEL,
    workers: e.WORKERS ?? availableParallelism(),
    databaseUrl: e.DATABASE_URL,
    auditKeepInRedis: e.AUDIT_KEEP_IN_REDIS,
    notify: {
      smtpUrl: e.SMTP_URL,
      mailFrom: e.MAIL_FROM,
      publicUrl: e.PUBLIC_URL,
      twilio:
        e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN && e.TWILIO_FROM
          ? {
              accountSid: e.TWILIO_ACCOUNT_SID,
              authToken: e.TWILIO_AUTH_TOKEN,
              from: e.TWILIO_FROM,
              apiBase: e.TWILIO_API_BASE,
            }
          : undefined,
    },
    webhookRetryScheduleMs: e.WEBHOOK_RETRY_SCHEDULE_MS,
    webhookAllowPrivateAddresses: e.WEBHOOK_ALLOW_PRIVATE_ADDRESSES,
    webhookDisableAfterMs: e.WEBHOOK_DISABLE_AFTER_MS,
  };
}

/** Defaults with overrides, for tests and benchmarks. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), ...overrides };
}
