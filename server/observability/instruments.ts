import { type Aggregator, Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * What a gauge reads at each scrape: one number, or one number per label set. Label values
 * must never be personal (a store id, a consumer group's name; not an email or a token).
 */
export type GaugeReading = number | readonly { labels: Record<string, string>; value: number }[];

export interface GaugeSpec {
  name: string;
  help: string;
  labelNames?: readonly string[];
  /** How `npm start`'s workers' values combine into one (default `sum`; a lag wants `max`). */
  aggregator?: Aggregator;
  read(): GaugeReading | Promise<GaugeReading>;
}

/**
 * One instance's Prometheus instruments (GET /metrics): process and event-loop metrics, the
 * HTTP histogram by route template, what the hold and booking paths answered, and gauges
 * that other parts register with `gauge()` (tablets, Redis round trip, the archive's lag).
 */
export interface Instruments {
  /** False with METRICS=off: nothing is counted per request and /metrics is not served. */
  readonly enabled: boolean;
  readonly registry: Registry;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly holdsCreated: Counter;
  readonly bookingsCreated: Counter;
  /** 4xx answers by route template and error code (SOLD_OUT, SLOT_FULL, RATE_LIMITED...). */
  readonly refusals: Counter<'route' | 'code'>;
  /** 5xx answers by route template and error code (REDIS_UNAVAILABLE, OUTCOME_UNKNOWN, INTERNAL...). */
  readonly failures: Counter<'route' | 'code'>;
  readonly openEventStreams: Gauge;
  /** Registers (or replaces) a gauge whose value `read` supplies at each scrape; returns how to remove it. */
  gauge(spec: GaugeSpec): () => void;
  /**
   * Adds prom-client's process and event-loop metrics, once: a serving instance does (the
   * event-loop monitor is a timer of its own, which Deps made only for a script need not run).
   */
  collectProcessMetrics(): void;
}

/** Seconds; from a cached read to a slow Redis round trip under load. */
const DURATION_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export function createInstruments(options: { enabled?: boolean } = {}): Instruments {
  const registry = new Registry();
  const enabled = options.enabled ?? true;
  const registers = [registry];
  const instruments: Instruments = {
    enabled,
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer an HTTP request (to the first byte of a stream), by route template',
      labelNames: ['method', 'route', 'status'],
      buckets: DURATION_BUCKETS_S,
      registers,
    }),
    holdsCreated: new Counter({
      name: 'holdfast_holds_created_total',
      help: 'Pickup holds made (201 answers to POST /api/holds; replays not counted)',
      registers,
    }),
    bookingsCreated: new Counter({
      name: 'holdfast_bookings_created_total',
      help: 'Bookings made (201 answers to POST /api/bookings; replays not counted)',
      registers,
    }),
    refusals: new Counter({
      name: 'holdfast_refusals_total',
      help: 'Requests refused (4xx), by route template and error code',
      labelNames: ['route', 'code'],
      registers,
    }),
    failures: new Counter({
      name: 'holdfast_failures_total',
      help: 'Requests that failed (5xx), by route template and error code',
      labelNames: ['route', 'code'],
      registers,
    }),
    openEventStreams: new Gauge({
      name: 'holdfast_event_streams_open',
      help: 'Server-sent event streams open now (live availability, hold and booking status, audit, waiting room)',
      registers,
    }),
    gauge(spec) {
      registry.removeSingleMetric(spec.name);
      new Gauge({
        name: spec.name,
        help: spec.help,
        labelNames: spec.labelNames ?? [],
        aggregator: spec.aggregator ?? 'sum',
        registers,
        async collect() {
          const reading = await spec.read();
          if (typeof reading === 'number') {
            this.set(reading);
            return;
          }
          this.reset();
          for (const { labels, value } of reading) this.set(labels, value);
        },
      });
      return () => registry.removeSingleMetric(spec.name);
    },
    collectProcessMetrics() {
      if (!enabled || registry.getSingleMetric('nodejs_eventloop_lag_seconds') !== undefined) return;
      collectDefaultMetrics({ register: registry });
    },
  };
  return instruments;
}
