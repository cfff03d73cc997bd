//! A Redis Cluster failover and a slot moved, each on a cluster of its own. The
//! failover: a master stopped while
//! writers are busy, its replica promoted, the stopped node started again (it
//! rejoins as the new master's replica). With `with_replicas(1, ..)` (`WAIT 1`)
//! no acknowledged write is lost; only writes to the failed master's slots fail
//! (until it has a replica again), the other masters' never do, and every
//! session takes writes again once it has.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tailor_session::conformance::{start_redis_cluster, Counter, REDIS_CLUSTER_SCRIPT};
use tailor_session::{RedisStore, SessionId, SessionStore};

/// A cluster of this test's own: its nodes' URLs, the first node's port, and
/// its directory (for `scripts/redis-cluster restart`); `None` when skipped.
fn own_cluster() -> Option<(Vec<String>, u16, String)> {
    let Some((urls, dir)) = start_redis_cluster() else {
        tailor_session::conformance::skip("a Redis Cluster", "install redis-server and redis-cli");
        return None;
    };
    let urls: Vec<String> = urls.split(',').map(str::to_owned).collect();
    let first = urls[0]
        .trim_end_matches('/')
        .rsplit(':')
        .next()?
        .parse()
        .ok()?;
    Some((urls, first, dir))
}

/// One line of `CLUSTER NODES`.
struct Node {
    id: String,
    port: u16,
    master: bool,
    failed: bool,
    /// A replica's master.
    of: String,
    /// A master's slot ranges.
    slots: Vec<(u16, u16)>,
}

fn sync_conn(port: u16) -> redis::RedisResult<redis::Connection> {
    let client = redis::Client::open(format!("redis://127.0.0.1:{port}/"))?;
    client.get_connection_with_timeout(Duration::from_millis(500))
}

fn nodes(port: u16) -> Vec<Node> {
    let text: String = redis::cmd("CLUSTER")
        .arg("NODES")
        .query(&mut sync_conn(port).unwrap())
        .unwrap();
    text.lines()
        .map(|line| {
            let f: Vec<&str> = line.split(' ').collect();
            let port = f[1].split(['@', ':']).nth(1).unwrap().parse().unwrap();
            let slots = f[8..]
                .iter()
                .filter(|s| !s.starts_with('['))
                .map(|s| match s.split_once('-') {
                    Some((a, b)) => (a.parse().unwrap(), b.parse().unwrap()),
                    None => (s.parse().unwrap(), s.parse().unwrap()),
                })
                .collect();
            Node {
                id: f[0].into(),
                port,
                master: f[2].contains("master"),
                failed: f[2].contains("fail") && !f[2].contains("fail?"),
                of: f[3].into(),
                slots,
            }
        })
        .collect()
}

fn info(port: u16, section: &str) -> String {
    sync_conn(port)
        .and_then(|mut c| redis::cmd("INFO").arg(section).query(&mut c))
        .unwrap_or_default()
}

/// One cluster at a time: the failover's timing (a node is failed after 1 s of
/// silence) must not depend on another cluster's load on the same cores.
static ONE_AT_A_TIME: rocket::tokio::sync::Mutex<()> = rocket::tokio::sync::Mutex::const_new(());

/// Waits (30 s at most) until `ok` holds.
async fn until(what: &str, mut ok: impl FnMut() -> bool) -> Instant {
    let start = Instant::now();
    while !ok() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "waited 10 s for {what}"
        );
        rocket::tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Instant::now()
}

fn cluster_ok(port: u16) -> bool {
    sync_conn(port)
        .and_then(|mut c| redis::cmd("CLUSTER").arg("INFO").query::<String>(&mut c))
        .is_ok_and(|info| info.contains("cluster_state:ok"))
}

fn has_online_replica(port: u16) -> bool {
    let replication = info(port, "replication");
    replication.contains("connected_slaves:1") && replication.contains("state=online")
}

/// What one writer did: per session, the increments acknowledged and tried, and
/// when each failure happened, to which session, and why.
#[derive(Default)]
struct Tally {
    acked: Vec<u64>,
    tried: Vec<u64>,
    failures: Vec<(Instant, usize, String)>,
}

async fn write_until(
    store: Arc<RedisStore<Counter>>,
    ids: Arc<Vec<SessionId>>,
    mine: Vec<usize>,
    stop: Arc<AtomicBool>,
) -> Tally {
    let mut tally = Tally {
        acked: vec![0; ids.len()],
        tried: vec![0; ids.len()],
        failures: Vec::new(),
    };
    while !stop.load(Ordering::Relaxed) {
        for &i in &mine {
            tally.tried[i] += 1;
            match store.update(&ids[i], &mut |c: &mut Counter| c.n += 1).await {
                Ok(Some(_)) => tally.acked[i] += 1,
                Ok(None) => panic!("session {i} vanished"),
                Err(e) => {
                    let reason = format!("{e:?}");
                    // The node's address varies from run to run.
                    let reason = reason.split(" 127.").next().unwrap_or_default().to_owned();
                    tally.failures.push((Instant::now(), i, reason))
                }
            }
        }
        rocket::tokio::time::sleep(Duration::from_millis(2)).await;
    }
    tally
}

