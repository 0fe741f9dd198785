//! Harness for the end-to-end journeys: a static file server for the built
//! site (under a sub-path, as a course platform would host it), and a
//! chromedriver with a headless Chromium, each torn down on drop.

use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::thread;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;

/// The sub-path the site is served under, to prove relative URLs work.
pub const SUB_PATH: &str = "/courses/aws/dockyard/";

/// The built site: `$DOCKYARD_DIST`, or `dist/` at the workspace root.
pub fn dist_dir() -> PathBuf {
    let dir = std::env::var_os("DOCKYARD_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist"));
    assert!(
        dir.join("index.html").is_file(),
        "no built site at {}: run `trunk build --release` first (scripts/test does)",
        dir.display()
    );
    dir
}

/// axe-core's script (pinned in tools/package.json; scripts/test installs it).
pub fn axe_source() -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "no axe-core at {} ({error}): run `npm ci --prefix tools` (scripts/test does)",
            path.display()
        )
    })
}

/// Copies a built site, so that a test can change its copy.
pub fn copy_site(from: &Path, to: &Path) {
    if to.exists() {
        std::fs::remove_dir_all(to).expect("remove an old copy");
    }
    std::fs::create_dir_all(to).expect("create the copy");
    for entry in std::fs::read_dir(from).expect("read the site") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a type").is_dir() {
            copy_site(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

/// Where screenshots go for people to look at.
/// A copy of the built site without its wasm, under target/`name`: the
/// pages as a learner reads them before (or without) the app.
pub fn site_without_wasm(name: &str) -> PathBuf {
    let copy = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../target")
        .join(name);
    copy_site(&dist_dir(), &copy);
    for entry in std::fs::read_dir(&copy).expect("the copy") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "wasm") {
            std::fs::remove_file(path).expect("remove the wasm");
        }
    }
    copy
}

pub fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    dir
}

/// Serves `root` at `SUB_PATH` on 127.0.0.1 as a plain static host does: a
/// directory's `index.html`, a redirect from `dir` to `dir/`, and a 404 for
/// everything else. No rewrites: every address of the app is a file.
///
/// A few lines of HTTP/1.1 over std's sockets rather than a server crate,
/// because going offline must close every socket the browser holds (its
/// spare, preconnected ones too), which no server crate here offers: a
/// request sent on a socket that stays open would wait forever.
pub struct StaticServer {
    pub base_url: String,
    port: u16,
    root: Arc<RwLock<PathBuf>>,
    open: Arc<Mutex<Vec<TcpStream>>>,
    listening: Option<(Arc<AtomicBool>, thread::JoinHandle<()>)>,
}

impl StaticServer {
    pub fn start(root: PathBuf) -> StaticServer {
        let mut server = StaticServer {
            base_url: String::new(),
            port: 0,
            root: Arc::new(RwLock::new(root)),
            open: Arc::new(Mutex::new(Vec::new())),
            listening: None,
        };
        server.listen();
        server.base_url = format!("http://127.0.0.1:{}{SUB_PATH}", server.port);
        server
    }

    /// Listens on the server's port (any free one the first time): the same
    /// origin again after going offline, with the same service worker.
    fn listen(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).expect("bind a loopback port");
        self.port = listener.local_addr().expect("an address").port();
        let stopped = Arc::new(AtomicBool::new(false));
        let (root, open, stop) = (
            Arc::clone(&self.root),
            Arc::clone(&self.open),
            Arc::clone(&stopped),
        );
        let thread = thread::spawn(move || {
            for stream in listener.incoming() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                if let Ok(copy) = stream.try_clone() {
                    open.lock().expect("the sockets").push(copy);
                }
                let root = Arc::clone(&root);
                thread::spawn(move || serve_connection(stream, &root));
            }
        });
        self.listening = Some((stopped, thread));
    }

    fn stop(&mut self) {
        if let Some((stopped, thread)) = self.listening.take() {
            stopped.store(true, Ordering::SeqCst);
            // Wakes the accept loop, which then sees the flag and ends.
            let _ = TcpStream::connect(("127.0.0.1", self.port));
            let _ = thread.join();
            for stream in self.open.lock().expect("the sockets").drain(..) {
                let _ = stream.shutdown(Shutdown::Both);
            }
        }
    }

    /// Offline: the port refuses every connection and every open one is
    /// closed, as on a dead network, until set back.
    pub fn set_offline(&mut self, offline: bool) {
        match (offline, self.listening.is_some()) {
            (true, true) => self.stop(),
            (false, false) => self.listen(),
            _ => {}
        }
    }

    /// Serves another build from now on, as a new deployment would.
    pub fn deploy(&self, root: PathBuf) {
        *self.root.write().expect("the root") = root;
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Answers the requests on one connection (keep-alive) until it closes.
fn serve_connection(stream: TcpStream, root: &RwLock<PathBuf>) {
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        // The headers: none matters to a static host of GETs.
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            if header == "\r\n" || header == "\n" {
                break;
            }
        }
        let url = request_line.split_whitespace().nth(1).unwrap_or_default();
        let root = root.read().expect("the root").clone();
        let (status, headers, body) = respond(&root, url);
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\n{headers}\r\n",
            body.len()
        );
        let sent = writer
            .write_all(head.as_bytes())
            .and_then(|()| writer.write_all(&body))
            .and_then(|()| writer.flush());
        if sent.is_err() {
            return;
        }
    }
}

