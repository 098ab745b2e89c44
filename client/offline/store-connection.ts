import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { SYNC_CLOSE } from '../../shared/store-doc.ts';
import type { Timers } from './timers.ts';

/**
 * What the header tells apart (issue 8.5): no network, trying to reach the server, loading
 * the store's document, in sync, and removed from the store by an admin.
 */
export type ConnectionState = 'offline' | 'connecting' | 'loading' | 'synced' | 'removed';

/** The socket's query parameters (a one-time ticket), or why there are none. */
export type SocketParams = Record<string, string> | 'revoked' | 'unreachable';

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 10_000;

export interface StoreConnectionOptions {
  baseUrl: string;
  storeId: string;
  /** Asked before every connection attempt: a ticket is single-use (issue 8.12). */
  socketParams: () => Promise<SocketParams>;
  timers: Timers;
  /** The browser's own word on the network; a socket can linger after the network went. */
  browserOnline: () => boolean;
  onState: (state: ConnectionState) => void;
  onSynced: () => void;
  WebSocketPolyfill?: unknown;
  /** window (or nothing in Node): 'online' and 'offline' events. */
  events?: Pick<Window, 'addEventListener' | 'removeEventListener'>;
}

/**
 * The store document's websocket: connects with fresh parameters each time, retries with
 * backoff, follows the browser's online and offline events, and stops for good when the
 * server says the tablet was removed (close code SYNC_CLOSE.DEVICE_REVOKED, or a refused ticket).
 */
export class StoreConnection {
  private readonly provider: WebsocketProvider;
  private state: ConnectionState = 'offline';
  private retries = 0;
  private cancelRetry: (() => void) | undefined;
  private opening = false;
  private stopped = false;
  private readonly detach: (() => void)[] = [];

  constructor(
    doc: Y.Doc,
    private readonly options: StoreConnectionOptions,
  ) {
    const providerOptions: ConstructorParameters<typeof WebsocketProvider>[3] = {
      connect: false,
      maxBackoffTime: MAX_RETRY_MS,
      // Reconnecting is ours (each attempt needs a new ticket): the provider never retries by itself.
      shouldReconnect: () => false,
    };
    if (options.WebSocketPolyfill) {
      (providerOptions as { WebSocketPolyfill?: unknown }).WebSocketPolyfill = options.WebSocketPolyfill;
    }
    this.provider = new WebsocketProvider(
      `${options.baseUrl.replace(/^http/, 'ws')}/sync`,
      options.storeId,
      doc,
      providerOptions,
    );
    this.provider.on('status', ({ status }: { status: string }) => {
      if (status === 'connected') this.set(this.provider.synced ? 'synced' : 'loading');
    });
    this.provider.on('sync', (synced: boolean) => {
      if (!synced) return;
      this.retries = 0;
      this.set('synced');
      options.onSynced();
    });
    this.provider.on('connection-close', (event: CloseEvent | null) => {
      if (this.stopped || this.state === 'removed') return;
      // Closed by us (offline, stop): nothing to do. The provider's own watchdog also closes
      // with no event but still wants to connect: that retries below, with a fresh ticket.
      if (!event && !this.provider.shouldConnect) return;
      if (event?.code === SYNC_CLOSE.DEVICE_REVOKED) return this.removed();
      this.provider.disconnect();
      this.scheduleRetry();
    });
    const events = options.events;
    if (events) {
      const offline = () => {
        this.cancelRetry?.();
        this.provider.disconnect();
        if (this.state !== 'removed') this.set('offline');
      };
      const online = () => void this.open();
      events.addEventListener('offline', offline);
      events.addEventListener('online', online);
      this.detach.push(
        () => events.removeEventListener('offline', offline),
        () => events.removeEventListener('online', online),
      );
    }
  }

  get current(): ConnectionState {
    return this.state;
  }

  /** Connects now (if the browser says it is online and the tablet was not removed). */
  async open(): Promise<void> {
    if (this.stopped || this.opening || this.state === 'removed') return;
    if (this.provider.wsconnected || this.provider.wsconnecting) return;
    if (!this.options.browserOnline()) return this.set('offline');
    this.opening = true;
    this.cancelRetry?.();
    this.set('connecting');
    try {
      const params = await this.options.socketParams();
      if (this.stopped) return;
      if (params === 'revoked') return this.removed();
      if (params === 'unreachable') return this.scheduleRetry();
      this.provider.params = params;
      this.provider.connect();
    } finally {
      this.opening = false;
    }
  }

  /** The tablet was removed: no more attempts until it is enrolled again. */
  removed(): void {
    this.cancelRetry?.();
    this.provider.disconnect();
    this.set('removed');
  }

  stop(): void {
    this.stopped = true;
    this.cancelRetry?.();
    for (const d of this.detach) d();
    this.provider.destroy();
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.set(this.options.browserOnline() ? 'connecting' : 'offline');
    this.retries += 1;
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (this.retries - 1));
    this.cancelRetry?.();
    this.cancelRetry = this.options.timers.after(delay, () => {
      this.cancelRetry = undefined;
      void this.open();
    });
  }

  private set(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    this.options.onState(state);
  }
}
