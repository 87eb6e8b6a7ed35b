// corpus: a learner's 06 in Rust that turns what it read into text to print
// it and to build the reply: String::from_utf8_lossy(&buf[..n]) replaces a
// byte that is not UTF-8 (\xff) with U+FFFD, so the reply format!("OK...{}",
// text) carries \xef\xbf\xbd where the client sent \xff. Text typed in telnet
// comes back right.
//
// Build: rustc --edition 2021 --crate-name server -o server 06-lossy.rs && ./server
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
        let text = String::from_utf8_lossy(&buf[..n]);
        println!("received: {}", text.trim_end());
        let reply = format!("OK...{}", text);
        if conn.write_all(reply.as_bytes()).is_err() {
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
            Err(_) => continue,
        };
        println!("Connected with {}:{}", addr.ip(), addr.port());
        thread::spawn(move || clientthread(conn));
    }
}
