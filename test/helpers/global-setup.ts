import { chromiumNeed, installMissing, REDIS_SERVER } from '../../server/runtime/system-packages.ts';

/**
 * Before any test file: the tests start their own redis-server and drive the system Chromium.
 * Either missing is installed from the system's packages where the machine allows (root or
 * passwordless sudo, apt-get), saying so in one line; otherwise the run stops at once with the
 * one command to run, instead of every file failing on its own.
 */
export default function setup(): void {
  const result = installMissing([REDIS_SERVER, chromiumNeed()], (line) => console.log(line));
  if (!result.ok) {
    throw new Error(
      `The tests need redis-server and Chromium (${result.why}). Install them with:\n  ${result.command}`,
    );
  }
}
