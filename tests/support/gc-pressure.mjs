// With GC_PRESSURE_MS set (say 1000), every worker and every Node process of the suite runs a full garbage
// collection that often. Code that works only until the collector runs (an abort signal reachable through a
// WeakRef alone, nodejs/node#55428) then fails at once, not now and then on a busy CI machine. Loaded as a
// vitest setup file (each thread and fork) and, through NODE_OPTIONS, by the gateway processes tests start.
import process from 'node:process';
import { setInterval } from 'node:timers';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const every = Number(process.env.GC_PRESSURE_MS ?? 0);
if (every > 0 && !globalThis.gcPressure) {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  globalThis.gcPressure = setInterval(gc, every);
  globalThis.gcPressure.unref();
  const preload = `--import ${import.meta.url}`;
  if (!process.env.NODE_OPTIONS?.includes(preload)) process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} ${preload}`.trim();
}
