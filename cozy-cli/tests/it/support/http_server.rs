//! A std-only HTTP/1.1 server on 127.0.0.1:0 for tests: serves a directory, answers scripted
//! statuses and redirects, records every request, and stops when dropped.

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// One request as the server saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// `GET`, …
    pub method: String,
    /// The path with query.
    pub path: String,
    /// The `Authorization` header, if any.
    pub authorization: Option<String>,
}

/// A scripted answer for one path, used once (in order) before falling back to the files.
#[derive(Clone, Debug)]
pub enum Scripted {
    /// Answer with this status and an empty body.
    Status(u16),
    /// Redirect (302) to this absolute URL.
    Redirect(String),
}

#[derive(Default)]
struct State {
    requests: Vec<Request>,
    scripted: HashMap<String, Vec<Scripted>>,
}

/// The running server.
pub struct HttpServer {
    port: u16,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl HttpServer {
    /// Serves files under `root` (only on 127.0.0.1).
    pub fn serve(root: PathBuf) -> HttpServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (state, stop) = (Arc::clone(&state), Arc::clone(&stop));
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    if let Ok(stream) = stream {
                        let _ = handle(stream, &root, &state);
                    }
                }
            })
        };
        HttpServer { port, state, stop, thread: Some(thread) }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Answers the next requests for `path` with `answers`, in order.
    pub fn script(&self, path: &str, answers: Vec<Scripted>) {
        self.state.lock().unwrap().scripted.insert(path.to_owned(), answers);
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Request> {
        self.state.lock().unwrap().requests.clone()
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn handle(stream: TcpStream, root: &std::path::Path, state: &Mutex<State>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut parts = request_line.split_whitespace();
    let (method, path) =
        (parts.next().unwrap_or("").to_owned(), parts.next().unwrap_or("/").to_owned());
    let mut authorization = None;
    let mut content_length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            match name.to_ascii_lowercase().as_str() {
                "authorization" => authorization = Some(value.trim().to_owned()),
                "content-length" => content_length = value.trim().parse().unwrap_or(0),
                _ => {}
            }
        }
    }
    let mut body = vec![0; content_length];
    reader.read_exact(&mut body)?;
    let scripted = {
        let mut state = state.lock().unwrap();
        state.requests.push(Request { method, path: path.clone(), authorization });
        state
            .scripted
            .get_mut(&path)
            .filter(|answers| !answers.is_empty())
            .map(|answers| answers.remove(0))
    };
    let mut stream = stream;
    match scripted {
        Some(Scripted::Status(code)) => write!(
            stream,
            "HTTP/1.1 {code} Scripted\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        ),
        Some(Scripted::Redirect(to)) => {
            write!(
                stream,
                "HTTP/1.1 302 Found\r\nlocation: {to}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            )
        }
        None => {
            let file = root.join(path.trim_start_matches('/').split('?').next().unwrap_or(""));
            match std::fs::read(&file) {
                Ok(bytes) if file.is_file() => {
                    write!(
                        stream,
                        "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                        bytes.len()
                    )?;
                    stream.write_all(&bytes)
                }
                _ => write!(
                    stream,
                    "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                ),
            }
        }
    }
}
