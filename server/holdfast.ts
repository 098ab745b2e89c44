import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import pkg from '../package.json' with { type: 'json' };
import { chartCounters } from './admin/metrics.ts';
import { presenceRecorder, startInstanceHeartbeat } from './admin/presence.ts';
import { createApp } from './app.ts';
import { startScheduleFiller } from './appointments/schedules.ts';
import type { ConsumerOptions } from './consumers/consumer.ts';
import { startConsumer } from './consumers/run-consumer.ts';
import type { Deps } from './deps.ts';
import { ledgerArchiver } from './ledger/archiver.ts';
import { startDailyReconciliation } from './ledger/daily-reconciliation.ts';
import {
  type NotificationOptions,
  type NotificationsHandle,
  startNotificationsWhenReady,
} from './notifications/start.ts';
import { registerInstanceGauges } from './observability/instance-gauges.ts';
import { logErrorsOf } from './observability/log.ts';
import type { MetricsSource } from './observability/metrics-route.ts';
import type { ReadinessPart } from './observability/readiness.ts';
import { startStoreProjection } from './projection/store-projection.ts';
import { attachStoreSync, type StoreSync, type StoreSyncOptions } from './projection/store-sync.ts';
import { adoptStockRecords } from './stock/layout.ts';
import { startSweeper } from './stock/sweeper.ts';
import { startWaitingRoomTicker } from './waiting-room/room.ts';
import { webhookDispatcher } from './webhooks/dispatcher.ts';
import { startWebhookWorker, type WebhookWorkerOptions } from './webhooks/worker.ts';

const EVENT_CHECK_MS = 5_000;
/** The version each instance reports on the admin's page. */
const APP_VERSION = pkg.version;

export interface HoldfastOptions {
  port: number;
  hostname?: string;
  /** The built web app; default `dist/client`. */
  webRoot?: string;
  sync?: StoreSyncOptions;
  /** How often open store documents look for new events (default 5 s). */
  eventCheckMs?: number;
  /** How long open requests may finish on close before their connections are cut. */
  closeGraceMs?: number;
  /** Tuning of the archiver (tests shorten how long a dead instance's entries wait to be claimed). */
  archiver?: ConsumerOptions;
  /** Messages to customers (with a ledger); `false` turns them off (the bench's comparison). */
  notifications?: NotificationOptions | false;
  /** Tuning of the webhook dispatcher (a consumer) and delivery worker (tests poll faster). */
  webhooks?: { dispatcher?: ConsumerOptions; worker?: WebhookWorkerOptions };
  onError?: (error: unknown) => void;
  /** Where GET /metrics reads from (`npm start`'s workers: all of them, gathered); default this instance. */
  metricsSource?: MetricsSource;
  /** More parts of GET /api/ready beside Redis. */
  readiness?: readonly ReadinessPart[];
}

export interface Holdfast {
  /** Messages to customers, when there is a ledger. */
  notifications?: NotificationsHandle;
  app: ReturnType<typeof createApp>;
  server: Server;
  /** `http://host:port` of the listening server. */
  url: string;
  sync: StoreSync;
  /** Stops everything this instance runs (not Redis, which the caller owns), newest first. */
  close(): Promise<void>;
}

/**
 * One server instance, wired the same way for `npm start`, the tests and the bench: the HTTP
 * API and web app, the sync websocket, the expiry sweeper, the waiting rooms' admission ticker,
 * the audit-stream hub and, with a ledger, the archiver.
 */
export async function startHoldfast(deps: Deps, options: HoldfastOptions): Promise<Holdfast> {
  const onError = options.onError ?? logErrorsOf(deps.log, 'background task');
  // Data written before the stock hash existed is moved into it before anything reads it.
  await adoptStockRecords(deps);
  const charts = chartCounters(deps, onError);
  // Messages to customers: a consumer like the archiver, with its queue in the ledger's Postgres.
  const notifications =
    deps.ledger && options.notifications !== false
      ? startNotificationsWhenReady(deps, onError, options.notifications || {})
      : undefined;
  const app = createApp(deps, {
    charts,
    ...(notifications ? { notifications } : {}),
    ...(options.webRoot === undefined ? {} : { webRoot: options.webRoot }),
    ...(options.metricsSource === undefined ? {} : { metricsSource: options.metricsSource }),
    ...(options.readiness === undefined ? {} : { readiness: options.readiness }),
  });
  const server = serve({
    fetch: app.fetch,
    port: options.port,
    ...(options.hostname === undefined ? {} : { hostname: options.hostname }),
  }) as Server;
  await new Promise<void>((ready, failed) => {
    server.once('listening', ready);
    server.once('error', failed);
  });
  const sync = attachStoreSync(server, deps, {
    onError,
    onPresence: presenceRecorder(deps, onError),
    project: (document, instanceId) =>
      startStoreProjection({
        deps,
        document,
        instanceId,
        onError,
        eventCheckMs: options.eventCheckMs ?? EVENT_CHECK_MS,
      }),
    ...options.sync,
  });
  const removeGauges = registerInstanceGauges(deps, () => sync.connectionCount());
  const stopSweeper = startSweeper(deps, onError);
  // Every instance archives: the consumer group shares the entries out between them.
  const archiver = deps.ledger && startConsumer(deps, ledgerArchiver(deps.ledger), onError, options.archiver);
  // Webhooks out: the dispatcher queues deliveries in the ledger's Postgres, the worker sends them.
  const webhookQueue =
    deps.ledger &&
    startConsumer(deps, webhookDispatcher(deps, deps.ledger), onError, options.webhooks?.dispatcher);
  const webhookWorker =
    deps.ledger && startWebhookWorker(deps, deps.ledger, onError, options.webhooks?.worker);
  const stopReconciliation = startDailyReconciliation(deps, onError);
  const stopWaitingRooms = startWaitingRoomTicker(deps, onError);
  const stopScheduleFiller = startScheduleFiller(deps, onError);
  const stopHeartbeat = startInstanceHeartbeat(
    deps,
    { instanceId: sync.instanceId, version: APP_VERSION, tablets: () => sync.connectionCount() },
    onError,
  );
  const { port } = server.address() as AddressInfo;
  const host = options.hostname ?? 'localhost';
  let closing: Promise<void> | undefined;
  return {
    ...(notifications ? { notifications } : {}),
    app,
    server,
    url: `http://${host}:${port}`,
    sync,
    close() {
      closing ??= (async () => {
        removeGauges();
        stopSweeper();
        stopWaitingRooms();
        stopScheduleFiller();
        stopReconciliation();
        await archiver?.stop();
        await notifications?.stop();
        await webhookQueue?.stop();
        await webhookWorker?.stop();
        await stopHeartbeat();
        await sync.close();
        const closed = new Promise<void>((done) => server.close(() => done()));
        const force = setTimeout(() => server.closeAllConnections(), options.closeGraceMs ?? 0);
        await closed;
        clearTimeout(force);
        await charts.stop();
        await deps.hub.close();
      })();
      return closing;
    },
  };
}
