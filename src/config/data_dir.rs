//! tailor's own directory: created readable by its owner only (0700), and the
//! files tailor writes in it (the SQLite database with its `-wal` and `-shm`,
//! the session snapshots) 0600: they hold password hashes, submitted forms and
//! session ids. An install from before this rule is mended at launch, with a log
//! line; the launch stops only if mending fails. The secret key is not mended:
//! a key others could read may have been read, so it stops the launch as ever.

use std::fs;
use std::path::Path;

use super::ConfigError;

/// Whether `name` is a file tailor writes in its data directory (besides the
/// key): the database and SQLite's companions, the session snapshots.
fn ours(name: &str) -> bool {
    name.starts_with("tailor.db") || name.starts_with(tailor_session::snapshot::FILE)
}

/// Creates `dir` (0700) if missing, and takes away what group and others may
/// do with it and with tailor's files in it.
///
/// # Errors
/// [`ConfigError::DataDir`] when the directory cannot be created or mended.
#[cfg(unix)]
pub fn secure(dir: &Path) -> Result<(), ConfigError> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    let failed = |source| ConfigError::DataDir {
        path: dir.to_owned(),
        source,
    };
    if !dir.exists() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(failed)?;
        return Ok(());
    }
    let mode = fs::metadata(dir).map_err(failed)?.permissions().mode();
    // A shared directory (sticky, like /tmp) is not tailor's to close.
    if mode & 0o1000 != 0 {
        rocket::warn!(
            "session.data_dir {} is a shared directory (mode {:o}): give tailor a directory \
             of its own",
            dir.display(),
            mode & 0o7777
        );
    } else {
        mend(dir, mode, 0o700).map_err(failed)?;
    }
    for entry in fs::read_dir(dir).map_err(failed)? {
        let entry = entry.map_err(failed)?;
        let name = entry.file_name();
        let is_file = entry.file_type().map_err(failed)?.is_file();
        if is_file && name.to_str().is_some_and(ours) {
            let mode = entry.metadata().map_err(failed)?.permissions().mode();
            mend(&entry.path(), mode, 0o600).map_err(failed)?;
        }
    }
    Ok(())
}

/// Sets `path` to `private` when group or others have any right on it.
#[cfg(unix)]
fn mend(path: &Path, mode: u32, private: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if mode & 0o077 == 0 {
        return Ok(());
    }
    fs::set_permissions(path, fs::Permissions::from_mode(private))?;
    rocket::warn!(
        "{} was readable by others (mode {:o}): now {private:o}",
        path.display(),
        mode & 0o777
    );
    Ok(())
}

#[cfg(not(unix))]
pub fn secure(dir: &Path) -> Result<(), ConfigError> {
    fs::create_dir_all(dir).map_err(|source| ConfigError::DataDir {
        path: dir.to_owned(),
        source,
    })
}
