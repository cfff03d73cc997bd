//! Recording a page view after the response is known (the `Recorder` fairing:
//! only pages that answered 200, once per request, in one write whether the
//! session is new or not) and flushing the campaign counters
//! to the database every second and at shutdown (the `Flusher` fairing).

use super::page::Planned;
use super::{
    log_error_chain, model, Arc, CampaignStats, Campaigns, Fairing, Info, Kind, Request, Response,
    SessionData, Status, Touch, TrackingConfig, Visit,
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

/// What recording one view changed in a record, for the campaign report.
pub(super) struct Recorded {
    /// The touch's change, when the view came with one.
    change: Option<model::TouchChange>,
    /// The session's first recorded view: with no touch, a direct session.
    first: bool,
    /// The session was counted direct (views, no touch yet) before this one.
    was_direct: bool,
}

/// Records a page view, its visit and its campaign touch if any, in `data`: the
/// one way a view is recorded, for tailor's own pages (the [`Recorder`]) and
/// for the operator's ([`record_page_view`](super::record_page_view)).
pub(super) fn record_view(
    data: &mut SessionData,
    visit: &Visit,
    touch: Option<&Touch>,
    config: &TrackingConfig,
) -> Recorded {
    let viewed = data.part::<super::Visits>().is_some_and(|v| !v.is_empty());
    let touched = data
        .part::<Campaigns>()
        .is_some_and(|c| c.first_touch.is_some());
    model::push_visit(
        data.part_mut::<super::Visits>(),
        visit.clone(),
        config.history_size,
    );
    Recorded {
        change: touch.map(|touch| record_touch(data, touch, config)),
        first: !viewed && !touched,
        was_direct: viewed && !touched,
    }
}

impl Recorded {
    /// Counts the recorded view for the campaign report (summed in memory).
    pub(super) fn count(self, stats: &CampaignStats, touch: Option<&Touch>) {
        match (self.change, touch) {
            (Some(change), Some(touch)) => stats.on_touch(&change, touch, self.was_direct),
            _ if self.first => stats.on_direct_session(),
            _ => {}
        }
    }
}

/// Writes the visit and touch of a page that answered 200, planned by the page's
/// hooks: after the response, so a page that fails records nothing.
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
        if response.status() != Status::Ok {
            return;
        }
        // What the page's hooks planned, kept in its facts.
        let planned = crate::web::facts_of(request).and_then(|f| f.get::<Planned>());
        let Some(planned) = planned else {
            return;
        };
        let (Some((visit, touch)), Some(id)) = (&planned.pending, &planned.recording) else {
            return;
        };
        let rocket = request.rocket();
        let (Some(config), Some(stats)) = (
            rocket.state::<TrackingConfig>(),
            rocket.state::<Arc<CampaignStats>>(),
        ) else {
            return;
        };
        let mut recorded = None;
        let mut apply = |data: &mut SessionData| {
            recorded = Some(record_view(data, visit, touch.as_ref(), config));
        };
        // The response is built: the request's copy of the record is given up for
        // the write (a new visitor's, begun by the page, is stored with the view).
        match tailor_session::update_late(request, id, &mut apply).await {
            Ok(Some(_)) => {
                if let Some(recorded) = recorded {
                    recorded.count(stats, touch.as_ref());
                }
            }
            // The session was destroyed meanwhile (logged out, forgotten): the
            // visit is not recorded, and the session not brought back.
            Ok(None) => {}
            Err(e) => log_error_chain(&e),
        }
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
