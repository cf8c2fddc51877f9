import type { Socket } from 'node:net';

/** Carry bytes both ways between two sockets, unchanged; either side failing closes both. */
export function pipeBoth(a: Socket, b: Socket): void {
  a.pipe(b).pipe(a);
  const end = () => { a.destroy(); b.destroy(); };
  a.on('error', end);
  b.on('error', end);
}
