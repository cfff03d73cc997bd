//! Micro-benchmarks of the memory store: get, update, create, and a sweep of 1M
//! sessions. `cargo bench --bench store`.

use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use tailor::record::SessionData;
use tailor_session::{MemoryStore, SessionId, SessionStore};

fn runtime() -> rocket::tokio::runtime::Runtime {
    rocket::tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn store_with(n: usize) -> (Arc<MemoryStore<SessionData>>, Vec<SessionId>) {
    let rt = runtime();
    let store = Arc::new(MemoryStore::new(Duration::from_secs(3600), 2_000_000));
    let ids: Vec<SessionId> = (0..n).map(|_| SessionId::generate()).collect();
    rt.block_on(async {
        for id in &ids {
            store.create(id, &mut |_| ()).await.unwrap();
        }
    });
    (store, ids)
}

fn bench(c: &mut Criterion) {
    let rt = runtime();
    let (store, ids) = store_with(100_000);
    let mut i = 0;
    c.bench_function("get (100k sessions)", |b| {
        b.iter(|| {
            i = (i + 1) % ids.len();
            rt.block_on(store.load(&ids[i])).unwrap()
        })
    });
    c.bench_function("update (100k sessions)", |b| {
        b.iter(|| {
            i = (i + 1) % ids.len();
            rt.block_on(store.update(&ids[i], &mut |d| {
                d.part_mut::<tailor::preferences::Preferences>().tracking = Some(true)
            }))
            .unwrap()
        })
    });
    c.bench_function("create", |b| {
        b.iter_batched(
            SessionId::generate,
            |id| rt.block_on(store.create(&id, &mut |_| ())).unwrap(),
            BatchSize::SmallInput,
        )
    });
    let (big, _) = store_with(1_000_000);
    let mut group = c.benchmark_group("sweep");
    group.sample_size(10);
    group.bench_function("sweep of 1M live sessions", |b| {
        b.iter(|| rt.block_on(big.sweep()).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
