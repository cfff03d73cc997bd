//! The data layer's conformance suite: the same checks on SQLite and on a real
//! PostgreSQL (the one the test command starts), so no query works on one backend
//! only. Concurrency is real: tasks on a multi-threaded runtime.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Duration, Utc};
use serde_json::{json, Value};
use tailor::cart::{Cart, Quantity};
use tailor::data::accounts::NewAccount;
use tailor::data::consent::{ConsentEvent, DailyCounts};
use tailor::data::counters::{CounterDelta, CounterKey};
use tailor::data::orders::{Credit, NewOrder, OrderLine, TouchLabel};
use tailor::data::{AccountId, DataSettings, Db};

use crate::support::postgres_database;

type Account = tailor::data::accounts::Account<Value, Cart>;

/// A database on SQLite in a fresh directory (kept alive by the returned guard).
pub async fn sqlite() -> Option<(Db, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&DataSettings::default(), dir.path())
        .await
        .unwrap();
    Some((db, Some(dir)))
}

/// A database on a fresh PostgreSQL database; `None` without a PostgreSQL.
pub async fn postgres() -> Option<(Db, Option<tempfile::TempDir>)> {
    let settings = DataSettings {
        url: Some(postgres_database().await?),
        ..DataSettings::default()
    };
    let dir = tempfile::tempdir().unwrap();
    Some((Db::open(&settings, dir.path()).await.unwrap(), None))
}

async fn register(db: &Db, username: &str) -> Option<AccountId> {
    db.create_account(NewAccount {
        username,
        password_hash: "$argon2id$not-a-real-hash",
        preferences: &json!({"theme": "dark"}),
        cart: &Cart::default(),
        created_at: Utc::now(),
    })
    .await
    .unwrap()
}

fn line(product: &str, quantity: i64) -> OrderLine {
    OrderLine {
        product: product.into(),
        quantity,
        unit_price_cents: 1500,
    }
}

