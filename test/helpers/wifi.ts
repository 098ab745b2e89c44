import { createServer, Socket as NetSocket, type Server, type Socket } from 'node:net';

export interface Wifi {
  /** The server's address as the tablet reaches it, through this link. */
  url: string;
  /** The link dies without closing anything: bytes simply stop, as when a lid closes. */
  cut(): void;
  /** The link is back; connections from before the cut stay dead, new ones go through. */
  restore(): void;
  close(): Promise<void>;
}

/**
 * A tablet's Wi-Fi: a TCP relay in front of the server. `context.setOffline` tells the page
 * it is offline but can leave its websocket open; cutting the relay is what the server sees
 * when a tablet really vanishes.
 */
export async function wifi(target: string): Promise<Wifi> {
  const targetPort = Number(new URL(target).port);
  const pairs = new Set<[Socket, Socket]>();
  let dead = false;
  const relay: Server = createServer((inbound) => {
    if (dead) {
      inbound.destroy();
      return;
    }
    const outbound = new NetSocket();
    outbound.connect(targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [inbound, outbound];
    pairs.add(pair);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    const drop = () => {
      pairs.delete(pair);
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', drop).on('close', drop);
    outbound.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const { port } = relay.address() as { port: number };
  const destroyAll = () => {
    for (const [inbound, outbound] of pairs) {
      inbound.destroy();
      outbound.destroy();
    }
    pairs.clear();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      dead = true;
      for (const [inbound, outbound] of pairs) {
        inbound.unpipe(outbound);
        outbound.unpipe(inbound);
        inbound.pause();
        outbound.pause();
      }
    },
    restore() {
      destroyAll();
      dead = false;
    },
    async close() {
      destroyAll();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}
