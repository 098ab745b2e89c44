import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ProcessInfo {
  name: string;
  parentPid: number;
}

/**
 * The command name and parent of a running process (Linux /proc, else `ps`), to tell a
 * redis-server from a reused pid; undefined once it has exited (a zombie has exited too).
 */
export function describeProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, parentPid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z') return undefined;
    return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), parentPid: Number(parentPid) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && process.platform === 'linux') return undefined;
    const ps = spawnSync('ps', ['-o', 'stat=,ppid=,comm=', '-p', String(pid)], { encoding: 'utf8' });
    const match = /^\s*(\S+)\s+(\d+)\s+(.+?)\s*$/.exec(ps.stdout ?? '');
    if (!match?.[1] || match[1].startsWith('Z') || !match[3]) return undefined;
    return { name: match[3], parentPid: Number(match[2]) };
  }
}