/// Runs `n` copies of `task` at once on the multi-threaded runtime.
async fn at_once<T, F, Fut>(n: usize, task: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    let handles: Vec<_> = (0..n).map(|i| tokio::spawn(task(i))).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

pub async fn fifty_registrations_of_one_name_make_one_account(db: Db) {
    let db = Arc::new(db);
    let created = at_once(50, |i| {
        let db = db.clone();
        // Any letter case: the name is unique without regard to it.
        let name = if i % 2 == 0 { "Grace" } else { "gRACE" };
        async move { register(&db, name).await }
    })
    .await;
    assert_eq!(
        created.iter().flatten().count(),
        1,
        "exactly one registration wins"
    );
    let account: Account = db.account_by_username("GRACE").await.unwrap().unwrap();
    assert_eq!(Some(account.id), created.into_iter().flatten().next());
    assert_eq!(account.preferences["theme"], "dark");
}

pub async fn orders_add_up_under_concurrency(db: Db) {
    let db = Arc::new(db);
    let account = register(&db, "shopper").await.unwrap();
    let ids = at_once(50, |i| {
        let db = db.clone();
        async move {
            let lines = [line("silk-tie", 1 + i as i64 % 3)];
            let credit = Credit {
                first: Some(TouchLabel {
                    campaign: Some("spring".into()),
                    ..TouchLabel::default()
                }),
                last: None,
            };
            // Each order counts its conversion in its own transaction.
            let counts = [(
                CounterKey::new("last_touch", "campaign", "spring"),
                CounterDelta {
                    checkout: 1,
                    ..CounterDelta::default()
                },
            )];
            let order = NewOrder {
                experiments: &[],
                account: (i % 2 == 0).then_some(account),
                lines: &lines,
                credit: &credit,
                created_at: Utc::now(),
                counts: &counts,
                cart_key: None,
            };
            db.place_order(order).await.unwrap().0
        }
    })
    .await;
    let mut distinct = ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 50, "every order has its own id");
    assert_eq!(db.order_count().await.unwrap(), 50);
    let counted = db.counter_rows().await.unwrap();
    assert_eq!(counted.len(), 1);
    assert_eq!(counted[0].checkout, 50, "each order counted its conversion");
    let page = db.orders_page(0, 20).await.unwrap();
    assert_eq!(page.len(), 20);
    assert!(page.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    let mine = db.orders_of(&[], Some(account)).await.unwrap();
    assert_eq!(mine.len(), 25);
    assert!(mine
        .iter()
        .all(|o| o.username.as_deref() == Some("shopper")));
    let one = &mine[0];
    assert_eq!(one.lines.len(), 1);
    assert_eq!(one.total_cents, one.lines[0].quantity * 1500);
    assert_eq!(
        one.credit.first.as_ref().unwrap().campaign.as_deref(),
        Some("spring")
    );
    // A CSV export reads the table in batches; together they are every order once.
    let (mut seen, mut before) = (0, None);
    loop {
        let batch = db.orders_before(before, 7).await.unwrap();
        if batch.is_empty() {
            break;
        }
        seen += batch.len();
        before = batch.last().map(|o| o.id);
    }
    assert_eq!(seen, 50);
}

pub async fn a_cart_key_is_ordered_once(db: Db) {
    let db = Arc::new(db);
    let placed = at_once(20, |_| {
        let db = db.clone();
        async move {
            let lines = [line("silk-tie", 1)];
            let counts = [(
                CounterKey::new("first_touch", "campaign", "(direct)"),
                CounterDelta {
                    checkout: 1,
                    ..CounterDelta::default()
                },
            )];
            let order = NewOrder {
                experiments: &[],
                account: None,
                lines: &lines,
                credit: &Credit::default(),
                created_at: Utc::now(),
                counts: &counts,
                cart_key: Some("the-same-cart"),
            };
            db.place_order(order).await.unwrap()
        }
    })
    .await;
    assert_eq!(
        placed.iter().filter(|(_, new)| *new).count(),
        1,
        "one order"
    );
    assert!(
        placed.windows(2).all(|w| w[0].0 == w[1].0),
        "the same id for all"
    );
    assert_eq!(db.order_count().await.unwrap(), 1);
    let counted = db.counter_rows().await.unwrap();
    assert_eq!(counted[0].checkout, 1, "its conversion counted once");
    // Its public reference finds it, and nothing else does.
    let reference = db
        .order_reference(placed[0].0)
        .await
        .unwrap()
        .expect("a reference");
    assert_eq!(reference.len(), 16);
    let found = db
        .order_by_reference(&reference)
        .await
        .unwrap()
        .expect("found");
    assert_eq!((found.id, found.lines.len()), (placed[0].0, 1));
    assert!(db
        .order_by_reference("0000000000000000")
        .await
        .unwrap()
        .is_none());
}

pub async fn cart_changes_of_one_account_are_atomic(db: Db) {
    let db = Arc::new(db);
    let account = register(&db, "cart-owner").await.unwrap();
    at_once(40, |_| {
        let db = db.clone();
        async move {
            let one = Quantity::new(1).unwrap();
            let (added, _) = db
                .change_cart(account, |c: &mut Cart| c.add("silk-tie", one))
                .await
                .unwrap()
                .unwrap();
            assert!(added.is_ok());
        }
    })
    .await;
    let stored: Account = db.account(account).await.unwrap().unwrap();
    assert_eq!(stored.cart.count(), 40, "no change was lost");
    // Checkout orders the cart and empties it in one transaction; a second one
    // finds it empty.
    let price = |cart: &Cart| {
        cart.lines
            .iter()
            .map(|l| line(&l.product, i64::from(l.quantity)))
            .collect()
    };
    let credit = Credit::default();
    let placed = db
        .checkout_account(account, price, &credit, &[], &[], Utc::now())
        .await
        .unwrap();
    assert!(placed.is_some());
    let again = db
        .checkout_account(account, price, &credit, &[], &[], Utc::now())
        .await
        .unwrap();
    assert_eq!(again, None, "an emptied cart is not ordered twice");
    let stored: Account = db.account(account).await.unwrap().unwrap();
    assert!(stored.cart.lines.is_empty());
}

pub async fn submissions_and_counters_add_up_under_concurrency(db: Db) {
    let db = Arc::new(db);
    let ids = at_once(50, |i| {
        let db = db.clone();
        async move {
            let fields: BTreeMap<String, String> = [("name".to_string(), format!("n{i}"))]
                .into_iter()
                .collect();
            db.add_submission("contact", &fields, None, Utc::now(), &[], &[])
                .await
                .unwrap()
        }
    })
    .await;
    assert_eq!(db.submission_count().await.unwrap(), 50);
    let found = db.submissions_of(&ids[..3], None).await.unwrap();
    assert_eq!(found.len(), 3);
    assert_eq!(db.delete_anonymous_submissions(&ids[..3]).await.unwrap(), 3);
    assert_eq!(db.submission_count().await.unwrap(), 47);

    at_once(50, |i| {
        let db = db.clone();
        async move {
            let key = CounterKey::new("first_touch", "campaign", "spring-sale");
            let delta = CounterDelta {
                sessions: 1,
                contact: i64::from(i % 2 == 0),
                checkout: 0,
            };
            db.add_counts([(&key, &delta)]).await.unwrap();
        }
    })
    .await;
    let rows = db.counter_rows().await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].sessions, rows[0].contact), (50, 25));
}

