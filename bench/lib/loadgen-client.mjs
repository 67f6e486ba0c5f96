// run.mjs's handle on the load generator process: `call(cmd, args)` → its result.
import path from 'node:path';
import { spawnNode } from './proc.mjs';

export async function startLoadgen(core) {
  const child = spawnNode([path.join(import.meta.dirname, '..', 'loadgen.mjs')], { core, ipc: true, nodeArgs: ['--max-old-space-size=8192'] });
  const pending = new Map();
  let next = 0;
  await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`load generator exited (${code}): ${child.stderrText()}`)));
    child.on('message', (msg) => {
      if (msg.ready) return resolve();
      const waiter = pending.get(msg.id);
      if (!waiter) return;
      pending.delete(msg.id);
      if (msg.ok) waiter.resolve(msg.result);
      else waiter.reject(new Error(`load generator: ${msg.error}`));
    });
  });
  child.on('exit', () => {
    for (const w of pending.values()) w.reject(new Error(`load generator died: ${child.stderrText()}`));
    pending.clear();
  });
  return {
    child,
    call(cmd, args = {}) {
      const id = ++next;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, cmd, ...args });
      });
    },
  };
}
