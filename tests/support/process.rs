//! Real tailor processes (the built binary) and real servers for tests that
//! cross process boundaries: restarts, crashes, several instances.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::support::KEY_A;

/// A free loopback port.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A child process killed when dropped.
pub struct Process(pub Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Process {
    /// `kill -9`: no shutdown code runs.
    pub fn crash(mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }

    /// SIGTERM, then waits for the process to end (a graceful stop).
    pub fn terminate(mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.0.id().to_string())
            .status();
        let _ = self.0.wait();
    }
}

/// Polls `ready` every 100 ms for up to 10 s.
pub async fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    for _ in 0..100 {
        if ready() {
            return;
        }
        rocket::tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what} did not come up");
}

/// Whether `GET path` on the port answers 200 (or a Redis `PONG`).
pub fn answers(port: u16, path: &str) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n");
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    reply.starts_with("HTTP/1.1 200")
        || reply.starts_with("HTTP/1.0 200")
        || reply.starts_with("+PONG")
}

/// A tailor process on `port` with data directory `data_dir`, the test key,
/// and `env` (`ROCKET_*` settings); returns once `/healthz` answers.
pub async fn tailor(port: u16, data_dir: &Path, env: &[(&str, String)]) -> Process {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tailor"));
    command
        .env("ROCKET_PORT", port.to_string())
        .env("ROCKET_ADDRESS", "127.0.0.1")
        .env("ROCKET_SECRET_KEY", KEY_A)
        .env("ROCKET_LOG_LEVEL", "off")
        .env("ROCKET_PROFILE", "debug")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut session = format!("data_dir=\"{}\"", data_dir.display());
    for (key, value) in env {
        if *key == "ROCKET_SESSION" {
            session = format!("{session},{value}");
        } else {
            command.env(key, value);
        }
    }
    command.env("ROCKET_SESSION", format!("{{{session}}}"));
    let process = Process(command.spawn().expect("tailor starts"));
    wait_until("tailor", || answers(port, "/healthz")).await;
    process
}

/// A PostgreSQL cluster of the test's own (through `scripts/postgres`), so it can
/// be stopped and started under a running tailor.
pub struct OwnPostgres {
    pub port: u16,
    dir: tempfile::TempDir,
}

impl OwnPostgres {
    fn script() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/postgres")
    }

    /// A cluster of the test's own; `None` (announced) without PostgreSQL.
    pub fn start() -> Option<OwnPostgres> {
        if !has_postgres() {
            tailor_session::conformance::skip(
                "PostgreSQL",
                "install PostgreSQL (Debian: apt-get install postgresql)",
            );
            return None;
        }
        let pg = OwnPostgres {
            port: free_port(),
            dir: tempfile::tempdir().unwrap(),
        };
        if !pg.run("start") {
            // Installed but not startable here (no `runuser` as root, say).
            tailor_session::conformance::skip(
                "PostgreSQL",
                "scripts/postgres could not start a cluster (its output is above)",
            );
            return None;
        }
        Some(pg)
    }

    /// Runs `scripts/postgres <what>` on this cluster; whether it succeeded.
    fn run(&self, what: &str) -> bool {
        let mut command = Command::new(Self::script());
        command.arg(what).arg(self.dir.path().join("cluster"));
        if what == "start" {
            command.arg(self.port.to_string());
        }
        command.status().is_ok_and(|s| s.success())
    }

    /// The URL of its `postgres` database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    pub fn stop(&self) {
        assert!(self.run("stop"), "PostgreSQL stops");
    }

    pub fn resume(&self) {
        assert!(self.run("start"), "PostgreSQL starts");
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        self.run("stop");
    }
}

/// A browser talking HTTP to a real tailor process: it keeps its session cookie
/// and does not follow redirects (tests look at the 303s).
pub struct HttpBrowser {
    http: reqwest::Client,
    cookie: std::sync::Mutex<Option<String>>,
}

impl Default for HttpBrowser {
    fn default() -> Self {
        HttpBrowser {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookie: std::sync::Mutex::new(None),
        }
    }
}

