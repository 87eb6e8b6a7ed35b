// corpus: a learner's 06 in Node.js that listens for 'data' on each socket
// and for nothing else: a client that resets its connection makes the
// socket emit 'error' (ECONNRESET), and an 'error' event with no listener
// is thrown, so the whole server dies with "Error: read ECONNRESET" and
// exit status 1. Otherwise the article's 06.
//
// Run: node 06-no-error-listener.js
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
});

server.on('error', (err) => {
  console.log('Bind failed. Error Code : ' + err.code + ' Message ' + err.message);
  process.exit();
});

server.listen(PORT, HOST, () => {
  console.log('Socket bind complete');
  console.log('Socket now listening');
});
