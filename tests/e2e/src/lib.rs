//! Harness for the end-to-end journeys: a static file server for the built
//! site (under a sub-path, as a course platform would host it), and a
//! chromedriver with a headless Chromium, each torn down on drop.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
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

/// Where screenshots go for people to look at.
pub fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    dir
}

/// Serves `root` at `SUB_PATH` on 127.0.0.1; everything else is a 404.
pub struct StaticServer {
    pub base_url: String,
    server: Arc<tiny_http::Server>,
    thread: Option<thread::JoinHandle<()>>,
}

impl StaticServer {
    pub fn start(root: PathBuf) -> StaticServer {
        let server =
            Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind a loopback port"));
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let serving = Arc::clone(&server);
        let thread = thread::spawn(move || {
            for request in serving.incoming_requests() {
                let response = respond(&root, request.url());
                let _ = request.respond(response);
            }
        });
        StaticServer {
            base_url: format!("http://127.0.0.1:{port}{SUB_PATH}"),
            server,
            thread: Some(thread),
        }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn respond(root: &Path, url: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let Some(relative) = path.strip_prefix(SUB_PATH) else {
        return tiny_http::Response::from_string("not found").with_status_code(404);
    };
    let relative = if relative.is_empty() {
        "index.html"
    } else {
        relative
    };
    let candidate = Path::new(relative);
    if candidate
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return tiny_http::Response::from_string("bad path").with_status_code(400);
    }
    match std::fs::read(root.join(candidate)) {
        Ok(body) => {
            let content_type = match candidate.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript",
                Some("wasm") => "application/wasm",
                Some("css") => "text/css",
                Some("svg") => "image/svg+xml",
                _ => "application/octet-stream",
            };
            let header = tiny_http::Header::from_bytes("Content-Type", content_type)
                .expect("a valid header");
            tiny_http::Response::from_data(body).with_header(header)
        }
        Err(_) => tiny_http::Response::from_string("not found").with_status_code(404),
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
        let child = Command::new(&binary)
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
