//! The bounded pool every argon2 computation runs on: login, registration,
//! password change, account deletion and the operators' password when it is given
//! as a hash.
//!
//! argon2 is slow and takes 19 MiB by design; run unbounded (on the async workers,
//! or one blocking thread per request) a few dozen wrong passwords stall every
//! page. Here at most `cores − 1` hashes run at once (at least 1), off the async
//! workers, and a short queue waits behind them; a request beyond the queue is
//! refused at once ([`Busy`]: 503 with `Retry-After`), never left hanging, so the
//! rest of the site keeps answering under a hashing flood.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use rocket::tokio::sync::Semaphore;

/// The pool was full: the request is refused, to be tried again shortly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the server is busy checking passwords; try again in a moment")]
pub struct Busy;

/// Seconds a refused request is asked to wait.
pub const RETRY_AFTER_SECS: u64 = 2;

/// The pool.
pub struct HashPool {
    running: Semaphore,
    /// Requests holding or waiting for a slot.
    admitted: AtomicUsize,
    /// Most requests admitted at once: the slots and the queue behind them.
    max_admitted: usize,
}

impl HashPool {
    /// A pool running `slots` hashes at once, with `queue` more waiting.
    pub fn new(slots: usize, queue: usize) -> Self {
        let slots = slots.max(1);
        HashPool {
            running: Semaphore::new(slots),
            admitted: AtomicUsize::new(0),
            max_admitted: slots + queue,
        }
    }

    /// The process's pool: cores − 1 slots (at least 1), 8 waiting per slot.
    pub fn global() -> &'static HashPool {
        static POOL: OnceLock<HashPool> = OnceLock::new();
        POOL.get_or_init(|| {
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            let slots = cores.saturating_sub(1).max(1);
            HashPool::new(slots, 8 * slots)
        })
    }

    /// Runs `work` on a blocking thread once a slot is free.
    ///
    /// # Errors
    /// [`Busy`] at once when the slots and the queue are all taken.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let admitted = self.admitted.fetch_add(1, Ordering::AcqRel);
        let _leave = Leave(&self.admitted);
        if admitted >= self.max_admitted {
            return Err(Busy);
        }
        let _slot = self.running.acquire().await.map_err(|_| Busy)?;
        rocket::tokio::task::spawn_blocking(work)
            .await
            .map_err(|_| Busy)
    }

    /// How many requests hold or wait for a slot now.
    pub fn admitted(&self) -> usize {
        self.admitted.load(Ordering::Acquire)
    }
}

/// Gives the admission back however the request ends (done, refused, dropped).
struct Leave<'a>(&'a AtomicUsize);

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Hashes a password with argon2id on the pool.
///
/// # Errors
/// [`Busy`] when the pool is full (or the hash could not be made).
pub async fn hash_password(password: String) -> Result<String, Busy> {
    let hashed = HashPool::global()
        .run(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .ok()
                .map(|h| h.to_string())
        })
        .await?;
    hashed.ok_or(Busy)
}

/// A hash of nothing anyone knows, verified against when the user does not exist,
/// so an unknown user costs the same time as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(tailor_session::random_token(32).as_bytes(), &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Verifies a password against a PHC hash (or the decoy when `hash` is `None`,
/// which never verifies) on the pool.
///
/// # Errors
/// [`Busy`] when the pool is full.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool, Busy> {
    HashPool::global()
        .run(move || {
            let known = hash.is_some();
            let hash = hash.unwrap_or_else(|| decoy_hash().to_owned());
            let ok = PasswordHash::new(&hash).is_ok_and(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            });
            ok && known
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    #[rocket::async_test]
    async fn passwords_verify_and_the_decoy_never_does() {
        let hash = hash_password("correct horse".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert_eq!(
            verify_password("correct horse".into(), Some(hash.clone())).await,
            Ok(true)
        );
        assert_eq!(
            verify_password("wrong horse".into(), Some(hash)).await,
            Ok(false)
        );
        assert_eq!(verify_password("anything".into(), None).await, Ok(false));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn beyond_the_slots_and_the_queue_requests_are_refused_at_once() {
        let pool = Arc::new(HashPool::new(1, 2));
        let slow = || std::thread::sleep(Duration::from_millis(200));
        let held: Vec<_> = (0..3)
            .map(|_| {
                let pool = pool.clone();
                tokio::spawn(async move { pool.run(slow).await })
            })
            .collect();
        while pool.admitted() < 3 {
            tokio::task::yield_now().await;
        }
        let started = std::time::Instant::now();
        assert_eq!(pool.run(|| ()).await, Err(Busy));
        assert!(
            started.elapsed() < Duration::from_millis(50),
            "refused at once"
        );
        for task in held {
            assert_eq!(task.await.unwrap(), Ok(()));
        }
        assert_eq!(pool.admitted(), 0);
        assert_eq!(pool.run(|| 7).await, Ok(7));
    }
}
