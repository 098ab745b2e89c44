import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestEnrollment } from '../../client/offline/enrollment.ts';
import { seedStore } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { call, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/server.ts';

let redis: TestRedis;
let server: TestServer;

beforeAll(async () => {
  redis = await startTestRedis();
  server = await startTestServer(redis);
  await seedStore(server.url, 'aiea', [{ sku: 'KIT', onHand: 1 }]);
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

describe('enrollment', () => {
  it('trades a one-time code for the tablet’s store and credential, once', async () => {
    const code = (
      await call(server.url, 'POST', '/api/admin/stores/aiea/enrollments', { token: TEST_ADMIN_TOKEN })
    ).body.code as string;
    const enrollment = await requestEnrollment(server.url, code, 'Counter', 42);
    expect(enrollment).toMatchObject({ id: 'self', storeId: 'aiea', deviceName: 'Counter', enrolledAt: 42 });
    expect(enrollment.credential.length).toBeGreaterThan(10);
    await expect(requestEnrollment(server.url, code, 'Counter', 43)).rejects.toThrow(/not valid/);
  });
});
