//! Configuration: bad settings stop the launch; the secret key is settled.

use rocket::figment::Figment;

use crate::support::*;

async fn ignite(figment: Figment) -> Result<rocket::Rocket<rocket::Ignite>, rocket::Error> {
    tailor::build(figment).ignite().await
}

#[rocket::async_test]
async fn bad_session_settings_stop_the_launch() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, rocket::figment::value::Value); 5] = [
        ("session.cookie_name", "has space".into()),
        ("session.idle_timeout_secs", 0.into()),
        ("session.store", "floppy".into()),
        ("session.capacity", "lots".into()),
        ("session.secret_keys_previous", vec!["short"].into()),
    ];
    for (key, value) in cases {
        let figment = figment(&dir).merge((key, value));
        assert!(refused(figment).await, "{key} was accepted");
    }
    let figment = figment(&dir).merge(("session.unknown_key", 1));
    assert!(refused(figment).await, "an unknown key was accepted");
}

#[rocket::async_test]
async fn a_bad_render_cache_size_stops_the_launch() {
    let dir = tempfile::tempdir().unwrap();
    let bad: [rocket::figment::value::Value; 3] = ["lots".into(), (-1).into(), 1.5.into()];
    for value in bad {
        let figment = figment(&dir).merge(("render_cache_bytes", value.clone()));
        assert!(
            refused(figment).await,
            "render_cache_bytes = {value:?} was accepted"
        );
    }
    let figment = figment(&dir).merge(("render_cache_bytes", 1 << 20));
    assert!(!refused(figment).await, "a size in bytes is accepted");
}

#[rocket::async_test]
async fn without_a_configured_key_one_is_generated_once_and_reused() {
    let dir = tempfile::tempdir().unwrap();
    let figment = || {
        rocket::Config::figment()
            .merge(("log_level", "off"))
            .merge(("session.data_dir", dir.path().join("nested")))
    };
    let first = ignite(figment()).await.unwrap();
    let key_file = dir.path().join("nested/secret.key");
    assert!(key_file.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the key file is readable by others");
    }
    let second = ignite(figment()).await.unwrap();
    assert!(first.config().secret_key.is_provided());
    assert!(
        first.config().secret_key == second.config().secret_key,
        "a restart changed the key"
    );
}

#[rocket::async_test]
async fn a_configured_key_wins_and_no_key_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let rocket = ignite(figment(&dir).merge(("secret_key", KEY_B)))
        .await
        .unwrap();
    assert!(!dir.path().join("secret.key").exists());
    let expected = rocket::Config::figment()
        .merge(("secret_key", KEY_B))
        .extract::<rocket::Config>()
        .unwrap();
    assert!(rocket.config().secret_key == expected.secret_key);
}

#[rocket::async_test]
async fn an_unreadable_key_file_stops_the_launch_and_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret.key"), "not a key").unwrap();
    let figment = rocket::Config::figment()
        .merge(("log_level", "off"))
        .merge(("session.data_dir", dir.path()));
    assert!(refused(figment).await);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("secret.key")).unwrap(),
        "not a key"
    );
}

#[rocket::async_test]
async fn a_malformed_or_unreachable_data_url_stops_the_launch_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    for url in [
        "mysql://root@localhost/tailor",
        "postgres://user:pw@host:notaport/db",
        "sqlite://",
        "tailor.db",
    ] {
        let figment = figment(&dir).merge(("data.url", url));
        let err = tailor::config::data_settings(&figment, dir.path())
            .unwrap_err()
            .to_string();
        assert!(err.contains("data.url"), "{url}: {err}");
        assert!(refused(figment).await, "{url} was accepted");
    }
    // Well formed, but nothing listens there: the launch stops too.
    let port = crate::support::process::free_port();
    let unreachable = format!("postgres://u:secret@127.0.0.1:{port}/db");
    assert!(refused(figment(&dir).merge(("data.url", unreachable))).await);
    let bad_sync = figment(&dir).merge(("data.synchronous", "sometimes"));
    assert!(
        refused(bad_sync).await,
        "a bad data.synchronous was accepted"
    );
}

#[rocket::async_test]
async fn the_settings_that_no_longer_do_anything_are_still_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let figment = figment(&dir)
        .merge(("accounts.orders_kept", 5))
        .merge(("drafts.submissions_kept", 5))
        .merge(("data.synchronous", "full"));
    assert!(!refused(figment).await);
    assert!(
        dir.path().join("tailor.db").exists(),
        "the embedded database is created"
    );
}

#[rocket::async_test]
async fn each_feature_reads_its_own_table_and_a_bad_one_stops_the_launch() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, rocket::figment::value::Value); 7] = [
        ("drafts.max_age_secs", 0.into()),
        ("drafts.unknown_key", 1.into()),
        ("tracking.history_size", 0.into()),
        ("tracking.consent", "maybe".into()),
        ("accounts.max_failures", 0.into()),
        ("admin.password", "$argon2id$v=19$m=abc$$".into()),
        ("ops.unknown_key", 1.into()),
    ];
    for (key, value) in cases {
        let figment = figment(&dir).merge((key, value));
        assert!(refused(figment).await, "{key} was accepted");
    }
    // The real binary says which key, and exits 1.
    let data = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tailor"))
        .env("ROCKET_PORT", "0")
        .env(
            "ROCKET_SESSION",
            format!("{{data_dir=\"{}\"}}", data.path().display()),
        )
        .env("ROCKET_DRAFTS", "{max_bytes=0}")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let said = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("drafts.max_bytes"), "{said}");
}
