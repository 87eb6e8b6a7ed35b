// The course's 07-shutdown in Node.js: the article's final server
// (06-server.js), made to stop cleanly. It speaks the same protocol and
// prints the same lines. On Ctrl-C (or SIGTERM) it stops accepting, tells
// every connected client why it is hanging up, waits for them to close (at
// most 5 s), and exits with 0; a second Ctrl-C ends it at once. A client
// that sends nothing for the idle time (--idle, 5 minutes unless given) is
// told so and closed. Node's event loop does what Go's goroutines, contexts
// and deadlines do in the course's 07-shutdown/main.go: there is one thread,
// so the set of clients needs no lock.
//
// Run it (the port: the first argument, else $PORT, else 8888):
//
//     node examples/node/07-shutdown.js 8888 --idle 2s
'use strict';

const net = require('node:net');
const { parseArgs } = require('node:util');

const WELCOME = 'Welcome to the server. Type something and hit enter\n';
const PREFIX = Buffer.from('OK...');
const GRACE = 5000; // ms: on Ctrl-C, how long to wait for clients to close

const { values, positionals } = parseArgs({
  options: { idle: { type: 'string', default: '5m' } },
  allowPositionals: true,
});
const PORT = portFrom(positionals[0] ?? process.env.PORT ?? '8888');
const IDLE = durationFrom(values.idle); // ms

function portFrom(text) {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`bad port ${JSON.stringify(text)}: give a number from 1 to 65535`);
    process.exit(2);
  }
  return port;
}

// durationFrom reads "2s", "500ms", "5m", or a number of seconds, as ms.
function durationFrom(text) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text);
  if (!m || Number(m[1]) === 0) {
    console.error(`bad --idle ${JSON.stringify(text)}: give a time such as 2s, 500ms or 5m`);
    process.exit(2);
  }
  return Number(m[1]) * { ms: 1, s: 1000, m: 60000 }[m[2] ?? 's'];
}

// The connected clients, so that a shutdown can say goodbye to each.
const clients = new Set();

// def clientthread(conn), called for every client that connects.
const server = net.createServer((conn) => {
  conn.on('error', (err) => {
    console.error(`Connection failed: ${err.message}`);
  });
  if (conn.remoteAddress === undefined) {
    conn.destroy(); // it reset before Node got to it
    return;
  }
  const who = `${conn.remoteAddress}:${conn.remotePort}`;
  // print 'Connected with ' + addr[0] + ':' + str(addr[1])
  console.log(`Connected with ${who}`);
  clients.add(conn);
  conn.on('close', () => clients.delete(conn));

  // conn.send('Welcome to the server. Type something and hit enter\n')
  conn.write(WELCOME);
  // while True: data = conn.recv(1024); conn.sendall('OK...' + data)
  conn.on('data', (data) => {
    if (!conn.writableEnded) { // not after its goodbye
      conn.write(Buffer.concat([PREFIX, data]));
    }
  });

  // The idle timeout: 'timeout' comes when nothing was read or written for
  // IDLE ms. It only tells; closing is ours to do.
  conn.setTimeout(IDLE);
  conn.on('timeout', () => {
    console.log(`Closing ${who}: idle for ${values.idle}`);
    // A client that cannot take one line in a second is not reading at all.
    goodbye(conn, `You have been idle for ${values.idle}. Goodbye.\n`, 1000);
  });
});

// goodbye sends a client one last line, then closes its side: end() sends
// the line and then the end of the stream, and the connection closes when
// the client closes its side too. A client that has not done so within ms
// is cut off. unref(): the timer alone does not keep Node running.
function goodbye(conn, line, within) {
  conn.setTimeout(0); // no idle timeout any more
  conn.end(line);
  setTimeout(() => conn.destroy(), within).unref();
}

// except socket.error, msg: a failed bind is an 'error' event on the server.
server.on('error', (err) => {
  console.log(`Bind failed. Error Code : ${err.code} Message ${err.message}`);
  process.exit(1);
});

// s.bind((HOST, PORT)) and s.listen(10)
server.listen(PORT, '0.0.0.0', 10, () => {
  console.log('Socket created');
  console.log('Socket bind complete');
  console.log('Socket now listening');
});

// Ctrl-C is SIGINT. With a listener, Node no longer dies of it. The first
// one removes them all, so that a second Ctrl-C kills the program as usual.
// On Windows, the checker's Ctrl-C is Ctrl-Break, SIGBREAK to Node.
const STOPS = ['SIGINT', 'SIGTERM', 'SIGBREAK'];
for (const sig of STOPS) process.once(sig, shutdown);

function shutdown() {
  for (const sig of STOPS) process.removeListener(sig, shutdown);
  console.log('Shutting down; press Ctrl-C again to stop at once');
  const n = clients.size;
  // Stop accepting. The function runs once every connection has closed.
  server.close(() => {
    console.log(`Shut down: ${n} ${n === 1 ? 'client' : 'clients'} told and closed`);
    process.exit(0);
  });
  for (const conn of clients) {
    goodbye(conn, 'Server is shutting down. Goodbye.\n', GRACE);
  }
}