/// The status line's code and reason, the other headers, and the body.
fn respond(root: &Path, url: &str) -> (&'static str, String, Vec<u8>) {
    let text = |status, body: &str| {
        (
            status,
            "Content-Type: text/plain\r\n".to_string(),
            body.as_bytes().to_vec(),
        )
    };
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let Some(relative) = path.strip_prefix(SUB_PATH) else {
        return text("404 Not Found", "not found");
    };
    let candidate = Path::new(relative);
    if candidate
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return text("400 Bad Request", "bad path");
    }
    let mut file = root.join(candidate);
    if file.is_dir() {
        if !(relative.is_empty() || relative.ends_with('/')) {
            return (
                "301 Moved Permanently",
                format!("Location: {path}/\r\n"),
                b"moved".to_vec(),
            );
        }
        file = file.join("index.html");
    }
    match std::fs::read(&file) {
        Ok(body) => {
            let content_type = match file.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript",
                Some("wasm") => "application/wasm",
                Some("css") => "text/css",
                Some("svg") => "image/svg+xml",
                Some("webmanifest") => "application/manifest+json",
                Some("json") => "application/json",
                _ => "application/octet-stream",
            };
            ("200 OK", format!("Content-Type: {content_type}\r\n"), body)
        }
        Err(_) => text("404 Not Found", "not found"),
    }
}

/// A chromedriver on a free loopback port.
pub struct ChromeDriver {
    pub url: String,
    child: Child,
    profile: PathBuf,
}

impl ChromeDriver {
    pub fn start() -> ChromeDriver {
        let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_string());
        let port = free_port();
        // Its own process group, so that dropping it ends the browsers it
        // started too: a panicking test never closes its session, and
        // leaked browsers once filled this machine's memory mid-run.
        let child =
            std::os::unix::process::CommandExt::process_group(&mut Command::new(&binary), 0)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|error| {
                    panic!("cannot start chromedriver ({binary}): {error}; set CHROMEDRIVER")
                });
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(address).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on port {port} within 20 s"
            );
            thread::sleep(Duration::from_millis(50));
        }
        let profile = std::env::temp_dir().join(format!("dockyard-e2e-profile-{port}"));
        ChromeDriver {
            url: format!("http://127.0.0.1:{port}"),
            child,
            profile,
        }
    }

    /// A new headless Chromium session with a fresh profile and the given
    /// window size.
    pub async fn session(&self, width: u32, height: u32) -> Client {
        let mut args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".to_string(),
            "--disable-gpu".to_string(),
            "--disable-dev-shm-usage".to_string(),
            "--disable-quic".to_string(),
            "--no-first-run".to_string(),
            "--disable-background-networking".to_string(),
            "--disable-component-update".to_string(),
            "--disable-sync".to_string(),
            "--hide-scrollbars".to_string(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", self.profile.display()),
        ];
        if let Ok(extra) = std::env::var("DOCKYARD_CHROME_ARGS") {
            args.extend(extra.split_whitespace().map(str::to_string));
        }
        let mut options = serde_json::json!({ "args": args });
        if let Ok(binary) = std::env::var("CHROME") {
            options["binary"] = serde_json::Value::String(binary);
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".to_string(), options);
        ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .expect("a WebDriver session with headless Chromium")
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // The whole group (chromedriver and the browsers it started), by
        // the system call itself: procps-ng 4.0.2's `kill -KILL -PGID`
        // sends the signal to -1, every process the user may signal, which
        // ended whole CI runs (with the shell that ran them).
        if let Ok(group) = libc::pid_t::try_from(self.child.id()) {
            if group > 1 {
                // SAFETY: kill(2) takes plain integers and touches no memory;
                // a negative pid names the group chromedriver leads.
                unsafe {
                    libc::kill(-group, libc::SIGKILL);
                }
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address")
        .port()
}
