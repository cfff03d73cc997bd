//! The daily salts keying the visitor hashes: random, one per UTC day, held in
//! memory (and in Redis with a 25-hour expiry when the sessions are there, so
//! every instance hashes a visitor alike). Yesterday's is kept until 01:00 UTC,
//! then forgotten; no salt lives longer than 25 hours, so a hash cannot be
//! recomputed, nor linked to the next day's.

use std::sync::Mutex;

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// A salt: its day, its key, and when this process made or fetched it.
#[derive(Clone, Copy, Debug)]
struct Salt {
    day: NaiveDate,
    key: (u64, u64),
    since: DateTime<Utc>,
}

/// How long past its day's end a salt is kept.
pub const GRACE: Duration = Duration::hours(1);

/// The salts this process holds.
#[derive(Default)]
pub struct Salts(Mutex<Vec<Salt>>);

impl Salts {
    /// The salt of `now`'s day; made here when `make` (the memory store), else
    /// only once fetched from Redis ([`Salts::put`]).
    pub fn today(&self, now: DateTime<Utc>, make: bool) -> Option<(u64, u64)> {
        let day = now.date_naive();
        let mut salts = self.0.lock().ok()?;
        if let Some(salt) = salts.iter().find(|s| s.day == day) {
            return Some(salt.key);
        }
        if !make {
            return None;
        }
        let key = rand::random();
        salts.push(Salt {
            day,
            key,
            since: now,
        });
        Some(key)
    }

    /// Holds `key` as `day`'s salt (fetched from Redis), replacing any other.
    pub fn put(&self, day: NaiveDate, key: (u64, u64), now: DateTime<Utc>) {
        if let Ok(mut salts) = self.0.lock() {
            match salts.iter_mut().find(|s| s.day == day) {
                Some(salt) => salt.key = key,
                None => salts.push(Salt {
                    day,
                    key,
                    since: now,
                }),
            }
        }
    }

    /// Forgets the salts of days before today, yesterday's once it is 01:00.
    pub fn prune(&self, now: DateTime<Utc>) {
        let today = now.date_naive();
        let midnight = today.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        let past_grace = now - GRACE >= midnight;
        if let Ok(mut salts) = self.0.lock() {
            salts.retain(|s| s.day == today || (!past_grace && s.day.succ_opt() == Some(today)));
        }
    }

    /// How old the oldest salt held is at `now` (never more than 25 hours once
    /// pruned).
    pub fn oldest(&self, now: DateTime<Utc>) -> Option<Duration> {
        let salts = self.0.lock().ok()?;
        salts.iter().map(|s| now - s.since).max()
    }

    /// The days whose salts are held.
    #[cfg(test)]
    fn days(&self) -> Vec<NaiveDate> {
        self.0
            .lock()
            .map(|s| s.iter().map(|s| s.day).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn no_salt_outlives_twenty_five_hours_across_a_day_change() {
        let salts = Salts::default();
        let midnight = Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap();
        let first = salts.today(midnight, true).unwrap();
        assert_eq!(
            salts.today(midnight + Duration::hours(23), true),
            Some(first)
        );
        // Past midnight: a new salt, yesterday's kept for an hour.
        let next = midnight + Duration::hours(24) + Duration::minutes(30);
        let second = salts.today(next, true).unwrap();
        assert_ne!(first, second, "each day its own random salt");
        salts.prune(next);
        assert_eq!(salts.days().len(), 2);
        let later = midnight + Duration::hours(25) + Duration::seconds(1);
        salts.prune(later);
        assert_eq!(salts.days(), [later.date_naive()]);
        // Every minute of two simulated days: nothing held is older than 25 hours.
        let salts = Salts::default();
        for minute in 0..(2 * 24 * 60) {
            let now = midnight + Duration::minutes(minute);
            salts.today(now, true);
            salts.prune(now);
            assert!(salts.oldest(now).unwrap() <= Duration::hours(25), "{now}");
        }
    }

    #[test]
    fn without_make_a_salt_is_only_what_redis_gave() {
        let salts = Salts::default();
        let now = Utc::now();
        assert_eq!(salts.today(now, false), None);
        salts.put(now.date_naive(), (1, 2), now);
        assert_eq!(salts.today(now, false), Some((1, 2)));
    }
}
