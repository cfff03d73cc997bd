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
//!
//! Each hash runs on a thread of its own at a lower priority (nice 10), so on a
//! busy core the requests' threads come first: a login's 40 ms of argon2 holds
//! up the page views around it much less, and when the core is saturated the
//! logins slow down instead, to about a tenth of the core.
//!
//! One slot of those (an extra one on a machine with a single slot) is a lane of
//! its own for the logins of browsers holding a device cookie of the account
//! ([`Lane::Trusted`]): a flood of registrations or guesses fills the common lane
//! but never the owner's.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

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

/// Which part of the pool a hash may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// Everyone's.
    Common,
    /// A login from a browser with the account's device cookie: the reserved
    /// lane first, the common one when the reserved one is full.
    Trusted,
}

/// Slots running hashes and the requests admitted to wait for them.
struct Queue {
    /// Held by the hash's thread, so a request that goes away mid-hash does not
    /// free its slot before the hash ends.
    running: Arc<Semaphore>,
    /// Requests holding or waiting for a slot.
    admitted: AtomicUsize,
    /// Most requests admitted at once: the slots and the queue behind them.
    max_admitted: usize,
}

impl Queue {
    fn new(slots: usize, queue: usize) -> Self {
        let slots = slots.max(1);
        Queue {
            running: Arc::new(Semaphore::new(slots)),
            admitted: AtomicUsize::new(0),
            max_admitted: slots + queue,
        }
    }

    /// A place in this queue, if it has one free.
    fn admit(&self) -> Option<Leave<'_>> {
        let admitted = self.admitted.fetch_add(1, Ordering::AcqRel);
        let leave = Leave(&self.admitted);
        (admitted < self.max_admitted).then_some(leave)
    }
}

/// The pool.
pub struct HashPool {
    common: Queue,
    reserved: Queue,
}

impl HashPool {
    /// A pool running `slots` hashes at once, with `queue` more waiting; one of
    /// the slots (or one more, when `slots` is 1) is reserved for
    /// [`Lane::Trusted`], with a queue of 8.
    pub fn new(slots: usize, queue: usize) -> Self {
        let slots = slots.max(1);
        HashPool {
            common: Queue::new(slots.saturating_sub(1).max(1), queue),
            reserved: Queue::new(1, 8),
        }
    }

    /// A pool for this machine: cores − 1 slots (at least 1), 8 waiting per
    /// slot. The app keeps one in managed state.
    pub fn for_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let slots = cores.saturating_sub(1).max(1);
        HashPool::new(slots, 8 * slots)
    }

    /// Runs `work` on a blocking thread once a slot of `lane` is free.
    ///
    /// # Errors
    /// [`Busy`] at once when the lane's slots and queue are all taken.
    pub async fn run<T: Send + 'static>(
        &self,
        lane: Lane,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let (queue, _leave) = match lane {
            Lane::Trusted => match self.reserved.admit() {
                Some(leave) => (&self.reserved, leave),
                None => (&self.common, self.common.admit().ok_or(Busy)?),
            },
            Lane::Common => (&self.common, self.common.admit().ok_or(Busy)?),
        };
        let slot = queue
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Busy)?;
        let (done, result) = rocket::tokio::sync::oneshot::channel();
        std::thread::Builder::new()
            .name("tailor-hash".into())
            .spawn(move || {
                lower_priority();
                let _ = done.send(work());
                drop(slot);
            })
            .map_err(|_| Busy)?;
        result.await.map_err(|_| Busy)
    }

    /// How many requests hold or wait for a slot now, in both lanes.
    pub fn admitted(&self) -> usize {
        self.common.admitted.load(Ordering::Acquire)
            + self.reserved.admitted.load(Ordering::Acquire)
    }
}

/// How much lower than the requests' threads a hash runs: nice 10 weighs about a
/// tenth of nice 0, so on a busy core the requests' threads get about 90 % of it
/// and take it back within a fraction of a millisecond; a hash still gets its
/// tenth, so logins slow down on a saturated core but are never starved (Linux's
/// `SCHED_IDLE` starved them: a login a second during a flood piled up until the
/// account's limit of checks in flight refused them).
const HASH_NICENESS: i32 = 10;

/// Lowers the calling thread's priority by [`HASH_NICENESS`] (to nice 19 at
/// most). Each hash runs on a thread of its own, started for it (a thread costs
/// microseconds, a hash tens of milliseconds), so no thread that runs anything
/// else is left at this priority.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: plain system calls on the calling thread (its id from gettid);
        // on failure the hash runs at the process's priority.
        unsafe {
            let thread = libc::gettid() as libc::id_t;
            let nice = libc::getpriority(libc::PRIO_PROCESS, thread);
            libc::setpriority(libc::PRIO_PROCESS, thread, (nice + HASH_NICENESS).min(19));
        }
    }
}

