//! Who takes part in an experiment on a request: not a bot, tracking allowed, in
//! its audience; and whether the request is a page showing its slot.

use rocket::http::Method;
use rocket::Request;

use crate::personalisation::rules::{shows, Experiment};
use crate::personalisation::Decision;

pub use crate::http::bot_agent;

/// Whether this request's User-Agent is a known bot or crawler.
fn is_bot(request: &Request<'_>) -> bool {
    crate::http::header(request, "User-Agent").is_some_and(bot_agent)
}

/// Whether this request renders a page showing `experiment`'s slot.
pub(super) fn shown_here(request: &Request<'_>, experiment: &Experiment) -> bool {
    request.method() == Method::Get && shows(request.uri().path().as_str(), &experiment.slot)
}

/// Whether the visitor takes part in `experiment` on this request: in its
/// audience, tracking allowed, no bot (`bot`: the request's answer, once asked).
pub(super) fn takes_part(
    request: &Request<'_>,
    decision: &Decision,
    experiment: &Experiment,
    bot: &mut Option<bool>,
) -> bool {
    decision.tracking
        && experiment.audience_at.is_none_or(|at| decision.holds(at))
        && !*bot.get_or_insert_with(|| is_bot(request))
}
