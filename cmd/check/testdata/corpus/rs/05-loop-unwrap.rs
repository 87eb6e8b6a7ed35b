// corpus: the article's 05 as a Rust learner ports it: one client at a time
// in main, "OK..." plus the bytes read, and `if n == 0 { break; }` for the
// article's `if not data: break`; every other Result is unwrap()ped, as the
// Rust book's first server does. A read that fails (a client that resets)
// panics in main: "thread 'main' panicked at ...: called `Result::unwrap()`
// on an `Err` value: ... ConnectionReset", exit status 101, as the article's
// Python dies of a traceback there. Each connection is closed when `conn`
// goes out of scope at the end of the loop's turn.
//
// Build: rustc --edition 2021 --crate-name server -o server 05-loop-unwrap.rs && ./server
use std::io::{Read, Write};
use std::net::TcpListener;
use std::process;

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
        let (mut conn, addr) = listener.accept().unwrap();
        println!("Connected with {}:{}", addr.ip(), addr.port());

        let mut buf = [0u8; 1024];
        let n = conn.read(&mut buf).unwrap();
        let mut reply = b"OK...".to_vec();
        reply.extend_from_slice(&buf[..n]);
        if n == 0 {
            break;
        }

        conn.write_all(&reply).unwrap();
    }
}
