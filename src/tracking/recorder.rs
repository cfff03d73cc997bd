//! Recording a page view after the response is known (the `Recorder` fairing:
//! only pages that answered, once per request) and flushing the campaign counters
//! to the database every second and at shutdown (the `Flusher` fairing).

use super::page::Planned;
use super::{
    log_error_chain, model, Arc, CampaignStats, Campaigns, Fairing, Info, Kind, Request, Response,
    SessionData, SessionId, SessionLayer, Status, Touch, TrackingConfig, Visit,
};
/// Records a touch in a record, and counts it for the operators.
pub fn record_touch(
    data: &mut SessionData,
    touch: &Touch,
    config: &TrackingConfig,
) -> model::TouchChange {
    data.part_mut::<Campaigns>()
        .record(touch.clone(), config.touches_kept)
}

/// A page view to record (borrowed from the page's plan).
struct Pending<'a> {
    id: &'a SessionId,
    visit: &'a Visit,
    touch: Option<&'a Touch>,
    /// Already in the record: the write that created the session recorded it.
    written: bool,
}

/// Writes the pending visit and touch of a page that answered 200.
pub(super) struct Recorder;

#[rocket::async_trait]
impl Fairing for Recorder {
    fn info(&self) -> Info {
        Info {
            name: "Visit recorder",
            kind: Kind::Response,
        }
    }

    async fn on_response<'r>(&self, request: &'r Request<'_>, response: &mut Response<'r>) {
        // What the page's hooks planned, kept in its facts.
        let planned = crate::web::facts_of(request).and_then(|f| f.get::<Planned>());
        let Some(planned) = planned else {
            return;
        };
        let (Some((visit, touch)), Some(recording)) = (&planned.pending, &planned.recording) else {
            return;
        };
        let pending = Pending {
            id: &recording.id,
            visit,
            touch: touch.as_ref(),
            written: recording.written,
        };
        let answered = response.status() == Status::Ok;
        if !answered && !pending.written {
            return;
        }
        let rocket = request.rocket();
        let (Some(layer), Some(config), Some(stats)) = (
            rocket.state::<SessionLayer<SessionData>>(),
            rocket.state::<TrackingConfig>(),
            rocket.state::<Arc<CampaignStats>>(),
        ) else {
            return;
        };
        // The response is built: nothing reads this request's snapshot any more, and
        // without it the store updates the record in place rather than copying it.
        tailor_session::release_snapshot::<SessionData>(request);
        if pending.written {
            return settle_first(layer, config, stats, &pending, answered).await;
        }
        let (mut change, mut was_direct) = (None, false);
        let mut apply = |data: &mut SessionData| {
            // A session with recorded visits and no touch yet was counted direct.
            was_direct = data.part::<super::Visits>().is_some_and(|v| !v.is_empty())
                && data
                    .part::<Campaigns>()
                    .is_none_or(|c| c.first_touch.is_none());
            model::push_visit(
                data.part_mut::<super::Visits>(),
                pending.visit.clone(),
                config.history_size,
            );
            if let Some(touch) = pending.touch {
                change = Some(record_touch(data, touch, config));
            }
        };
        match layer.store().update(pending.id, &mut apply).await {
            Ok(Some(_)) => {
                if let (Some(change), Some(touch)) = (change, pending.touch) {
                    stats.on_touch(&change, touch, was_direct);
                }
            }
            // The session was destroyed meanwhile (logged out, forgotten): the
            // visit is not recorded, and the session not brought back.
            Ok(None) => {}
            Err(e) => log_error_chain(&e),
        }
    }
}

/// A first visit, recorded by the write that created the session: counted when
/// the page answered 200, else taken back (the new record had no visits and no
/// touches before it).
async fn settle_first(
    layer: &SessionLayer<SessionData>,
    config: &TrackingConfig,
    stats: &CampaignStats,
    pending: &Pending<'_>,
    answered: bool,
) {
    if answered {
        match pending.touch {
            Some(touch) => {
                let change = Campaigns::default().record(touch.clone(), config.touches_kept);
                stats.on_touch(&change, touch, false);
            }
            None => stats.on_direct_session(),
        }
        return;
    }
    let mut undo = |data: &mut SessionData| {
        data.take_part::<super::Visits>();
        data.take_part::<Campaigns>();
    };
    if let Err(e) = layer.store().update(pending.id, &mut undo).await {
        log_error_chain(&e);
    }
}

/// Writes the counters summed in memory once a second, and a last time at shutdown.
pub(super) struct Flusher(pub(super) Arc<CampaignStats>);

#[rocket::async_trait]
impl Fairing for Flusher {
    fn info(&self) -> Info {
        Info {
            name: "Campaign counter flush",
            kind: Kind::Liftoff | Kind::Shutdown,
        }
    }

    async fn on_liftoff(&self, rocket: &rocket::Rocket<rocket::Orbit>) {
        let stats = self.0.clone();
        let tick = async move |n: u64| {
            // Which values have rows: at launch, then every minute, so the bound on
            // rows holds across restarts and instances.
            if n.is_multiple_of(60) {
                if let Err(e) = stats.load_known().await {
                    e.report();
                }
            }
            if let Err(e) = stats.flush().await {
                e.report();
            }
        };
        rocket::tokio::spawn(crate::ops::every(rocket.shutdown(), FLUSH_EVERY, tick));
    }

    async fn on_shutdown(&self, _: &rocket::Rocket<rocket::Orbit>) {
        if let Err(e) = self.0.flush().await {
            e.report();
        }
    }
}

/// How often counters summed in memory are written.
const FLUSH_EVERY: std::time::Duration = std::time::Duration::from_secs(1);
