// corpus: a learner's 05 in Node.js written from their 04, which called
// server.close() in the connection callback so that the program ends after
// one client; the call was left in. The first client is answered 'OK...'
// plus its data and hung up on; after it the listening socket is closed,
// the next client is refused, and the program exits with 0 once the first
// connection is done. An empty connection would close the server, as the
// article's break does.
//
// Run: node 05-server-close.js
const net = require('net');

const HOST = '0.0.0.0';
const PORT = 8888;

console.log('Socket created');

const server = net.createServer((conn) => {
  console.log('Connected with ' + conn.remoteAddress + ':' + conn.remotePort);
  let got = false;

  conn.once('data', (data) => {
    got = true;
    conn.end(Buffer.concat([Buffer.from('OK...'), data]));
  });

  conn.on('end', () => {
    if (!got) {
      server.close();
    }
  });

  conn.on('error', () => {});

  server.close();
});

server.on('error', (err) => {
  console.log('Bind failed. Error Code : ' + err.code + ' Message ' + err.message);
  process.exit();
});

server.listen(PORT, HOST, () => {
  console.log('Socket bind complete');
  console.log('Socket now listening');
});