#[rocket::async_test]
async fn a_failover_loses_no_write_acknowledged_by_a_replica() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let Some((urls, first, dir)) = own_cluster() else {
        return;
    };
    let masters: Vec<u16> = nodes(first)
        .iter()
        .filter(|n| n.master)
        .map(|n| n.port)
        .collect();
    until("every master's replica", || {
        masters.iter().all(|&p| has_online_replica(p))
    })
    .await;

    let idle = Duration::from_secs(600);
    let store = RedisStore::<Counter>::open_cluster(&urls, "failover:", idle)
        .unwrap()
        .with_replicas(1, Duration::from_millis(300));
    let store = Arc::new(store);
    let mut ids = Vec::new();
    for _ in 0..60 {
        let id = SessionId::generate();
        store.create(&id, &mut |_: &mut Counter| {}).await.unwrap();
        ids.push(id);
    }
    let ids = Arc::new(ids);

    // The victim: the master of the first session's slot.
    let mut conn = sync_conn(first).unwrap();
    let slot_of = |conn: &mut redis::Connection, id: &SessionId| -> u16 {
        redis::cmd("CLUSTER")
            .arg("KEYSLOT")
            .arg(format!("failover:session:{{{id}}}"))
            .query(conn)
            .unwrap()
    };
    let victim_slot = slot_of(&mut conn, &ids[0]);
    let cluster = nodes(first);
    let victim = cluster
        .iter()
        .find(|n| n.master && n.slots.iter().any(|&(a, b)| (a..=b).contains(&victim_slot)))
        .unwrap();
    let on_victim: HashSet<usize> = (0..ids.len())
        .filter(|&i| {
            let slot = slot_of(&mut conn, &ids[i]);
            victim.slots.iter().any(|&(a, b)| (a..=b).contains(&slot))
        })
        .collect();
    let (victim_id, victim_port) = (victim.id.clone(), victim.port);
    let survivor = cluster.iter().find(|n| n.port != victim_port).unwrap().port;

    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let mine = (w..ids.len()).step_by(4).collect();
            rocket::tokio::spawn(write_until(store.clone(), ids.clone(), mine, stop.clone()))
        })
        .collect();
    rocket::tokio::time::sleep(Duration::from_millis(500)).await;

    let killed = Instant::now();
    let _ = redis::cmd("SHUTDOWN")
        .arg("NOSAVE")
        .query::<()>(&mut sync_conn(victim_port).unwrap());
    let promoted = until("the replica's promotion", || {
        let now = nodes(survivor);
        now.iter().any(|n| n.id == victim_id && n.failed)
            && now.iter().any(|n| {
                n.master
                    && n.of == "-"
                    && n.slots.iter().any(|&(a, b)| (a..=b).contains(&victim_slot))
                    && n.id != victim_id
            })
            && cluster_ok(survivor)
    })
    .await;
    let new_master = nodes(survivor)
        .into_iter()
        .find(|n| {
            n.master && !n.failed && n.slots.iter().any(|&(a, b)| (a..=b).contains(&victim_slot))
        })
        .unwrap()
        .port;
    // Until the stopped node is back as its replica, writes there are not
    // acknowledged (no replica has them); then they are again.
    rocket::tokio::time::sleep(Duration::from_millis(500)).await;
    let status = std::process::Command::new(REDIS_CLUSTER_SCRIPT)
        .args(["restart", &dir, &victim_port.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let rejoined = until("the stopped node's return as a replica", || {
        has_online_replica(new_master)
    })
    .await;
    rocket::tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, Ordering::Relaxed);

    let mut tally = Tally {
        acked: vec![0; ids.len()],
        tried: vec![0; ids.len()],
        failures: Vec::new(),
    };
    for writer in writers {
        let t = writer.await.unwrap();
        for i in 0..ids.len() {
            tally.acked[i] += t.acked[i];
            tally.tried[i] += t.tried[i];
        }
        tally.failures.extend(t.failures);
    }
    let since = |t: Instant| t.duration_since(killed).as_millis();
    println!(
        "promoted after {} ms, replica back after {} ms; {} writes acknowledged, {} failed ({} of them on the stopped master's slots)",
        since(promoted),
        since(rejoined),
        tally.acked.iter().sum::<u64>(),
        tally.failures.len(),
        tally.failures.iter().filter(|(_, i, _)| on_victim.contains(i)).count(),
    );
    let mut reasons = std::collections::BTreeMap::new();
    for (_, _, reason) in &tally.failures {
        *reasons.entry(reason.as_str()).or_insert(0) += 1;
    }
    println!("failures by reason: {reasons:?}");
    // No acknowledged write lost: each counter holds at least its acknowledged
    // increments (and no more than were tried).
    for (i, id) in ids.iter().enumerate() {
        let n = store.load(id).await.unwrap().unwrap().n;
        assert!(
            n >= tally.acked[i] && n <= tally.tried[i],
            "session {i}: {n} stored, {} acknowledged, {} tried",
            tally.acked[i],
            tally.tried[i]
        );
    }
    // Only the stopped master's sessions failed.
    for (at, i, reason) in &tally.failures {
        assert!(
            on_victim.contains(i),
            "a write to another master failed at {} ms: {reason}",
            since(*at)
        );
    }
    assert!(
        !tally.failures.is_empty(),
        "the failover went unnoticed: was a master stopped?"
    );
    // And service is back: every session takes a write again (within a few
    // seconds each: on a loaded machine a reply may still time out once).
    for (i, id) in ids.iter().enumerate() {
        let start = Instant::now();
        loop {
            match store.update(id, &mut |c: &mut Counter| c.n += 1).await {
                Ok(Some(_)) => break,
                Ok(None) => panic!("session {i} vanished"),
                Err(e) if start.elapsed() > Duration::from_secs(5) => {
                    panic!("session {i} still refuses writes 5 s after the replica was back: {e:?}")
                }
                Err(_) => rocket::tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }
}

/// A slot moved from one master to another while a session in it is used: in
/// the middle of the move (the keys already on the new master, the slot still
/// the old one's) the old master answers `ASK`, after it `MOVED`; the store
/// follows both, and the session reads and updates all along.
#[rocket::async_test]
async fn a_session_whose_slot_moves_is_followed_through_ask_and_moved() {
    let _alone = ONE_AT_A_TIME.lock().await;
    let Some((urls, first, _dir)) = own_cluster() else {
        return;
    };
    let store =
        RedisStore::<Counter>::open_cluster(&urls, "moving:", Duration::from_secs(600)).unwrap();
    let id = SessionId::generate();
    store
        .create(&id, &mut |c: &mut Counter| c.n = 1)
        .await
        .unwrap();
    let key = format!("moving:session:{{{id}}}");
    let slot: u16 = redis::cmd("CLUSTER")
        .arg("KEYSLOT")
        .arg(&key)
        .query(&mut sync_conn(first).unwrap())
        .unwrap();
    let cluster = nodes(first);
    let owns = |n: &&Node| n.master && n.slots.iter().any(|&(a, b)| (a..=b).contains(&slot));
    let source = cluster.iter().find(owns).unwrap();
    let target = cluster
        .iter()
        .find(|n| n.master && n.id != source.id)
        .unwrap();
    let (mut src, mut dst) = (
        sync_conn(source.port).unwrap(),
        sync_conn(target.port).unwrap(),
    );
    let setslot = |conn: &mut redis::Connection, how: &str, node: &str| {
        redis::cmd("CLUSTER")
            .arg("SETSLOT")
            .arg(slot)
            .arg(how)
            .arg(node)
            .query::<()>(conn)
            .unwrap();
    };

    // The move begins: the keys go to the target, the slot is still the source's.
    setslot(&mut dst, "IMPORTING", &source.id);
    setslot(&mut src, "MIGRATING", &target.id);
    let keys: Vec<String> = redis::cmd("CLUSTER")
        .arg("GETKEYSINSLOT")
        .arg(slot)
        .arg(100)
        .query(&mut src)
        .unwrap();
    assert!(keys.contains(&key), "{keys:?}");
    redis::cmd("MIGRATE")
        .arg("127.0.0.1")
        .arg(target.port)
        .arg("")
        .arg(0)
        .arg(5000)
        .arg("KEYS")
        .arg(&keys)
        .query::<()>(&mut src)
        .unwrap();
    let asked = store.load(&id).await.unwrap().expect("read through ASK");
    assert_eq!(asked.n, 1);
    store
        .update(&id, &mut |c: &mut Counter| c.n += 1)
        .await
        .unwrap()
        .expect("written through ASK");

    // The move ends: the slot is the target's everywhere.
    for node in cluster.iter().filter(|n| n.master) {
        setslot(&mut sync_conn(node.port).unwrap(), "NODE", &target.id);
    }
    let moved = store.load(&id).await.unwrap().expect("read after MOVED");
    assert_eq!(moved.n, 2);
    store
        .update(&id, &mut |c: &mut Counter| c.n += 1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(store.load(&id).await.unwrap().unwrap().n, 3);
}
