// Runs inside the test's network namespace: listens on 127.0.0.1:443 (where the namespace's hosts file
// puts login.microsoftonline.com and graph.microsoft.com) and pipes every connection's bytes, TLS and all,
// to a Unix socket the test serves outside the namespace. No TLS termination, no rewriting.
import { connect, createServer } from 'node:net';
import { pipeBoth } from './pipe-both';

const socketPath = process.argv[2]!;
const server = createServer((inbound) => pipeBoth(inbound, connect(socketPath)));
server.listen(443, '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
