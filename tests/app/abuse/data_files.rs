//! tailor's data directory is its owner's only: created 0700 with the database
//! and SQLite's `-wal` and `-shm` files 0600, and an install made before this
//! rule (directory 0755, files 0644) mended at launch.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use rocket::http::Status;

use crate::support::*;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// The app with its data in `dir`, after a registration (a database write, so
/// the WAL exists).
async fn used_app(dir: &Path) -> TestApp {
    let app = untracked_app_with(|f| f.merge(("session.data_dir", dir))).await;
    let b = Browser::new(&app);
    assert_eq!(
        b.register("private", "correct horse battery").await,
        Status::SeeOther
    );
    app
}

#[rocket::async_test]
async fn a_new_data_directory_and_its_database_are_the_owners_only() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("data");
    let _app = used_app(&dir).await;
    assert_eq!(mode(&dir), 0o700, "the directory");
    for name in ["tailor.db", "tailor.db-wal", "tailor.db-shm"] {
        assert_eq!(mode(&dir.join(name)), 0o600, "{name}");
    }
}

#[rocket::async_test]
async fn an_install_readable_by_others_is_mended_at_launch() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("data");
    drop(used_app(&dir).await);
    // As an earlier version left them.
    let set = |path: &Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    set(&dir, 0o755);
    for name in ["tailor.db", "tailor.db-wal", "tailor.db-shm"] {
        if dir.join(name).exists() {
            set(&dir.join(name), 0o644);
        }
    }
    std::fs::write(dir.join("sessions.snapshot.json"), "{}").unwrap();
    set(&dir.join("sessions.snapshot.json"), 0o644);
    std::fs::write(dir.join("notes.txt"), "the operator's").unwrap();
    set(&dir.join("notes.txt"), 0o644);

    let app = untracked_app_with(|f| f.merge(("session.data_dir", &dir))).await;
    assert_eq!(mode(&dir), 0o700, "the directory");
    for name in [
        "tailor.db",
        "tailor.db-wal",
        "tailor.db-shm",
        "sessions.snapshot.json",
    ] {
        let path = dir.join(name);
        if path.exists() {
            assert_eq!(mode(&path), 0o600, "{name}");
        }
    }
    assert_eq!(mode(&dir.join("notes.txt")), 0o644, "not tailor's file");
    // The account is still there.
    let b = Browser::new(&app);
    assert_eq!(
        b.login("private", "correct horse battery").await.status(),
        Status::SeeOther
    );
}
