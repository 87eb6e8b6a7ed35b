// The article's final server in Node.js, with its standard library only.
// Each client gets the welcome line, and "OK..." and what it sent for every
// message, for as long as it stays connected. Where the article starts a
// thread per client, Node serves every client on one thread, its event
// loop: it calls the functions below when a client connects, sends data,
// closes or fails, and none of them ever waits. The comments quote the
// article's Python line that each part replaces.
//
// Run it (the port: the first argument, else $PORT, else 8888):
//
//     node examples/node/06-server.js 8888
'use strict';

const net = require('node:net');

// The article's welcome line; a string is written as UTF-8, here plain ASCII.
const WELCOME = 'Welcome to the server. Type something and hit enter\n';
// reply = 'OK...' + data: every reply starts with these bytes.
const PREFIX = Buffer.from('OK...');

// The port: the first argument, else the environment variable PORT, else
// the article's 8888 (PORT = 8888).
const PORT = portFrom(process.argv[2] ?? process.env.PORT ?? '8888');

function portFrom(text) {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`bad port ${JSON.stringify(text)}: give a number from 1 to 65535`);
    process.exit(2);
  }
  return port;
}

// def clientthread(conn): Node calls this function for every client that
// connects (the article's accept loop and start_new_thread, in one).
const server = net.createServer((conn) => {
  // A client that resets its connection makes an 'error' event. Without a
  // listener, an 'error' event is thrown, and the whole server dies of one
  // client's ECONNRESET. With one, only this client is done. Listen first:
  // the client may be gone already.
  conn.on('error', (err) => {
    console.error(`Connection failed: ${err.message}`);
  });

  // A client that reset before Node got to it has no address any more
  // (Node asks for it now; Python's accept() returned it): nothing to serve.
  if (conn.remoteAddress === undefined) {
    conn.destroy();
    return;
  }
  // print 'Connected with ' + addr[0] + ':' + str(addr[1])
  console.log(`Connected with ${conn.remoteAddress}:${conn.remotePort}`);

  // conn.send('Welcome to the server. Type something and hit enter\n')
  conn.write(WELCOME);

  // while True: data = conn.recv(1024); conn.sendall('OK...' + data).
  // 'data' comes with a Buffer for each chunk read, of up to 64 KiB where
  // the article reads 1024 bytes. A Buffer holds bytes: \x00 and \xff come
  // back as they were sent. Never data.toString(): that decodes UTF-8, and
  // \xff would come back as the three bytes of U+FFFD.
  conn.on('data', (data) => {
    conn.write(Buffer.concat([PREFIX, data]));
  });

  // if not data: break, then conn.close(): when the client closes its
  // side, Node closes this one too ('end', then allowHalfOpen: false, the
  // default, ends the connection). Nothing to write.
});

// except socket.error, msg: a failed bind is an 'error' event on the server.
// Node names the error (err.code, EADDRINUSE) where Python gives its number.
server.on('error', (err) => {
  console.log(`Bind failed. Error Code : ${err.code} Message ${err.message}`);
  process.exit(1); // the article's sys.exit() exits with 0, as if all went well
});

// s.bind((HOST, PORT)) and s.listen(10): HOST = '' is every IPv4
// interface, 0.0.0.0. listen() creates the socket, sets SO_REUSEADDR, binds
// and listens; the function runs once it listens.
server.listen(PORT, '0.0.0.0', 10, () => {
  console.log('Socket created');
  console.log('Socket bind complete');
  console.log('Socket now listening');
});
