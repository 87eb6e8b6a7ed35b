// corpus: a learner's 06 in Node.js that calls server.listen(PORT) without
// a host, as most Node examples do: Node then listens on '::', IPv6 and
// IPv4 at once, and an IPv4 client's address is given in its IPv6 form,
// so the program prints "Connected with ::ffff:127.0.0.1:54321". The
// address is the client's, written another way. Otherwise the article's 06.
//
// Run: node 06-mapped-address.js
const net = require('net');

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

server.on('error', (err) => {
  console.log('Bind failed. Error Code : ' + err.code + ' Message ' + err.message);
  process.exit();
});

server.listen(PORT, () => {
  console.log('Socket bind complete');
  console.log('Socket now listening');
});
