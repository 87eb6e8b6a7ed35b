// corpus: a learner's 06 in Node.js that builds the reply as a string,
// 'OK...' + data.toString(): toString() decodes the bytes as UTF-8, so a
// byte that is not UTF-8 (\xff) comes back as the replacement character,
// three bytes \xef\xbf\xbd, and the reply is not what the client sent.
// Text typed in telnet comes back right.
//
// Run: node 06-tostring.js
const net = require('net');

const HOST = '0.0.0.0';
const PORT = 8888;

console.log('Socket created');

const server = net.createServer((conn) => {
  console.log('Connected with ' + conn.remoteAddress + ':' + conn.remotePort);
  conn.write('Welcome to the server. Type something and hit enter\n');

  conn.on('data', (data) => {
    const reply = 'OK...' + data.toString();
    conn.write(reply);
  });

  conn.on('error', (err) => {
    console.log('client error: ' + err.message);
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
