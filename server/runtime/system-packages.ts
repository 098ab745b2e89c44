import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A program the README's two lines need that npm cannot bring: redis-server, Chromium. */
export interface SystemNeed {
  /** What a person calls it: `redis-server`. */
  name: string;
  present(): boolean;
  /** Its Debian/Ubuntu package. */
  apt: string;
  /** Its Homebrew formula, for the command a Mac user is told to run. */
  brew: string;
}

/** What this machine allows, found once: who we are and which tools there are. */
export interface SystemProbe {
  platform: NodeJS.Platform;
  isRoot: boolean;
  hasAptGet: boolean;
  /** sudo runs without asking for a password (`sudo -n true`). */
  canSudo: boolean;
  isDebianLike: boolean;
}

export function probeSystem(): SystemProbe {
  const runs = (command: string, args: string[]) =>
    spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;
  const isRoot = process.getuid?.() === 0;
  return {
    platform: process.platform,
    isRoot,
    hasAptGet: process.platform === 'linux' && runs('apt-get', ['--version']),
    canSudo: !isRoot && process.platform === 'linux' && runs('sudo', ['-n', 'true']),
    isDebianLike: existsSync('/etc/debian_version'),
  };
}

/** How the missing packages can be installed here: apt-get (as root or with sudo), or by hand. */
export type InstallPlan = { kind: 'apt'; prefix: string[] } | { kind: 'by-hand'; command: string };

export function planInstall(missing: readonly SystemNeed[], probe: SystemProbe): InstallPlan {
  if (probe.hasAptGet && (probe.isRoot || probe.canSudo)) {
    return { kind: 'apt', prefix: probe.isRoot ? [] : ['sudo', '-n'] };
  }
  return { kind: 'by-hand', command: commandToRun(missing, probe) };
}

/** The one command a person runs to get `missing` on this kind of machine. */
export function commandToRun(missing: readonly SystemNeed[], probe: SystemProbe): string {
  if (probe.platform === 'darwin') return `brew install ${missing.map((n) => n.brew).join(' ')}`;
  const packages = missing.map((n) => n.apt).join(' ');
  const sudo = probe.isRoot ? '' : 'sudo ';
  if (probe.hasAptGet || probe.isDebianLike)
    return `${sudo}apt-get update && ${sudo}apt-get install -y ${packages}`;
  return `install ${missing.map((n) => n.name).join(' and ')} with your system's package manager`;
}

export type InstallResult = { ok: true } | { ok: false; command: string; why: string };

/**
 * Installs what is missing from the system's packages where it can (as Playwright's
 * `install --with-deps` does): one line says so, apt-get runs without asking anything.
 * Where it cannot, or apt-get fails, the result carries the one command for a person to run.
 */
export function installMissing(
  needs: readonly SystemNeed[],
  say: (line: string) => void,
  given?: SystemProbe,
): InstallResult {
  const missing = needs.filter((need) => !need.present());
  if (missing.length === 0) return { ok: true };
  const probe = given ?? probeSystem();
  const plan = planInstall(missing, probe);
  const names = missing.map((n) => n.name).join(' and ');
  if (plan.kind === 'by-hand') {
    const why = probe.hasAptGet ? 'installing needs root or passwordless sudo' : 'no apt-get here';
    return { ok: false, command: plan.command, why };
  }
  const packages = missing.map((n) => n.apt);
  say(`holdfast: ${names} not found; installing ${packages.join(' ')} with apt-get (about a minute)...`);
  // `env` sets the variable past sudo, which would drop it (as .ci/run does).
  const apt = (args: string[]) => {
    const [command = 'env', ...rest] = [
      ...plan.prefix,
      'env',
      'DEBIAN_FRONTEND=noninteractive',
      'apt-get',
      ...args,
    ];
    return spawnSync(command, rest, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', ...packages],
  ]) {
    const run = apt(args);
    if (run.status !== 0) {
      const output = `${run.stderr ?? ''}${run.error?.message ?? ''}`.trim().split('\n').slice(-5).join('\n');
      return {
        ok: false,
        command: commandToRun(missing, probe),
        why: `apt-get ${args[0]} failed:\n${output}`,
      };
    }
  }
  const still = missing.filter((need) => !need.present());
  if (still.length > 0) {
    return {
      ok: false,
      command: commandToRun(still, probe),
      why: `${still.map((n) => n.name).join(' and ')} still not found after apt-get`,
    };
  }
  return { ok: true };
}

/** `redis-server` on PATH. */
export const REDIS_SERVER: SystemNeed = {
  name: 'redis-server',
  present: () => spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0,
  apt: 'redis-server',
  brew: 'redis',
};

/** The Chromium the browser tests drive (test/helpers/browser.ts: CHROMIUM_PATH or /usr/bin/chromium). */
export function chromiumNeed(path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'): SystemNeed {
  return { name: 'chromium', present: () => existsSync(path), apt: 'chromium', brew: '--cask chromium' };
}
