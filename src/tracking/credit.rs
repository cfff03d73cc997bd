//! What a conversion credits to campaigns: an order's first and last touch, the
//! report's rows under every model.

use super::{campaigns, CampaignStats, Campaigns, Conversion, Touch};
use crate::data::counters::Increments;
use crate::data::orders::{Credit, TouchLabel};
use crate::record::SessionData;

/// The campaign credit of an order by the visitor whose record is `data`: their
/// first and last touch, when they may be tracked (else none, like a direct visit).
pub fn credit(allowed: bool, data: Option<&SessionData>) -> Credit {
    let label = |touch: Option<&Touch>| {
        touch.map(|t| TouchLabel {
            campaign: t.campaign.clone(),
            source: t.source.clone(),
            medium: t.medium.clone(),
        })
    };
    match data.filter(|_| allowed) {
        Some(data) => Credit {
            first: label(campaigns(data).first_touch.as_deref()),
            last: label(campaigns(data).last_touch.as_deref()),
        },
        None => Credit::default(),
    }
}

/// What a conversion of the visitor whose record is `data` adds to the campaign
/// report, when they may be tracked (else nothing): the caller writes it in the
/// same transaction as the order or the submission, so neither is ever counted
/// without the other.
pub fn conversion(
    stats: &CampaignStats,
    allowed: bool,
    data: Option<&SessionData>,
    kind: Conversion,
) -> Increments {
    match data {
        _ if !allowed => Increments::new(),
        Some(data) => stats.conversion(campaigns(data), kind),
        None => stats.conversion(&Campaigns::default(), kind),
    }
}

/// The campaign rows a conversion of a goal of the operator's site by the
/// visitor whose record is `data` is credited to (see [`conversion`]).
pub fn goal_shares(
    stats: &CampaignStats,
    allowed: bool,
    data: Option<&SessionData>,
) -> Vec<(crate::data::counters::CounterKey, i64)> {
    match data {
        _ if !allowed => Vec::new(),
        Some(data) => stats.shares(campaigns(data)),
        None => stats.shares(&Campaigns::default()),
    }
}
