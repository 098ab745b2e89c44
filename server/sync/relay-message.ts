import { z } from 'zod';

/**
 * What server instances tell each other on a store's pub/sub channel: a JSON header, a
 * newline, then the binary Yjs payload. append-update.lua writes the `update` header with
 * cjson (it numbers the update in the same atomic step) and InstanceRelay writes `awareness`;
 * both are read here, through one schema. JSON never holds a raw newline, so the first one
 * ends the header whatever bytes the payload holds.
 */
export const RELAY_VERSION = 1;

const relayHeaderSchema = z.discriminatedUnion('kind', [
  z.object({
    v: z.literal(RELAY_VERSION),
    /** An update just appended as number `seq` (published in seq order). */
    kind: z.literal('update'),
    seq: z.number().int().min(1),
    instanceId: z.string().min(1),
  }),
  z.object({
    v: z.literal(RELAY_VERSION),
    /** An awareness update (not stored, so not numbered). */
    kind: z.literal('awareness'),
    instanceId: z.string().min(1),
  }),
]);
export type RelayHeader = z.infer<typeof relayHeaderSchema>;

export interface RelayMessage {
  kind: 'update' | 'awareness';
  /** The update's append number; 0 for awareness. */
  seq: number;
  instanceId: string;
  payload: Uint8Array;
}

const NEWLINE = 0x0a;

/** The bytes of a message (append-update.lua builds the same for updates). */
export function encodeRelayMessage(header: RelayHeader, payload: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), payload]);
}

/** Reads a channel message; undefined for anything not in this format (or of another version). */
export function parseRelayMessage(message: Buffer): RelayMessage | undefined {
  const end = message.indexOf(NEWLINE);
  if (end < 0) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(message.subarray(0, end).toString());
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
  const header = relayHeaderSchema.safeParse(json);
  if (!header.success) return undefined;
  const payload = message.subarray(end + 1);
  return {
    kind: header.data.kind,
    seq: header.data.kind === 'update' ? header.data.seq : 0,
    instanceId: header.data.instanceId,
    payload: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength),
  };
}