/// Gives the admission back however the request ends (done, refused, dropped).
struct Leave<'a>(&'a AtomicUsize);

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl HashPool {
    /// Hashes a password with argon2id on the common lane.
    ///
    /// # Errors
    /// [`Busy`] when the lane is full (or the hash could not be made).
    pub async fn hash_password(&self, password: String) -> Result<String, Busy> {
        let hashed = self
            .run(Lane::Common, move || {
                let salt = SaltString::generate(&mut OsRng);
                Argon2::default()
                    .hash_password(password.as_bytes(), &salt)
                    .ok()
                    .map(|h| h.to_string())
            })
            .await?;
        hashed.ok_or(Busy)
    }

    /// Verifies a password against a PHC hash (or the decoy when `hash` is
    /// `None`, which never verifies) on `lane`.
    ///
    /// # Errors
    /// [`Busy`] when the lane is full.
    pub async fn verify_password(
        &self,
        password: String,
        hash: Option<String>,
        lane: Lane,
    ) -> Result<bool, Busy> {
        self.run(lane, move || {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    #[rocket::async_test]
    async fn passwords_verify_and_the_decoy_never_does() {
        let pool = HashPool::new(1, 1);
        let hash = pool.hash_password("correct horse".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert_eq!(
            pool.verify_password("correct horse".into(), Some(hash.clone()), Lane::Common)
                .await,
            Ok(true)
        );
        assert_eq!(
            pool.verify_password("wrong horse".into(), Some(hash), Lane::Trusted)
                .await,
            Ok(false)
        );
        assert_eq!(
            pool.verify_password("anything".into(), None, Lane::Common)
                .await,
            Ok(false)
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn beyond_the_slots_and_the_queue_requests_are_refused_at_once() {
        let pool = Arc::new(HashPool::new(1, 2));
        let slow = || std::thread::sleep(Duration::from_millis(200));
        let held: Vec<_> = (0..3)
            .map(|_| {
                let pool = pool.clone();
                tokio::spawn(async move { pool.run(Lane::Common, slow).await })
            })
            .collect();
        while pool.admitted() < 3 {
            tokio::task::yield_now().await;
        }
        let started = std::time::Instant::now();
        assert_eq!(pool.run(Lane::Common, || ()).await, Err(Busy));
        assert!(
            started.elapsed() < Duration::from_millis(50),
            "refused at once"
        );
        // The owner's lane is free while the common one is full.
        assert_eq!(pool.run(Lane::Trusted, || 5).await, Ok(5));
        for task in held {
            assert_eq!(task.await.unwrap(), Ok(()));
        }
        assert_eq!(pool.admitted(), 0);
        assert_eq!(pool.run(Lane::Common, || 7).await, Ok(7));
    }

    #[cfg(target_os = "linux")]
    #[rocket::async_test]
    async fn hashes_run_at_lower_priority_and_leave_no_other_thread_there() {
        let nice =
            || unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) };
        let ours = nice();
        let pool = HashPool::new(2, 2);
        for lane in [Lane::Common, Lane::Trusted] {
            assert_eq!(
                pool.run(lane, nice).await,
                Ok((ours + HASH_NICENESS).min(19))
            );
        }
        assert_eq!(nice(), ours, "the request's thread");
        let blocking = rocket::tokio::task::spawn_blocking(nice).await.unwrap();
        assert_eq!(blocking, ours, "tokio's blocking threads");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_request_gone_mid_hash_keeps_its_slot_until_the_hash_ends() {
        let pool = Arc::new(HashPool::new(1, 4));
        let started = std::time::Instant::now();
        let slow = || std::thread::sleep(Duration::from_millis(300));
        let gone = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.run(Lane::Common, slow).await })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        gone.abort(); // the client went away; its hash is still running
        let _ = gone.await;
        let next = pool.run(Lane::Common, move || started.elapsed()).await;
        assert!(next.unwrap() >= Duration::from_millis(300), "ran beside it");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_full_reserved_lane_overflows_into_the_common_one() {
        let pool = Arc::new(HashPool::new(4, 0));
        let slow = || std::thread::sleep(Duration::from_millis(200));
        // The reserved lane: 1 slot and 8 waiting.
        let held: Vec<_> = (0..9)
            .map(|_| {
                let pool = pool.clone();
                tokio::spawn(async move { pool.run(Lane::Trusted, slow).await })
            })
            .collect();
        while pool.admitted() < 9 {
            tokio::task::yield_now().await;
        }
        assert_eq!(pool.run(Lane::Trusted, || 1).await, Ok(1));
        for task in held {
            assert_eq!(task.await.unwrap(), Ok(()));
        }
    }
}
