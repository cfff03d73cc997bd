//! Counts of the visitors who have not chosen yet (`tracking.cookieless_counts`,
//! off by default; opt-in mode only). A page view of a visitor who has made no
//! choice, sends neither GPC nor DNT and is not a known bot adds one to its path's
//! count, and a keyed hash of (client address cut to /24 or /48, User-Agent, host)
//! to the day's HyperLogLog, keyed by the day's random salt ([`salt`]). Known bots
//! are counted apart. Nothing per visitor is stored, no cookie set, no session
//! made; every ten seconds the counts go to the database, merged with the other
//! instances'. The campaign report shows them apart from the tracked figures, as
//! estimates.

mod counter;
pub mod hll;
pub mod salt;

pub use counter::Counter;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::Hasher;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration as Every;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use redis::AsyncCommands;
use rocket::fairing::{Fairing, Info, Kind};
use rocket::http::Status;
use rocket::{Orbit, Request, Response, Rocket};
use serde::Serialize;
use siphasher::sip::SipHasher13;

use crate::data::undecided::UndecidedDelta;
use crate::data::Db;
use crate::limits::{client_address, Redis, TrustedProxies};
use hll::Hll;
use salt::Salts;

/// Distinct paths counted per day by one instance; the rest count as `(other)`.
pub const MAX_PATHS: usize = 500;

/// How often the counts go to the database.
const TICK: Every = Every::from_secs(10);

/// Ticks between purges (an hour), and the days a day's counts are kept.
const PURGE_EVERY: u64 = 360;
const KEEP_DAYS: i64 = 400;

/// A Redis salt's lifetime: its day and the hour after.
const SALT_SECS: u64 = 25 * 3600;

#[derive(Default)]
struct Day {
    visitors: Hll,
    page_views: i64,
    bot_views: i64,
    paths: HashMap<Box<str>, i64>,
}

/// The counts (managed state while `tracking.cookieless_counts` is on).
pub struct Undecided {
    salts: Salts,
    /// The shared salt's home when the sessions are in Redis.
    redis: Option<Redis>,
    days: Mutex<BTreeMap<NaiveDate, Day>>,
    /// The paths counted today, by this instance (at most [`MAX_PATHS`]).
    known: Mutex<(NaiveDate, HashSet<Box<str>>)>,
}

/// An address cut to its /24 (IPv4) or /48 (IPv6): the household or the office,
/// not the device.
pub fn truncated(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            IpAddr::from([a, b, c, 0])
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::from([s[0], s[1], s[2], 0, 0, 0, 0, 0])
        }
    }
}

/// The keyed hash counted for a visitor.
pub fn visitor_hash(salt: (u64, u64), ip: IpAddr, agent: &str, host: &str) -> u64 {
    let mut h = SipHasher13::new_with_keys(salt.0, salt.1);
    match truncated(ip) {
        IpAddr::V4(v4) => h.write(&v4.octets()),
        IpAddr::V6(v6) => h.write(&v6.octets()),
    }
    for part in [agent, host] {
        h.write_usize(part.len());
        h.write(part.as_bytes());
    }
    h.finish()
}

/// One day as the report shows it.
#[derive(Clone, Debug, Serialize)]
pub struct UndecidedRow {
    pub day: NaiveDate,
    /// Estimated unique visitors.
    pub visitors: u64,
    pub page_views: i64,
    pub bot_views: i64,
}

impl Undecided {
    pub fn new(redis: Option<Redis>) -> Self {
        Undecided {
            salts: Salts::default(),
            redis,
            days: Mutex::new(BTreeMap::new()),
            known: Mutex::new((NaiveDate::default(), HashSet::new())),
        }
    }

    /// Counts a page view of `path` by an undecided visitor.
    pub fn count(&self, request: &Request<'_>, path: &str) {
        let now = Utc::now();
        let agent = crate::http::header(request, "User-Agent").unwrap_or_default();
        let Ok(mut days) = self.days.lock() else {
            return;
        };
        let day = days.entry(now.date_naive()).or_default();
        if crate::http::bot_agent(agent) {
            day.bot_views += 1;
            return;
        }
        day.page_views += 1;
        let key = if self.known_path(now.date_naive(), path) {
            path
        } else {
            "(other)"
        };
        *day.paths.entry(key.into()).or_default() += 1;
        let trusted = request
            .rocket()
            .state::<TrustedProxies>()
            .map_or(&[][..], |t| &t.0);
        let salt = self.salts.today(now, self.redis.is_none());
        if let (Some(salt), Some(ip)) = (salt, client_address(request, trusted)) {
            let host = crate::http::header(request, "Host").unwrap_or_default();
            day.visitors.add(visitor_hash(salt, ip, agent, host));
        }
    }

