// corpus: a learner's 06 in Node.js, done right: net.createServer gives each
// client its own callback (Node's answer to the article's thread), the
// welcome line, and 'OK...' plus the bytes received, kept as a Buffer, for
// every message. Bind and listen are one call in Node, so the three lines
// come from its callback; a failed listen is reported in the article's words
// with Node's error code (EADDRINUSE), and each socket has an 'error'
// listener, so a client that resets ends only its own connection.
//
// Run: node 06-net.js
const net = require('net');

const HOST = '0.0.0.0';
const PORT = 8888;

console.log('Socket created');

const server = net.createServer((conn) => {
  console.log('Connected with ' + conn.remoteAddress + ':' + conn.remotePort);
  conn.write('Welcome to the server. Type something and hit enter\n');

  conn.on('data', (data) => {
    conn.write(Buffer.concat([Buffer.from('OK...'), data]));
  });

  conn.on('error', (err) => {
    console.log('client ' + conn.remotePort + ': ' + err.code);
  });
});

server.on('error', (err) => {
  console.log('Bind failed. Error Code : ' + err.code + ' Message ' + err.message);
  process.exit();
});

server.listen(PORT, HOST, () => {
  console.log('Socket bind complete');
  console.log('Socket now listening');
});
