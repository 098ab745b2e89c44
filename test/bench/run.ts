/**
 * `npm run bench`: prints the figures the issues ask for, from one run on this machine.
 * Shared, noisy machines: read the ratios more than the absolute numbers.
 */
import { cpus } from 'node:os';
import { faceJsGzipBytes } from './app-size.ts';
import { runHttpBench } from './http.ts';
import { runLaunchBench } from './launch.ts';
import { runMirrorReadsBench } from './mirror-reads.ts';
import { runRedisScriptCostBench } from './redis-script-cost.ts';
import { runSseFanoutBench } from './sse-fanout.ts';
import { runStaffSearchBench } from './staff-search.ts';
import { runSyncBench } from './sync.ts';
import { runSyncStatusBench } from './sync-status.ts';
import { runWaitingRoomBench } from './waiting-room.ts';

const log = (line: string) => console.log(line);
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');

async function main() {
  log(`# Holdfast bench — node ${process.version}, ${cpus().length} cores, ${new Date().toISOString()}`);
  log('\n## Reservation core over HTTP (issue 2)');
  const r = await runHttpBench(log);
  const ratio = r.holds.requestsPerSecond / r.trivial.requestsPerSecond;
  log(
    `trivial GET /api/health: ${r.trivial.requestsPerSecond} req/s, p50 ${r.trivial.p50Ms} ms, p99 ${r.trivial.p99Ms} ms`,
  );
  log(
    `POST /api/holds:         ${r.holds.requestsPerSecond} holds/s, p50 ${r.holds.p50Ms} ms, p99 ${r.holds.p99Ms} ms (${r.holds.total} requests, ${r.holds.non2xx} not 2xx, ${r.holds.errors} errors)`,
  );
  log(`ratio holds / trivial:   ${ratio.toFixed(2)} (goal >= 0.5: ${verdict(ratio >= 0.5)})`);
  log(
    `CPU per request:         server ${r.trivial.serverCpuUsPerRequest} µs trivial vs ${r.holds.serverCpuUsPerRequest} µs hold; ` +
      `redis ${r.holds.redisCpuUsPerRequest} µs per hold; load generator ${r.trivial.loadCpuUsPerRequest} µs trivial vs ` +
      `${r.holds.loadCpuUsPerRequest} µs hold (all on the same ${cpus().length} cores)`,
  );
  const perTrivial = (us: number) => us / Math.max(1, r.trivial.serverCpuUsPerRequest);
  const serverRatio = perTrivial(r.holds.serverCpuUsPerRequest);
  log(
    `server CPU per hold:     ${serverRatio.toFixed(1)}× the trivial endpoint's (goal <= 2×: ${verdict(serverRatio <= 2)}); ` +
      `the floor (test/bench/floor-server.ts: same HTTP stack, JSON body, one script call of a hold's size, ` +
      `${r.floor.requestsPerSecond} req/s) costs ${r.floor.serverCpuUsPerRequest} µs, ${perTrivial(r.floor.serverCpuUsPerRequest).toFixed(1)}×`,
  );
  log(`hold p99:                ${r.holds.p99Ms} ms (goal < 25 ms: ${verdict(r.holds.p99Ms < 25)})`);
  log(
    `201s vs units held:      ${r.holdsCreated} answered 201, ${r.holdsHeld} units held, ${r.mismatchedSkus} of the products differ`,
  );
  log(
    `sell-out run:            ${r.scarce.total} requests for ${r.scarceUnits} units -> ${r.scarceCreated} answered 201, ${r.scarceHeld} held, p99 ${r.scarce.p99Ms} ms`,
  );
  log(
    `redis-benchmark EVALSHA: ${r.lua1} scripts/s (50 clients), ${r.lua16} scripts/s pipelined by 16 (appendfsync always)`,
  );
  log(`HTTP holds / raw scripts: ${(r.holds.requestsPerSecond / r.lua1).toFixed(2)}`);
  const clean =
    r.oversold === 0 &&
    r.mismatchedSkus === 0 &&
    r.holdsCreated === r.holdsHeld &&
    r.scarceCreated === r.scarceUnits &&
    r.scarceHeld === r.scarceUnits;
  const cost = await runRedisScriptCostBench();
  log(
    `Redis time per script:   create-hold ${cost.createHoldUs} µs, median of 7 rounds from ${cost.createHoldRangeUs[0]} to ${cost.createHoldRangeUs[1]} µs (goal <= 30 µs: ${verdict(cost.createHoldUs <= 30)}), ` +
      `of which ${cost.commandsUsPerHold} µs in its ${cost.commandsPerHold} commands; ` +
      `Redis CPU ${cost.createHoldCpuUs} µs per hold vs ${cost.trivialCpuUs} µs per trivial script (/proc, calls read and answered included); ` +
      `prelude alone ${cost.preludeEvalUs} µs by EVALSHA vs ${cost.preludeFunctionUs} µs as a FUNCTION; trivial script ${cost.trivialUs} µs`,
  );
  log(`oversell: ${r.oversold}`);
  if (!clean) {
    console.error('bench: OVERSELL OR LOST HOLD DETECTED');
    process.exit(1);
  }

  log('\n## Store documents and the staff app (issue 3)');
  const s = await runSyncBench(log);
  log(
    `edit -> other tablets:   p50 ${s.propagationP50Ms.toFixed(1)} ms, p99 ${s.propagationP99Ms.toFixed(1)} ms ` +
      `(${s.tablets} tablets connected, ${s.samples} arrivals; goal p99 < 50 ms: ${verdict(s.propagationP99Ms < 50)})`,
  );
  log(
    `${s.offlineEdits} offline edits:     back in sync in ${s.offlineResyncMs.toFixed(0)} ms (goal < 2000 ms: ${verdict(s.offlineResyncMs < 2000)})`,
  );
  log(
    `first sync, ${s.bigStoreProducts} products: ${s.firstSyncMs.toFixed(0)} ms, ${(s.firstSyncBytes / 1024).toFixed(0)} KiB ` +
      `(goal < 3000 ms: ${verdict(s.firstSyncMs < 3000)})`,
  );
  log(`server memory per tablet: ${s.memoryPerTabletKb.toFixed(0)} KiB`);
  log(
    `staff app JavaScript:     ${(s.appJsGzipBytes / 1024).toFixed(0)} KiB gzipped (goal < 250 KiB: ${verdict(s.appJsGzipBytes < 250 * 1024)})`,
  );
  log('\n## Staff product search, 10,000 products (issue 8)');
  await runStaffSearchBench(log);
  await projectionSection();
  await customerSection();
  log("\n## The admin's sync-status page (issue 7)");
  const st = await runSyncStatusBench();
  log(
    `GET /api/admin/sync-overview, ${st.tablets} tablets in ${st.stores} stores: p50 ${st.p50Ms} ms, p99 ${st.p99Ms} ms ` +
      `(goal p99 < 100 ms: ${verdict(st.p99Ms < 100)}); a vanished tablet shown offline after ${st.msUntilOfflineShown} ms (goal < 10000 ms: ${verdict(st.msUntilOfflineShown < 10_000)})`,
  );
  await launchSection();
}

