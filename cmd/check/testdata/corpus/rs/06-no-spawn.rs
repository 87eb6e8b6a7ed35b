// corpus: a learner's 06 in Rust that has the handler but calls it directly,
// handle_client(stream), where thread::spawn(move || handle_client(stream))
// was meant: one client at a time, each served to the end. Its bind is
// unwrap()ped: with the port taken it panics, "thread 'main' panicked at
// ...: called `Result::unwrap()` on an `Err` value: Os { code: 98, kind:
// AddrInUse, ... }", exit status 101, and no Bind failed line.
//
// Build: rustc --edition 2021 --crate-name server -o server 06-no-spawn.rs && ./server
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

fn handle_client(mut stream: TcpStream) {
    let addr = stream.peer_addr().unwrap();
    println!("Connected with {}:{}", addr.ip(), addr.port());
    if stream
        .write_all(b"Welcome to the server. Type something and hit enter\n")
        .is_err()
    {
        return;
    }

    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let mut reply = b"OK...".to_vec();
                reply.extend_from_slice(&buf[..n]);
                if stream.write_all(&reply).is_err() {
                    break;
                }
            }
        }
    }
}

fn main() {
    println!("Socket created");
    let listener = TcpListener::bind("0.0.0.0:8888").unwrap();
    println!("Socket bind complete");
    println!("Socket now listening");

    for stream in listener.incoming() {
        match stream {
            Ok(stream) => handle_client(stream),
            Err(e) => println!("accept failed: {}", e),
        }
    }
}