pub async fn old_submissions_are_purged(db: Db) {
    let fields = BTreeMap::new();
    let old = Utc::now() - Duration::days(400);
    db.add_submission("contact", &fields, None, old, &[], &[])
        .await
        .unwrap();
    db.add_submission("contact", &fields, None, Utc::now(), &[], &[])
        .await
        .unwrap();
    let cutoff = Utc::now() - Duration::days(365);
    assert_eq!(db.purge_submissions(cutoff).await.unwrap(), 1);
    assert_eq!(db.submission_count().await.unwrap(), 1);
}

pub async fn epochs_move_and_deleted_accounts_go_with_their_data(db: Db) {
    let id = register(&db, "ada").await.unwrap();
    let epoch = |db: &Db| {
        let db = db.clone();
        async move {
            let a: Option<Account> = db.account(id).await.unwrap();
            a.map(|a| a.epoch)
        }
    };
    assert_eq!(epoch(&db).await, Some(0));
    assert_eq!(db.set_password(id, "$argon2id$new").await.unwrap(), Some(1));
    assert_eq!(db.bump_epoch(id).await.unwrap(), Some(2));
    assert_eq!(epoch(&db).await, Some(2));
    let (_, prefs, version) = db
        .change_preferences(id, |p: &mut Value| p["theme"] = json!("light"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((prefs["theme"].as_str(), version), (Some("light"), 1));

    let now = Utc::now();
    // An entry whose login has run out (auth_absolute_secs, here 12 hours) is
    // forgotten by the next login of the account: the index expires with its sessions.
    db.add_session(
        id,
        "expired",
        "Safari",
        now - Duration::hours(13),
        now - Duration::hours(14),
    )
    .await
    .unwrap();
    assert_eq!(db.sessions(id).await.unwrap().len(), 1);
    db.add_session(
        id,
        "older",
        "Firefox",
        now - Duration::seconds(5),
        now - Duration::hours(12),
    )
    .await
    .unwrap();
    db.add_session(id, "newer", "Chrome", now, now - Duration::hours(12))
        .await
        .unwrap();
    let sessions = db.sessions(id).await.unwrap();
    let order: Vec<&str> = sessions.iter().map(|s| s.session_id.as_str()).collect();
    assert_eq!(
        order,
        ["newer", "older"],
        "newest login first, the expired one gone"
    );
    // The index is bounded: the newest logins are kept.
    for i in 0..60 {
        let at = now + Duration::milliseconds(i);
        db.add_session(id, &format!("s{i:02}"), "x", at, now - Duration::hours(12))
            .await
            .unwrap();
    }
    let kept = db.sessions(id).await.unwrap();
    assert_eq!(
        kept.len() as i64,
        tailor::data::accounts::MAX_SESSIONS_PER_ACCOUNT
    );
    assert_eq!(kept[0].session_id, "s59");

    let fields = BTreeMap::new();
    db.add_submission("contact", &fields, Some(id), now, &[], &[])
        .await
        .unwrap();
    let lines = [line("chinos", 1)];
    let order = NewOrder {
        experiments: &[],
        account: Some(id),
        lines: &lines,
        credit: &Credit::default(),
        created_at: now,
        counts: &[],
        cart_key: None,
    };
    let (order_id, _) = db.place_order(order).await.unwrap();

    assert!(db.delete_account(id).await.unwrap());
    assert_eq!(epoch(&db).await, None, "the account is gone");
    assert!(db.sessions(id).await.unwrap().is_empty());
    assert_eq!(
        db.submission_count().await.unwrap(),
        0,
        "its submissions went"
    );
    let kept = db.orders_of(&[order_id], None).await.unwrap();
    assert_eq!(kept.len(), 1, "its orders stay for bookkeeping");
    assert_eq!(
        (kept[0].account_id, kept[0].username.as_deref()),
        (None, None)
    );
    assert_eq!(db.bump_epoch(id).await.unwrap(), None);
    let again = register(&db, "ADA").await;
    assert!(
        again.is_some_and(|new| new != id),
        "the name is free, the id is not reused"
    );
}

pub async fn experiment_assignments_and_counts_are_exact_under_concurrency(db: Db) {
    use tailor::data::experiments::{Arm, AssignmentRow, Converted, ViewCounts};
    let db = Arc::new(db);
    let account = register(&db, "tester").await.unwrap();
    // Twenty devices assign at once: one assignment wins, every one gets it.
    let got = at_once(20, |i| {
        let db = db.clone();
        async move {
            let row = AssignmentRow {
                experiment: "hero-copy".into(),
                variant: if i % 2 == 0 { "bold" } else { "control" }.into(),
                participant: i as i64,
                version: 1,
                epoch: 5,
            };
            db.assign_account(account, &row).await.unwrap().unwrap()
        }
    })
    .await;
    assert_eq!(got.iter().filter(|(_, created)| *created).count(), 1);
    assert!(got.iter().all(|(row, _)| *row == got[0].0));
    assert_eq!(
        db.account_assignments(account).await.unwrap(),
        vec![got[0].0.clone()]
    );

    // The same participant converting twenty times at once counts once.
    let converted = [Converted {
        experiment: "hero-copy".into(),
        version: 1,
        epoch: 5,
        variant: "bold".into(),
        participant: 7,
        goal: "contact".to_owned(),
    }];
    let fields = BTreeMap::new();
    at_once(20, |_| {
        let (db, fields, converted) = (db.clone(), fields.clone(), converted.clone());
        async move {
            db.add_submission("contact", &fields, None, Utc::now(), &[], &converted)
                .await
                .unwrap()
        }
    })
    .await;
    let views = [(
        Arm {
            experiment: "hero-copy".to_owned(),
            version: 1,
            epoch: 5,
            variant: "bold".to_owned(),
        },
        ViewCounts {
            participants: 2,
            exposures: 5,
            flips: 0,
        },
    )];
    db.add_view_counts(views.iter().map(|(k, v)| (k, v)))
        .await
        .unwrap();
    db.add_view_counts(views.iter().map(|(k, v)| (k, v)))
        .await
        .unwrap();
    let row = |rows: Vec<tailor::data::experiments::ExperimentRow>| {
        rows.into_iter().find(|r| r.variant == "bold").unwrap()
    };
    let bold = row(db.experiment_rows().await.unwrap());
    assert_eq!(
        (
            bold.participants,
            bold.exposures,
            bold.contact,
            bold.checkout
        ),
        (4, 10, 1, 0)
    );

    // Forgotten, the participant's conversions are no longer remembered.
    db.forget_participants(&[7]).await.unwrap();
    db.add_submission("contact", &fields, None, Utc::now(), &[], &converted)
        .await
        .unwrap();
    assert_eq!(row(db.experiment_rows().await.unwrap()).contact, 2);

    // A deleted account's assignments go with it.
    assert!(db.delete_account(account).await.unwrap());
    assert_eq!(db.account_assignments(account).await.unwrap(), vec![]);
}

/// Versions and splits are kept apart: an account holds one assignment per
/// version, counters of two splits or versions never mix, a split noted twice
/// keeps its first time, and a subject's assignment of a new version sits
/// beside the old one.
pub async fn experiment_versions_and_epochs_are_kept_apart(db: Db) {
    use tailor::data::epochs::EpochRow;
    use tailor::data::experiments::{Arm, AssignmentRow, Converted, ViewCounts};
    use tailor::data::subjects::SubjectAssignment;
    let account = register(&db, "versions").await.unwrap();
    let assignment = |version: i64, variant: &str, participant: i64| AssignmentRow {
        experiment: "hero-copy".into(),
        variant: variant.into(),
        participant,
        version,
        epoch: 11,
    };
    let (v1, new) = db
        .assign_account(account, &assignment(1, "bold", 1))
        .await
        .unwrap()
        .unwrap();
    assert!(new);
    let (again, new) = db
        .assign_account(account, &assignment(1, "control", 2))
        .await
        .unwrap()
        .unwrap();
    assert!(!new, "one per version");
    assert_eq!(again, v1);
    let (v2, new) = db
        .assign_account(account, &assignment(2, "control", 3))
        .await
        .unwrap()
        .unwrap();
    assert!(new, "a new version draws afresh");
    assert_eq!(
        db.account_assignments(account).await.unwrap(),
        vec![v1, v2],
        "the old one is kept"
    );
    let arm = |version: i64, epoch: i64| Arm {
        experiment: "hero-copy".into(),
        version,
        epoch,
        variant: "bold".into(),
    };
    let counts = ViewCounts {
        participants: 1,
        exposures: 2,
        flips: 0,
    };
    let arms = [arm(1, 11), arm(1, 22), arm(2, 11)];
    db.add_view_counts(arms.iter().map(|a| (a, &counts)))
        .await
        .unwrap();
    let converted = [Converted {
        experiment: "hero-copy".into(),
        version: 1,
        epoch: 22,
        variant: "bold".into(),
        participant: 44,
        goal: "contact".into(),
    }];
    db.add_submission(
        "contact",
        &BTreeMap::new(),
        None,
        Utc::now(),
        &[],
        &converted,
    )
    .await
    .unwrap();
    let rows = db.experiment_rows().await.unwrap();
    let keys: Vec<(i64, i64, i64, i64)> = rows
        .iter()
        .filter(|r| r.experiment == "hero-copy")
        .map(|r| (r.version, r.epoch, r.participants, r.contact))
        .collect();
    assert_eq!(keys, [(1, 11, 1, 0), (1, 22, 1, 1), (2, 11, 1, 0)]);
    let first = Utc::now() - chrono::Duration::days(3);
    let noted = |at| EpochRow::new("hero-copy", 1, 22, "control 10, bold 90".into(), at);
    db.note_epochs(&[noted(first)]).await.unwrap();
    db.note_epochs(&[noted(Utc::now())]).await.unwrap();
    let epochs = db.experiment_epochs().await.unwrap();
    assert_eq!(epochs.len(), 1);
    assert_eq!(
        epochs[0].first_at().timestamp_millis(),
        first.timestamp_millis()
    );
    let subject = |version: i64, participant: i64| SubjectAssignment {
        experiment: "hero-copy".into(),
        variant: "bold".into(),
        participant,
        counted: false,
        version,
        epoch: 11,
    };
    db.assign_subject("s", &subject(1, 5), Utc::now())
        .await
        .unwrap();
    let v2 = db
        .assign_subject("s", &subject(2, 6), Utc::now())
        .await
        .unwrap();
    assert_eq!(v2.participant, 6);
    assert!(db.count_subject("s", "hero-copy", 2).await.unwrap());
    let held = db.subject_assignments("s", Utc::now()).await.unwrap();
    let seen: Vec<(i64, bool)> = held.iter().map(|a| (a.version, a.counted)).collect();
    assert_eq!(
        seen,
        [(1, false), (2, true)],
        "each version's, only v2 counted"
    );
}

/// A declared goal's conversions under concurrency: one id counts once, a
/// session's campaign credit once a day, a participant once per goal.
pub async fn goal_conversions_count_once_under_concurrency(db: Db) {
    use tailor::data::counters::CounterKey;
    use tailor::data::experiments::Converted;
    use tailor::data::goals::GoalEvent;
    let db = Arc::new(db);
    let record = |db: Arc<Db>, event: String| async move {
        let converted = [Converted {
            experiment: "pricing".into(),
            version: 1,
            epoch: 0,
            variant: "new".into(),
            participant: 9,
            goal: "signup".into(),
        }];
        let rows = [(CounterKey::new("first_touch", "campaign", "Spring"), 1)];
        let e = GoalEvent {
            event: &event,
            goal: "signup",
            at: Utc::now(),
            experiments: &converted,
            campaign: &rows,
            credit: Some("session-1"),
        };
        db.record_goal(&e).await.unwrap()
    };
    let same = at_once(20, |_| record(db.clone(), "id-1".into())).await;
    assert_eq!(same.iter().filter(|counted| **counted).count(), 1);
    let others = at_once(20, |i| record(db.clone(), format!("id-{}", i + 2))).await;
    assert!(others.iter().all(|counted| *counted));
    let goals = db.goal_rows().await.unwrap();
    assert_eq!(goals.len(), 1);
    assert_eq!(
        (goals[0].value.as_str(), goals[0].conversions),
        ("spring", 1)
    );
    let rows = db.experiment_rows().await.unwrap();
    assert_eq!(rows[0].goals.get("signup"), Some(&1));
    // Purged, an old id counts again.
    db.purge_goal_events(
        Utc::now() + chrono::Duration::seconds(1),
        Utc::now() + chrono::Duration::seconds(1),
    )
    .await
    .unwrap();
    assert!(record(db.clone(), "id-1".into()).await);
    assert_eq!(db.goal_rows().await.unwrap()[0].conversions, 2);
}

fn consent_event(id: &str, choice: &str, source: &str, days_ago: i64) -> ConsentEvent {
    ConsentEvent {
        at: Utc::now() - Duration::days(days_ago),
        consent_id: id.into(),
        choice: choice.into(),
        source: source.into(),
        policy_version: "1".into(),
        scope: "tracking experiments".into(),
        language: "en".into(),
    }
}

pub async fn the_consent_ledger_keeps_counts_and_purges(db: Db) {
    let events = [
        consent_event("a", "granted", "banner", 0),
        consent_event("a", "withdrawn", "preferences", 0),
        consent_event("b", "refused", "gpc", 0),
        consent_event("c", "refused", "dnt", 0),
        consent_event("d", "refused", "api", 0),
        consent_event("old", "granted", "banner", 2000),
    ];
    for event in &events {
        db.record_consent(event).await.unwrap();
    }
    let history = db.consent_history("a").await.unwrap();
    assert_eq!(
        history
            .iter()
            .map(|e| e.choice.as_str())
            .collect::<Vec<_>>(),
        ["granted", "withdrawn"],
        "oldest first"
    );
    assert_eq!(history[0].at.timestamp_subsec_millis(), 0, "to the second");
    let today = Utc::now().date_naive();
    let counts = DailyCounts {
        asked: 7,
        gpc_sessionless: 1000,
        dnt_sessionless: 2,
    };
    db.add_consent_counts(today, "1", &counts).await.unwrap();
    db.add_consent_counts(today, "1", &counts).await.unwrap();
    let days = db.consent_days(today).await.unwrap();
    assert_eq!(days.len(), 1, "{days:?}");
    let d = &days[0];
    assert_eq!(
        (d.asked, d.granted, d.refused, d.withdrawn, d.gpc, d.dnt),
        (14, 1, 1, 1, 2001, 5)
    );
    let cutoff = Utc::now() - Duration::days(1825);
    assert_eq!(db.purge_consent(cutoff).await.unwrap(), 1);
    assert!(db.consent_history("old").await.unwrap().is_empty());
    assert_eq!(db.consent_history("b").await.unwrap().len(), 1);
}

/// The suite, run on one backend.
macro_rules! data_suite {
    ($backend:ident) => {
        mod $backend {
            use super::*;

            #[rocket::async_test]
            async fn fifty_registrations_of_one_name_make_one_account() {
                let Some((db, _dir)) = $backend().await else {
                    return;
                };
                super::fifty_registrations_of_one_name_make_one_account(db).await;
            }

            #[rocket::async_test]
            async fn orders_add_up_under_concurrency() {
                let Some((db, _dir)) = $backend().await else {
                    return;
                };
                super::orders_add_up_under_concurrency(db).await;
            }

            #[rocket::async_test]
            async fn a_cart_key_is_ordered_once() {
                let Some((db, _dir)) = $backend().await else {
                    return;
                };
                super::a_cart_key_is_ordered_once(db).await;
            }

            #[rocket::async_test]
            async fn cart_changes_of_one_account_are_atomic() {
                let Some((db, _dir)) = $backend().await else {
                    return;
                };
                super::cart_changes_of_one_account_are_atomic(db).await;
            }

            #[rocket::async_test]
            async fn submissions_and_counters_add_up_under_concurrency() {
                let Some((db, _dir)) = $backend().await else {
                    return;
                };
                super::submissions_and_counters_add_up_under_concurrency(db).await;
            }

            #[rocket::async_test]
            async fn old_submissions_are_purged() {
                let Some((db, _dir)) = $backend().await else {
                    return;
                };
                super::old_submissions_are_purged(db).await;
            }

            #[rocket::async_test]
            async fn epochs_move_and_deleted_accounts_go_with_their_data() {
                let Some((db, _dir)) = $backend().await else {
                    return;
                };
                super::epochs_move_and_deleted_accounts_go_with_their_data(db).await;
            }

            #[rocket::async_test]
            async fn experiment_assignments_and_counts_are_exact_under_concurrency() {
                let Some((db, _dir)) = $backend().await else {
                    return;
                };
                super::experiment_assignments_and_counts_are_exact_under_concurrency(db).await;
            }

            #[rocket::async_test]
            async fn experiment_versions_and_epochs_are_kept_apart() {
                let Some((db, _dir)) = $backend().await else {
                    return;
                };
                super::experiment_versions_and_epochs_are_kept_apart(db).await;
            }

            #[rocket::async_test]
            async fn the_consent_ledger_keeps_counts_and_purges() {
                let Some((db, _dir)) = $backend().await else {
                    return;
                };
                super::the_consent_ledger_keeps_counts_and_purges(db).await;
            }

            #[rocket::async_test]
            async fn goal_conversions_count_once_under_concurrency() {
                let Some((db, _dir)) = $backend().await else {
                    return;
                };
                super::goal_conversions_count_once_under_concurrency(db).await;
            }
        }
    };
}

data_suite!(sqlite);
data_suite!(postgres);

#[rocket::async_test]
async fn a_database_written_by_a_newer_tailor_stops_the_launch() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&DataSettings::default(), dir.path())
        .await
        .unwrap();
    drop(db);
    // A later version's migration, as sqlx records it.
    let path = dir.path().join("tailor.db");
    let url = format!("sqlite://{}", path.display());
    {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (9999, 'from the future', TRUE, X'00', 0)",
        )
        .execute(&mut conn)
        .await
        .unwrap();
    }
    let err = Db::open(&DataSettings::default(), dir.path())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("newer tailor") && err.contains("9999"),
        "{err}"
    );
    let figment = crate::support::figment(&dir);
    match tailor::build(figment).ignite().await {
        Ok(_) => panic!("a database from a newer version was used"),
        Err(e) => {
            let _ = e.kind();
        }
    }
}

#[rocket::async_test]
async fn the_consent_ledger_refuses_updates_on_both_backends() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&DataSettings::default(), dir.path())
        .await
        .unwrap();
    db.record_consent(&consent_event("a", "granted", "banner", 0))
        .await
        .unwrap();
    let path = dir.path().join("tailor.db");
    let sqlite = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    let changed = sqlx::query("UPDATE consent_ledger SET choice = 'refused'")
        .execute(&sqlite)
        .await;
    assert!(changed.unwrap_err().to_string().contains("append-only"));
    if let Some(url) = postgres_database().await {
        let settings = DataSettings {
            url: Some(url.clone()),
            ..DataSettings::default()
        };
        let db = Db::open(&settings, dir.path()).await.unwrap();
        db.record_consent(&consent_event("a", "granted", "banner", 0))
            .await
            .unwrap();
        let pg = sqlx::PgPool::connect(&url).await.unwrap();
        let changed = sqlx::query("UPDATE consent_ledger SET choice = 'refused'")
            .execute(&pg)
            .await;
        assert!(changed.unwrap_err().to_string().contains("append-only"));
    }
}
