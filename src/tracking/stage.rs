//! The tracking stage: what it reads at launch, and what it registers and mounts.

use super::{
    admin, banners, page, part, plugs, routes, undecided, AdHoc, Arc, CampaignStats, Db, Flusher,
    PathBuf, Recorder, TrackingConfig, TrackingSettings,
};

/// Tracking: settings, the recorder, the history pages and API, consent, the report.
pub fn stage() -> AdHoc {
    // Before any record is read (snapshots load at ignite).
    part::register();
    AdHoc::try_on_ignite("Tracking", |rocket| async move {
        let Some(settings) = crate::config::read(&rocket, TrackingSettings::from_figment) else {
            return Err(rocket);
        };
        let file = settings
            .campaigns_file
            .clone()
            .unwrap_or_else(|| PathBuf::from(rocket::fs::relative!("campaigns.toml")));
        let banners = match banners::load(&file) {
            Ok(banners) => banners,
            Err(e) => {
                rocket::error!("invalid configuration: tracking.campaigns_file: {e}");
                return Err(rocket);
            }
        };
        let reserved: Vec<String> = banners.iter().map(|b| b.campaign.clone()).collect();
        let Some(db) = crate::config::shared::<Db>(&rocket, "the database") else {
            return Err(rocket);
        };
        let stats = Arc::new(CampaignStats::new(db, settings.campaign_rows, reserved));
        let config = TrackingConfig {
            history_size: settings.history_size,
            touches_kept: settings.touches_kept,
            banners,
        };
        crate::web::add_page_hook(&rocket, page::TrackingHook);
        crate::personalisation::add_facts_hook(&rocket, plugs::TrackingFacts);
        crate::privacy::add_privacy_hook(&rocket, plugs::TrackingRights);
        crate::conversions::add_conversion_hook(&rocket, page::CampaignConversions);
        let rocket = if settings.cookieless_counts {
            let redis = rocket.state::<crate::limits::Redis>().cloned();
            rocket
                .manage(Arc::new(undecided::Undecided::new(redis)))
                .attach(undecided::Counter)
        } else {
            rocket
        };
        Ok(rocket
            .manage(config)
            .manage(stats.clone())
            .attach(Recorder)
            .attach(Flusher(stats))
            .mount("/", routes::routes())
            .mount("/", admin::routes()))
    })
}
