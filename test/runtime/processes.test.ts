import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { describeProcess } from '../../server/runtime/processes.ts';

describe('describing a process by its pid', () => {
  it('names a running process and its parent', () => {
    const child = spawn('sleep', ['5']);
    try {
      expect(describeProcess(child.pid ?? 0)).toEqual({ name: 'sleep', parentPid: process.pid });
    } finally {
      child.kill();
    }
  });

  it('says nothing of a process that has exited', async () => {
    const child = spawn('true');
    await new Promise((done) => child.once('exit', done));
    expect(describeProcess(child.pid ?? 0)).toBeUndefined();
  });
});
