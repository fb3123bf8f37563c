//! A std-only HTTP/1.1 server on 127.0.0.1:0 for tests: serves a directory (or answers through
//! a handler function), answers scripted statuses and redirects, records every request, and
//! stops when dropped.

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
    /// Every header, names lowercased, in order.
    pub headers: Vec<(String, String)>,
    /// The request body.
    pub body: Vec<u8>,
}

impl Request {
    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(key, _)| *key == name).map(|(_, value)| value.as_str())
    }
}

/// A whole answer, returned by a handler (see [`HttpServer::handler`]).
#[derive(Clone, Debug, Default)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// Extra headers (`content-length` and `connection: close` are added).
    pub headers: Vec<(String, String)>,
    /// The body (not sent for `HEAD`, but counted in `content-length`).
    pub body: Vec<u8>,
}

impl Reply {
    /// An empty answer with `status`.
    pub fn status(status: u16) -> Reply {
        Reply { status, ..Reply::default() }
    }

    /// Adds a header.
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sets the body.
    #[must_use]
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Reply {
        self.body = body.into();
        self
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// What answers requests that no script answers.
enum Mode {
    Files(PathBuf),
    Handler(Box<Handler>),
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
        HttpServer::start(Mode::Files(root))
    }

    /// Answers every request (not answered by a script) with `handler`; requests are handled
    /// one at a time, in arrival order. The `host` header tells the handler its own address.
    pub fn handler(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> HttpServer {
        HttpServer::start(Mode::Handler(Box::new(handler)))
    }

    fn start(mode: Mode) -> HttpServer {
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
                        let _ = handle(stream, &mode, &state);
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

fn handle(stream: TcpStream, mode: &Mode, state: &Mutex<State>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut parts = request_line.split_whitespace();
    let (method, path) =
        (parts.next().unwrap_or("").to_owned(), parts.next().unwrap_or("/").to_owned());
    let mut authorization = None;
    let mut content_length = 0usize;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_owned());
            match name.as_str() {
                "authorization" => authorization = Some(value.clone()),
                "content-length" => content_length = value.parse().unwrap_or(0),
                _ => {}
            }
            headers.push((name, value));
        }
    }
    let mut body = vec![0; content_length];
    reader.read_exact(&mut body)?;
    let request = Request { method, path: path.clone(), authorization, headers, body };
    let scripted = {
        let mut state = state.lock().unwrap();
        state.requests.push(request.clone());
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
        None => match mode {
            Mode::Handler(handler) => {
                let reply = handler(&request);
                write!(stream, "HTTP/1.1 {} Handled\r\n", reply.status)?;
                for (name, value) in &reply.headers {
                    write!(stream, "{name}: {value}\r\n")?;
                }
                write!(
                    stream,
                    "content-length: {}\r\nconnection: close\r\n\r\n",
                    reply.body.len()
                )?;
                if request.method != "HEAD" {
                    stream.write_all(&reply.body)?;
                }
                stream.flush()
            }
            Mode::Files(root) => {
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
        },
    }
}
