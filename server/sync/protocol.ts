/**
 * The y-websocket wire format (the stock client's): each message starts with a varUint type.
 * Sync messages carry a y-protocols/sync sub-type (step 1 = state vector, step 2 = missing
 * updates, update); awareness messages carry an awareness update.
 */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

export const SYNC_STEP_1 = 0;
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;

/** How often sockets are pinged; one missed pong closes the socket (y-websocket does the same). */
export const PING_INTERVAL_MS = 30_000;
