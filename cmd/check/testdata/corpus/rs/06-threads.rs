// corpus: a learner's 06 in Rust, done right: a thread per client
// (thread::spawn), the welcome line, and "OK..." plus the bytes read,
// &buf[..n], for every message; read returns Ok(0) when the client is done,
// and an error (a reset) ends only that client's thread. TcpListener::bind
// creates, binds and listens in one call; a failed bind prints the article's
// line with the OS error's number and Rust's text for it, and exits with 0.
//
// Build: rustc --edition 2021 --crate-name server -o server 06-threads.rs && ./server
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process;
use std::thread;

fn clientthread(mut conn: TcpStream) {
    if conn
        .write_all(b"Welcome to the server. Type something and hit enter\n")
        .is_err()
    {
        return;
    }

    let mut buf = [0u8; 1024];
    loop {
        let n = match conn.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(_) => break,
        };
        let mut reply = b"OK...".to_vec();
        reply.extend_from_slice(&buf[..n]);
        if conn.write_all(&reply).is_err() {
            break;
        }
    }
}

fn main() {
    println!("Socket created");

    let listener = match TcpListener::bind("0.0.0.0:8888") {
        Ok(l) => l,
        Err(e) => {
            println!(
                "Bind failed. Error Code : {} Message {}",
                e.raw_os_error().unwrap_or(0),
                e
            );
            process::exit(0);
        }
    };
    println!("Socket bind complete");
    println!("Socket now listening");

    loop {
        let (conn, addr) = match listener.accept() {
            Ok(c) => c,
            Err(e) => {
                println!("accept failed: {}", e);
                continue;
            }
        };
        println!("Connected with {}:{}", addr.ip(), addr.port());
        thread::spawn(move || clientthread(conn));
    }
}
