/** System facts and metrics from Node's `os`/`fs` and the OS machine id (node-machine-id). */
import { statfs } from 'node:fs/promises';
import os from 'node:os';
import nodeMachineId from 'node-machine-id';
import type { SystemProbe } from './platform';

function cpuTimes() {
  let idle = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

export function createNodeSystemProbe(options: { diskPath: string }): SystemProbe {
  // CPU load = busy share of the CPU time since the previous sample (first sample: since boot).
  let previous = { idle: 0, total: 0 };
  return {
    describe() {
      const cpus = os.cpus();
      return {
        hostname: os.hostname(),
        os: { platform: process.platform, release: os.release(), arch: process.arch, name: os.version() },
        hardware: { cpuModel: cpus[0]?.model?.slice(0, 200), cpuCores: Math.max(1, cpus.length), memoryBytes: os.totalmem() },
      };
    },
    async machineId() {
      try {
        return await nodeMachineId.machineId(true);
      } catch {
        // No machine id (some containers): the install id still tells devices apart.
        return `host:${os.hostname()}`;
      }
    },
    async sample() {
      const now = cpuTimes();
      const dTotal = now.total - previous.total;
      const load = dTotal > 0 ? (1 - (now.idle - previous.idle) / dTotal) * 100 : 0;
      previous = now;
      let disk = { totalBytes: 0, freeBytes: 0 };
      try {
        const s = await statfs(options.diskPath);
        disk = { totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
      } catch {
        // unknown disk: report zeros rather than fail the heartbeat
      }
      return {
        cpuLoadPercent: Math.round(Math.min(100, Math.max(0, load)) * 10) / 10,
        memory: { totalBytes: os.totalmem(), usedBytes: os.totalmem() - os.freemem() },
        disk,
        systemUptimeSeconds: Math.round(os.uptime()),
      };
    },
  };
}
