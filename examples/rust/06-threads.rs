//! The article's final server, a thread per client, in Rust with the
//! standard library only. Each client gets a thread of its own, the welcome
//! line, and "OK..." and what it sent for every message, for as long as it
//! stays connected. The comments quote the article's Python line that each
//! part replaces.
//!
//! Build and run (the port: the first argument, else $PORT, else 8888):
//!
//!     rustc -O -o server examples/rust/06-threads.rs
//!     ./server 8888

use std::env;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process;
use std::thread;

/// The article's welcome line, as bytes: what goes on the wire is bytes.
const WELCOME: &[u8] = b"Welcome to the server. Type something and hit enter\n";
/// reply = 'OK...' + data: every reply starts with these bytes.
const PREFIX: &[u8] = b"OK...";

fn main() {
    let port = port();

    // socket.socket(), s.bind((HOST, PORT)) and s.listen(10), in one call.
    // HOST = '' is every interface: 0.0.0.0. Rust sets SO_REUSEADDR, and
    // listens with a backlog of 128 instead of 10; std has no way to make
    // the three calls one by one.
    let listener = match TcpListener::bind(("0.0.0.0", port)) {
        Ok(listener) => listener,
        Err(e) => {
            // except socket.error, msg. raw_os_error() is the system's
            // number (98 on Linux); the error prints its text and the
            // number again: "Address already in use (os error 98)".
            println!("Socket created");
            let code = e.raw_os_error().unwrap_or(0);
            println!("Bind failed. Error Code : {code} Message {e}");
            process::exit(1); // the article's sys.exit() exits with 0, as if all went well
        }
    };
    println!("Socket created");
    println!("Socket bind complete");
    println!("Socket now listening");

    // while 1:
    loop {
        // conn, addr = s.accept(): wait to accept a connection, a blocking
        // call. As the article's s.accept() raising, a failed accept ends
        // the program (with status 1; an unwrap() here would panic, 101).
        let (conn, addr) = listener.accept().unwrap_or_else(|e| {
            eprintln!("accept failed: {e}");
            process::exit(1);
        });
        // print 'Connected with ' + addr[0] + ':' + str(addr[1]): a
        // SocketAddr prints as 127.0.0.1:54321. It is the address accept()
        // returned: conn.peer_addr() fails for a client that has reset.
        println!("Connected with {addr}");

        // start_new_thread(clientthread, (conn,)): the closure takes conn
        // with it (move), so the thread owns the connection, and closes it
        // when it drops it at the end.
        thread::spawn(move || {
            if let Err(e) = clientthread(conn) {
                // A reset client: only this thread ends. Python prints a
                // traceback here; an unwrap() would print a panic.
                eprintln!("connection failed: {e}");
            }
        });
    }
}

/// The port: the first argument, else the environment variable PORT, else
/// the article's 8888.
fn port() -> u16 {
    let text = match env::args().nth(1).or_else(|| env::var("PORT").ok()) {
        Some(text) => text,
        None => return 8888, // PORT = 8888
    };
    match text.parse::<u16>() {
        Ok(port) if port > 0 => port,
        _ => {
            eprintln!("bad port {text:?}: give a number from 1 to 65535");
            process::exit(2);
        }
    }
}

/// def clientthread(conn): talk with one client until it closes. Each ?
/// returns the error of a failed read or write, which ends this client only.
fn clientthread(mut conn: TcpStream) -> io::Result<()> {
    // conn.send('Welcome to the server. Type something and hit enter\n')
    conn.write_all(WELCOME)?;

    // reply = 'OK...' + data, built in place: reply starts with "OK...",
    // and data = conn.recv(1024) reads into the rest. Bytes stay bytes:
    // nothing here is turned into a String.
    let mut reply = [0u8; PREFIX.len() + 1024];
    reply[..PREFIX.len()].copy_from_slice(PREFIX);
    // while True:
    loop {
        let n = conn.read(&mut reply[PREFIX.len()..])?;
        if n == 0 {
            return Ok(()); // if not data: break -- the client closed its side
        }
        // conn.sendall(reply): write_all sends all of it, "OK..." and the
        // n bytes read.
        conn.write_all(&reply[..PREFIX.len() + n])?;
    }
    // conn.close(): dropping conn when the function returns closes it.
}
