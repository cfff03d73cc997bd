//! Secrets stay secret: a key file others can read stops the launch; no session id
//! reaches a log line.

use std::process::{Command, Stdio};

use crate::support::process::*;
use crate::support::*;

#[rocket::async_test]
#[cfg(unix)]
async fn a_secret_key_readable_by_others_stops_the_launch() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("secret.key");
    std::fs::write(&key, KEY_B).unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    // Without a configured key the file is used, and refused.
    let figment = rocket::Config::figment()
        .merge(("log_level", "off"))
        .merge(("session.data_dir", dir.path()));
    match tailor::build(figment).ignite().await {
        Ok(_) => panic!("a world-readable key file was used"),
        Err(e) => {
            let _ = e.kind();
        }
    }
    let output = Command::new(env!("CARGO_BIN_EXE_tailor"))
        .env("ROCKET_PORT", free_port().to_string())
        .env(
            "ROCKET_SESSION",
            format!("{{data_dir=\"{}\"}}", dir.path().display()),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("chmod 600") && said.contains("secret.key"),
        "{said}"
    );
}

#[rocket::async_test]
async fn no_session_id_reaches_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let log = dir.path().join("tailor.log");
    let file = std::fs::File::create(&log).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_tailor"));
    command
        .env("ROCKET_PORT", port.to_string())
        .env("ROCKET_ADDRESS", "127.0.0.1")
        .env("ROCKET_SECRET_KEY", KEY_A)
        // `normal`, the level of `cargo run` (Rocket's `debug` prints every header,
        // cookies included: docs/security.md warns against it in production).
        .env("ROCKET_LOG_LEVEL", "normal")
        .env(
            "ROCKET_SESSION",
            format!("{{data_dir=\"{}\"}}", dir.path().display()),
        )
        .stdout(file.try_clone().unwrap())
        .stderr(file);
    let server = Process(command.spawn().unwrap());
    wait_until("tailor", || answers(port, "/healthz")).await;
    let b = HttpBrowser::default();
    let mut ids = Vec::new();
    let registered = b
        .submit(
            port,
            "/register",
            "/register",
            &[
                ("username", "logged"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(registered.status(), reqwest::StatusCode::SEE_OTHER);
    for path in [
        "/",
        "/account",
        "/api/v1/session",
        "/cart",
        "/nowhere",
        "//x",
    ] {
        b.get(port, path).await;
    }
    // Every id this browser held, opened from its cookies.
    if let Some(sealed) = b.cookie() {
        ids.extend(open(&sealed, "tailor_sid", KEY_A));
    }
    b.submit(port, "/account", "/logout", &[]).await;
    drop(server);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("GET /account"), "the log was written: {text}");
    for id in ids {
        assert!(!text.contains(&id), "the session id {id} is in the log");
    }
    assert!(!text.contains("tailor_sid="), "no cookie in the log");
}

#[rocket::async_test]
async fn hash_password_makes_a_hash_the_operator_pages_accept() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_tailor"))
        .arg("hash-password")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"s3cret\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let hash = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains("s3cret"));
    // The trailing newline of `echo` is not part of the password.
    let app = app_with(|f| {
        f.merge(("admin.user", "ops"))
            .merge(("admin.password", hash.clone()))
    })
    .await;
    let response = app
        .get("/admin/submissions")
        .header(operator())
        .dispatch()
        .await;
    assert_eq!(response.status(), rocket::http::Status::Ok);
    let wrong = app
        .get("/admin/submissions")
        .header(rocket::http::Header::new(
            "Authorization",
            "Basic b3BzOnMzY3JldAo=", // "ops:s3cret\n"
        ))
        .dispatch()
        .await;
    assert_eq!(wrong.status(), rocket::http::Status::Unauthorized);
}
