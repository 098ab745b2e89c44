import { describe, expect, it } from 'vitest';
import {
  chromiumNeed,
  installMissing,
  planInstall,
  REDIS_SERVER,
  type SystemNeed,
  type SystemProbe,
} from '../../server/runtime/system-packages.ts';

const debian: SystemProbe = {
  platform: 'linux',
  isRoot: false,
  hasAptGet: true,
  canSudo: false,
  isDebianLike: true,
};
const absent = (name: string, apt = name, brew = name): SystemNeed => ({
  name,
  present: () => false,
  apt,
  brew,
});

describe('installing what the README needs from the system packages', () => {
  it('uses apt-get as root, or with passwordless sudo', () => {
    expect(planInstall([REDIS_SERVER], { ...debian, isRoot: true })).toEqual({ kind: 'apt', prefix: [] });
    expect(planInstall([REDIS_SERVER], { ...debian, canSudo: true })).toEqual({
      kind: 'apt',
      prefix: ['sudo', '-n'],
    });
  });

  it('gives the one command to run where it cannot install', () => {
    const missing = [absent('redis-server'), absent('chromium', 'chromium', '--cask chromium')];
    expect(planInstall(missing, debian)).toEqual({
      kind: 'by-hand',
      command: 'sudo apt-get update && sudo apt-get install -y redis-server chromium',
    });
    expect(
      planInstall([absent('redis-server', 'redis-server', 'redis')], {
        ...debian,
        platform: 'darwin',
        hasAptGet: false,
      }),
    ).toEqual({
      kind: 'by-hand',
      command: 'brew install redis',
    });
    const other = {
      platform: 'linux' as const,
      isRoot: false,
      hasAptGet: false,
      canSudo: false,
      isDebianLike: false,
    };
    expect(planInstall([absent('redis-server')], other)).toMatchObject({
      command: "install redis-server with your system's package manager",
    });
  });

  it('says nothing and installs nothing when everything is there', () => {
    const said: string[] = [];
    const present: SystemNeed = { ...absent('x'), present: () => true };
    expect(installMissing([present], (line) => said.push(line), debian)).toEqual({ ok: true });
    expect(said).toEqual([]);
  });

  it('without root or sudo, installs nothing and answers with the command and why', () => {
    const said: string[] = [];
    const result = installMissing([absent('redis-server')], (line) => said.push(line), debian);
    expect(result).toEqual({
      ok: false,
      command: 'sudo apt-get update && sudo apt-get install -y redis-server',
      why: 'installing needs root or passwordless sudo',
    });
    expect(said).toEqual([]);
  });

  it('looks for Chromium where the browser tests launch it', () => {
    expect(chromiumNeed('/nonexistent/chromium').present()).toBe(false);
    expect(chromiumNeed(process.execPath).present()).toBe(true);
  });
});