    /// Whether `path` has its own row today (the first [`MAX_PATHS`] do).
    fn known_path(&self, today: NaiveDate, path: &str) -> bool {
        let Ok(mut known) = self.known.lock() else {
            return false;
        };
        if known.0 != today {
            *known = (today, HashSet::new());
        }
        if known.1.contains(path) {
            return true;
        }
        known.1.len() < MAX_PATHS && known.1.insert(path.into())
    }

    /// Every ten seconds: today's salt from Redis (made there if missing, with its
    /// 25-hour expiry), the salts past their keeping forgotten, the counts added
    /// to the database.
    pub async fn tick(&self, db: &Db, now: DateTime<Utc>) {
        if let Some(redis) = &self.redis {
            match shared_salt(redis, now.date_naive()).await {
                Ok(key) => self.salts.put(now.date_naive(), key, now),
                Err(e) => rocket::warn!("undecided counts: no salt from Redis: {e}"),
            }
        }
        self.salts.prune(now);
        self.flush(db).await;
    }

    /// Adds what is counted to the database (put back if it fails).
    pub async fn flush(&self, db: &Db) {
        let taken = self
            .days
            .lock()
            .map(|mut d| std::mem::take(&mut *d))
            .unwrap_or_default();
        for (date, day) in taken {
            let paths: Vec<(String, i64)> =
                day.paths.iter().map(|(p, n)| (p.to_string(), *n)).collect();
            let delta = UndecidedDelta {
                day: date,
                registers: day.visitors.bytes(),
                page_views: day.page_views,
                bot_views: day.bot_views,
                paths: &paths,
            };
            if let Err(e) = db.add_undecided(&delta).await {
                e.report();
                if let Ok(mut days) = self.days.lock() {
                    let kept = days.entry(date).or_default();
                    kept.visitors.merge(day.visitors.bytes());
                    kept.page_views += day.page_views;
                    kept.bot_views += day.bot_views;
                    for (p, n) in day.paths {
                        *kept.paths.entry(p).or_default() += n;
                    }
                }
            }
        }
    }
}

/// The day's salt in Redis: set once by whichever instance comes first.
async fn shared_salt(redis: &Redis, day: NaiveDate) -> redis::RedisResult<(u64, u64)> {
    let key = redis.key(&format!("undecided:salt:{day}"));
    let mut conn = redis.conn();
    let fresh: (u64, u64) = rand::random();
    let fresh = format!("{}:{}", fresh.0, fresh.1);
    let _: Option<String> = redis::cmd("SET")
        .arg(&key)
        .arg(&fresh)
        .arg("NX")
        .arg("EX")
        .arg(SALT_SECS)
        .query_async(&mut conn)
        .await?;
    let stored: String = conn.get(&key).await?;
    let (a, b) = stored.split_once(':').unwrap_or(("0", "0"));
    Ok((a.parse().unwrap_or(0), b.parse().unwrap_or(0)))
}

/// The report: the last days and the most viewed paths over them.
#[derive(Clone, Debug, Serialize)]
pub struct UndecidedReport {
    pub days: Vec<UndecidedRow>,
    pub paths: Vec<(String, i64)>,
}

/// The report of the last `days` days.
///
/// # Errors
/// [`DataError`](crate::data::DataError) when the database fails.
pub async fn report(db: &Db, days: i64) -> Result<UndecidedReport, crate::data::DataError> {
    let since = Utc::now().date_naive() - Duration::days(days - 1);
    let rows = db
        .undecided_days(since)
        .await?
        .into_iter()
        .map(|d| UndecidedRow {
            day: d.day,
            visitors: Hll::from_bytes(&d.registers).estimate(),
            page_views: d.page_views,
            bot_views: d.bot_views,
        })
        .collect();
    Ok(UndecidedReport {
        days: rows,
        paths: db.undecided_paths(since, 10).await?,
    })
}

#[cfg(test)]
mod tests;
