//! Personalisation: operators say in one rules file who sees what (segments,
//! slots; experiments to come); tailor decides it inside the request that renders
//! the page, from the facts the features offer through [`FactsHook`]s. The
//! contract is `docs/personalisation.md`.

pub mod condition;
mod decide;
pub mod facts;
mod live;
mod plugs;
pub mod rules;
pub mod settings;
pub mod texts;

use std::sync::Arc;

use crate::web::Json;
use rocket::fairing::AdHoc;
use rocket::{get, routes};

pub use condition::{Fact, FactKind, FactSpec, TouchFacts, VisitFacts, VisitLog, VisitorFacts};
pub use decide::{decide, Decision, DecisionView, Scope, Taking};
pub use facts::{add_facts_hook, offered, FactsHook};
pub use live::Live;
pub use settings::PersonalisationSettings;

use crate::web::Visitor;

/// Which segments the visitor is in and what each slot shows them, with why
/// (no session needed; nothing is stored, no visit recorded).
#[get("/api/v1/personalisation")]
fn api(visitor: Visitor<'_>) -> Json<DecisionView> {
    let data = visitor.session.data();
    let mut facts = facts::gather(visitor.request, data.as_deref(), &visitor.facts);
    facts.language = Some(visitor.lang);
    let now = chrono::Utc::now();
    let decision = match visitor.facts.get::<Decision>() {
        Some(page) => page.complete(&facts, now),
        None => Decision::default(),
    };
    Json(DecisionView::new(&decision, &facts, now))
}

/// Checks the rules' conditions against the facts the features offer: attached
/// by [`stage`] while the stages ignite, it runs after every one of them.
async fn check_facts(rocket: rocket::Rocket<rocket::Build>) -> rocket::fairing::Result {
    let Some(live) = rocket.state::<Arc<Live>>() else {
        return Ok(rocket);
    };
    match live.know(facts::offered(&rocket)) {
        Ok(()) => Ok(rocket),
        Err(e) => {
            // On standard error whatever the log level: the launch stops here.
            eprintln!("invalid configuration: personalisation.file {e}");
            rocket::error!("invalid configuration: personalisation.file {e}");
            Err(rocket)
        }
    }
}

/// The rules (read at launch: an invalid file stops it), their reloading, the
/// page hook and the API.
pub fn stage() -> AdHoc {
    AdHoc::try_on_ignite("Personalisation", |rocket| async {
        let Some(settings) = crate::config::read(&rocket, PersonalisationSettings::from_figment)
        else {
            return Err(rocket);
        };
        let path = settings.path();
        let live = match Live::load(path.clone()) {
            Ok(live) => live,
            Err(e) => {
                // On standard error whatever the log level: the launch stops here.
                eprintln!(
                    "invalid configuration: personalisation.file {}: {e}",
                    path.display()
                );
                rocket::error!(
                    "invalid configuration: personalisation.file {}: {e}",
                    path.display()
                );
                return Err(rocket);
            }
        };
        crate::web::add_page_hook(&rocket, plugs::DecideHook);
        crate::privacy::add_privacy_hook(&rocket, plugs::Why);
        Ok(rocket
            .manage(Arc::new(live))
            .attach(live::Reloader)
            .attach(AdHoc::try_on_ignite("Personalisation: facts", check_facts))
            .mount("/", routes![api]))
    })
}