async function projectionSection(): Promise<void> {
  log("\n## The tablets' store projection (issue 11)");
  const m = await runMirrorReadsBench();
  const perCommand = Object.entries(m.perBooking)
    .sort(([, a], [, b]) => b - a)
    .map(([command, calls]) => `${command} ${calls.toFixed(2)}`)
    .join(', ');
  log(
    `Redis commands per booking caused by one connected tablet's store document: ${m.projectionCommandsPerBooking.toFixed(1)} ` +
      `(${m.bookings} bookings; ${m.commandsWithoutTablet} commands without a tablet, ${m.commandsWithTablet} with one)`,
  );
  log(`  by command: ${perCommand}`);
}

async function customerSection(): Promise<void> {
  log('\n## The customer site: live updates and page weight (issue 6)');
  const f = await runSseFanoutBench();
  log(
    `SSE fan-out:             ${f.subscribers} subscribers on one instance, ${f.changes} changes, ${f.deliveries} deliveries: ` +
      `change -> every subscriber p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms (goal p99 < 1000 ms: ${verdict(f.p99Ms < 1000)})`,
  );
  log(`server memory per subscriber: ${f.memoryPerSubscriberKb} KiB`);
  const sizes = faceJsGzipBytes();
  log(
    `JavaScript per page, gzipped: customer ${(sizes.customer / 1024).toFixed(0)} KiB (goal < 90 KiB: ${verdict(sizes.customer < 90 * 1024)}), ` +
      `staff ${(sizes.staff / 1024).toFixed(0)} KiB, admin ${(sizes.admin / 1024).toFixed(0)} KiB`,
  );
}

async function launchSection(): Promise<void> {
  log('\n## Launch night: the midnight release (issue 10)');
  for (const waitingRoom of [false, true]) {
    const l = await runLaunchBench({ waitingRoom });
    log(waitingRoom ? 'through the waiting room (following the booking rate):' : 'without a waiting room:');
    log(
      `${l.customers} customers for ${l.spots} spots: ${l.booked} booked, ${l.bookingsPerSecond} bookings/s, ` +
        `booking p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms over ${l.requests} requests`,
    );
    log(
      `sold out after:          ${l.msUntilSoldOut === undefined ? 'NOT sold out' : `${l.msUntilSoldOut} ms`}; ` +
        `5xx ${l.serverErrors} (goal 0: ${verdict(l.serverErrors === 0)})`,
    );
    log(
      `over-scheduled slots:    ${l.overScheduledSlots} (goal 0: ${verdict(l.overScheduledSlots === 0)}); ` +
        `customers with two bookings: ${l.customersWithTwoBookings} (goal 0: ${verdict(l.customersWithTwoBookings === 0)})`,
    );
    log(`got a spot, by arrival fifth (earliest first): ${l.successByArrivalFifth.join(' / ')}`);
    log(
      `arrived before T0, earlier half / later half: ${l.successOfEarlyArrivalsByHalf.join(' / ')} got a spot` +
        (l.room
          ? `; ${l.room.joined} places taken, ${l.room.admitted} turns used, ${l.room.placeReads} reads of a place while waiting`
          : ''),
    );
    if (l.overScheduledSlots > 0 || l.customersWithTwoBookings > 0) {
      console.error('bench: OVER-SCHEDULING DETECTED');
      process.exit(1);
    }
  }
  await waitingRoomSection();
}

async function waitingRoomSection(): Promise<void> {
  const w = await runWaitingRoomBench();
  log(
    `waiting room overhead:   per customer (join + admit) ${w.commandsPerCustomer.toFixed(1)} Redis commands ` +
      `(${w.scriptsPerCustomer.toFixed(2)} scripts), redis CPU ${w.redisCpuUsPerCustomer.toFixed(0)} µs, ` +
      `server CPU ${w.serverCpuUsPerJoin.toFixed(0)} µs per join; ${w.joinsPerSecond} joins/s; ` +
      `${w.customers} admitted in ${w.admitSteps} steps, longest ${w.longestAdmitStepMs} ms`,
  );
}

// Exit when the figures are printed: a bench's clients and servers are closed, but one left
// open (a y-websocket provider's process listeners, a Redis reconnect timer) must not hold the run.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
