// corpus: a learner's 06 in Node.js that never listens for the server's
// 'error' event: with its port taken, listen() fails and the unhandled
// 'error' is thrown, "Error: listen EADDRINUSE: address already in use",
// with a stack and exit status 1, instead of the article's Bind failed line.
// With a free port it is the article's 06.
//
// Run: node 06-eaddrinuse-uncaught.js
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

  conn.on('error', () => {});
});

server.listen(PORT, HOST, () => {
  console.log('Socket bind complete');
  console.log('Socket now listening');
});
