// corpus: a learner's 06 in Rust that reads lines: BufReader::read_line
// into a String. read_line keeps the line end, so "hi\r\n" comes back as
// "OK...hi\r\n", but it waits for a "\n" (a message without one is not
// answered until more comes) and it wants UTF-8: a line with \xff is an
// error (InvalidData, "stream did not contain valid UTF-8"), and the
// program prints it and ends that client's connection without a reply.
//
// Build: rustc --edition 2021 --crate-name server -o server 06-read-line.rs && ./server
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process;
use std::thread;

fn clientthread(conn: TcpStream) {
    let mut writer = conn.try_clone().unwrap();
    if writer
        .write_all(b"Welcome to the server. Type something and hit enter\n")
        .is_err()
    {
        return;
    }

    let mut reader = BufReader::new(conn);
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) => break,
            Ok(_) => {
                if writer.write_all(format!("OK...{}", line).as_bytes()).is_err() {
                    break;
                }
            }
            Err(e) => {
                println!("read error: {}", e);
                break;
            }
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
