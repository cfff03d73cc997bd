//! Two Redis store instances on the same sessions, as two tailor processes are:
//! each keeps the records it read decoded, and still sees every change the other
//! makes at its very next read (the cache is checked against Redis each time),
//! on one Redis and on a Redis Cluster.

use std::sync::Arc;
use std::time::Duration;

use tailor_session::conformance::{redis_cluster_nodes, redis_url, Counter};
use tailor_session::{RedisStore, SessionId, SessionStore};

type Pair = (Arc<RedisStore<Counter>>, Arc<RedisStore<Counter>>);

fn pair(open: impl Fn(&str) -> RedisStore<Counter>) -> Pair {
    tailor_session::parts::register_log::<tailor_session::conformance::Views>();
    let prefix = format!("two:{}:", tailor_session::random_token(9));
    (Arc::new(open(&prefix)), Arc::new(open(&prefix)))
}

async fn each_sees_the_others_changes_at_once((a, b): Pair) {
    let id = SessionId::generate();
    a.create(&id, &mut |c| c.view(1, 5)).await.unwrap();
    // Both read (and keep) it.
    assert_eq!(a.load(&id).await.unwrap().unwrap().views(), [1]);
    assert_eq!(b.load(&id).await.unwrap().unwrap().views(), [1]);

    // A view appended on B from its copy (the record's version does not move
    // for that): A sees it; then a change of the record on B: A sees it too.
    let seen = b.load_seen(&id).await.unwrap().unwrap();
    b.update_seen(&id, seen, &mut |c| c.view(2, 5))
        .await
        .unwrap();
    assert_eq!(a.load(&id).await.unwrap().unwrap().views(), [1, 2]);
    b.update(&id, &mut |c| c.n = 7).await.unwrap();
    let on_a = a.load(&id).await.unwrap().unwrap();
    assert_eq!((on_a.n, on_a.views()), (7, &[1, 2][..]));

    // Views appended on both from copies of the same version: none lost, and
    // each instance then reads all of them.
    for i in 3..=12u32 {
        let (writer, other) = if i % 2 == 0 { (&a, &b) } else { (&b, &a) };
        let stale = other.load_seen(&id).await.unwrap().unwrap();
        let seen = writer.load_seen(&id).await.unwrap().unwrap();
        writer
            .update_seen(&id, seen, &mut |c| c.view(i, 5))
            .await
            .unwrap();
        other
            .update_seen(&id, stale, &mut |c| c.n += 1)
            .await
            .unwrap();
    }
    for store in [&a, &b] {
        let record = store.load(&id).await.unwrap().unwrap();
        assert_eq!((record.n, record.views()), (17, &[8, 9, 10, 11, 12][..]));
    }

    // Removed on A: gone on B, whatever B kept.
    a.remove(&id).await.unwrap();
    assert!(b.load(&id).await.unwrap().is_none());
    assert!(b.update(&id, &mut |c| c.n += 1).await.unwrap().is_none());

    // Moved on B (a login's new id): the old id is gone on A, the new one there.
    let id = SessionId::generate();
    a.create(&id, &mut |c| c.n = 1).await.unwrap();
    assert_eq!(a.load(&id).await.unwrap().unwrap().n, 1);
    let new = SessionId::generate();
    assert!(b.regenerate(&id, &new).await.unwrap());
    assert!(a.load(&id).await.unwrap().is_none());
    assert_eq!(a.load(&new).await.unwrap().unwrap().n, 1);
}

#[rocket::async_test]
async fn on_one_redis() {
    let Some(url) = redis_url() else { return };
    let idle = Duration::from_secs(600);
    each_sees_the_others_changes_at_once(pair(|p| RedisStore::open(&url, p, idle).unwrap())).await;
}

#[rocket::async_test]
async fn on_a_redis_cluster() {
    let Some(nodes) = redis_cluster_nodes() else {
        return;
    };
    let idle = Duration::from_secs(600);
    each_sees_the_others_changes_at_once(pair(|p| {
        RedisStore::open_cluster(&nodes, p, idle).unwrap()
    }))
    .await;
}