impl HttpBrowser {
    /// The sealed session cookie this browser holds.
    pub fn cookie(&self) -> Option<String> {
        self.cookie.lock().unwrap().clone()
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> reqwest::Response {
        let cookie = self.cookie.lock().unwrap().clone();
        let request = match cookie {
            Some(c) => request.header("Cookie", format!("tailor_sid={c}")),
            None => request,
        };
        let response = request.send().await.expect("tailor answers");
        for header in response.headers().get_all("set-cookie") {
            let text = header.to_str().unwrap_or_default();
            if let Some(rest) = text.strip_prefix("tailor_sid=") {
                let value = rest.split(';').next().unwrap_or_default();
                let cleared = value.is_empty() || text.contains("Max-Age=0");
                *self.cookie.lock().unwrap() = (!cleared).then(|| value.to_owned());
            }
        }
        response
    }

    pub async fn get(&self, port: u16, path: &str) -> reqwest::Response {
        self.send(self.http.get(format!("http://127.0.0.1:{port}{path}")))
            .await
    }

    pub async fn text(&self, port: u16, path: &str) -> String {
        self.get(port, path).await.text().await.unwrap_or_default()
    }

    /// Reads the CSRF token from `page`, then posts `pairs` (and the token) to `path`.
    pub async fn submit(
        &self,
        port: u16,
        page: &str,
        path: &str,
        pairs: &[(&str, &str)],
    ) -> reqwest::Response {
        let token = crate::support::csrf_token(&self.text(port, page).await);
        let mut pairs = pairs.to_vec();
        pairs.push(("csrf_token", &token));
        let body = crate::support::form(&pairs);
        let request = self
            .http
            .post(format!("http://127.0.0.1:{port}{path}"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(request).await
    }

    pub async fn send_json(
        &self,
        port: u16,
        method: reqwest::Method,
        path: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        let request = self
            .http
            .request(method, format!("http://127.0.0.1:{port}{path}"))
            .json(body);
        self.send(request).await
    }
}

/// The text of an operator page of the process on `port`.
pub async fn operator_page(port: u16, path: &str) -> String {
    reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}{path}"))
        .basic_auth("ops", Some("s3cret"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// The operators' credentials for a process.
pub fn admin_env() -> (&'static str, String) {
    (
        "ROCKET_ADMIN",
        "{user=\"ops\",password=\"s3cret\"}".to_owned(),
    )
}

/// A redis-server of this test's own, persisting every write, so it can be stopped
/// and started again with its data.
pub struct OwnRedis {
    pub port: u16,
    dir: tempfile::TempDir,
    process: Option<Process>,
}

impl OwnRedis {
    /// A server of the test's own; `None` (announced) without redis-server.
    pub async fn start(port: u16, dir: tempfile::TempDir) -> Option<OwnRedis> {
        if !has_command("redis-server") {
            tailor_session::conformance::skip(
                "a redis-server of their own",
                "install redis-server (Debian: apt-get install redis-server)",
            );
            return None;
        }
        Some(OwnRedis::launch(port, dir).await)
    }

    async fn launch(port: u16, dir: tempfile::TempDir) -> OwnRedis {
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ])
            .arg("--dir")
            .arg(dir.path())
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server (installed by scripts/setup) starts");
        let redis = OwnRedis {
            port,
            dir,
            process: Some(Process(child)),
        };
        wait_until("redis-server", || answers_ping(port)).await;
        redis
    }

    pub fn stop(&mut self) {
        self.process = None;
    }

    pub async fn restart(mut self) -> OwnRedis {
        self.stop();
        let (port, dir) = (
            self.port,
            std::mem::replace(&mut self.dir, tempfile::tempdir().unwrap()),
        );
        OwnRedis::launch(port, dir).await
    }
}

pub fn answers_ping(port: u16) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let _ = stream.write_all(b"PING\r\n");
    let mut buf = [0u8; 7];
    stream
        .read(&mut buf)
        .is_ok_and(|n| buf[..n].starts_with(b"+PONG"))
}

/// Whether `name` is a command on the `PATH`.
pub fn has_command(name: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether PostgreSQL's server programs are installed (where Debian puts them).
pub fn has_postgres() -> bool {
    std::fs::read_dir("/usr/lib/postgresql").is_ok_and(|versions| {
        versions
            .flatten()
            .any(|v| v.path().join("bin/initdb").exists())
    })
}

/// Starts a throw-away cluster for the whole test process and returns its URL.
/// A shell holds it and stops it (and removes its directory) when its stdin
/// closes, that is when the test process ends, however it ends.
pub fn start_shared_postgres() -> Option<String> {
    use std::io::BufRead;
    let port = free_port();
    let script = format!(
        "dir=$(mktemp -d) && {} start \"$dir/cluster\" {port} >&2 && echo ready && read _; \
         {0} stop \"$dir/cluster\"; rm -rf \"$dir\"",
        OwnPostgres::script().display()
    );
    let mut child = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take()?)
        .read_line(&mut line)
        .ok()?;
    // Keep the stdin pipe open for the life of the process.
    std::mem::forget(child);
    (line.trim() == "ready").then(|| format!("postgres://postgres@127.0.0.1:{port}/postgres"))
}
