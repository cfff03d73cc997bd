//! The accounts stage: what it reads at launch, and what it registers and mounts.

use super::{
    api, part, plugs, routes, AccountHook, AccountSettings, Accounts, AdHoc, Arc, Db, HashPool,
    Limiter, StdDuration,
};

/// Registration, login, logout, the account page and account deletion.
pub fn stage() -> AdHoc {
    // Before any record is read (snapshots load at ignite).
    part::register();
    AdHoc::try_on_ignite("Accounts", |rocket| async move {
        use crate::config::shared;
        let (Some(settings), Some(shared_settings)) = (
            crate::config::read(&rocket, AccountSettings::from_figment),
            crate::config::read(&rocket, crate::config::Settings::from_figment),
        ) else {
            return Err(rocket);
        };
        let (Some(db), Some(limiter), Some(hashing)) = (
            shared::<Db>(&rocket, "the database"),
            shared::<Arc<Limiter>>(&rocket, "the limiter"),
            shared::<Arc<HashPool>>(&rocket, "the hashing pool"),
        ) else {
            return Err(rocket);
        };
        let hooks = crate::web::hooks::registry(&rocket).list::<dyn AccountHook>();
        let cache_for = StdDuration::from_secs(shared_settings.data.account_cache_secs);
        let accounts = Accounts::new(
            db,
            settings,
            limiter,
            hashing,
            shared_settings.session.cookie_secure,
            cache_for,
            hooks,
        );
        crate::web::add_page_hook(&rocket, plugs::LoginHook);
        crate::web::add_page_title(&rocket, plugs::AccountTitles);
        crate::personalisation::add_facts_hook(&rocket, plugs::LoginFacts);
        crate::privacy::add_privacy_hook(&rocket, plugs::AccountRights);
        // Listeners (the cart, the preferences) add their hooks in their stages.
        Ok(rocket
            .manage(accounts)
            .mount("/", routes::routes())
            .mount("/", api::routes()))
    })
}
