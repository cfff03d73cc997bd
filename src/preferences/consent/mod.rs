//! Consent you can prove. Every tracking choice (the banner, the preferences page,
//! the API) and every Global Privacy Control or Do Not Track signal of a visitor
//! with a session is an event in the ledger (SQL, append-only): when, the
//! visitor's anonymous consent id (random, kept in their preferences: the
//! session's and the account's), the choice, its source, the policy version, the
//! scope and the page's language. A choice made under another policy version
//! than `tracking.policy_version` is asked again: a grant no longer counts (opt-in:
//! the banner returns), a refusal still does.
//!
//! Also here: `/.well-known/gpc.json`, the operators' `/admin/consent`, and the
//! visitor's own history on `/privacy`.

mod admin;
mod privacy;
mod signals;
mod stage;

use crate::web::AppError;
use base64::Engine;
use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::data::consent::ConsentEvent;
use crate::data::{DataError, Db};
use crate::i18n::Language;

pub use admin::routes;
pub use privacy::ConsentRights;
pub use signals::{register, ConsentSignals, Tally, TallyFlusher};
pub use stage::{stage, ConsentMode};

use rocket::http::Status;
use rocket::request::{FromRequest, Outcome, Request};
use tailor_session::Session;

use super::{Preferences, PreferencesPatch};
use crate::accounts::{Accounts, LoggedIn};
use crate::record::SessionData;

/// What one consent choice covers: tailor asks once for both.
pub const SCOPE: &str = "tracking experiments";

/// The policy version a choice made before the ledger existed was made under.
pub const FIRST_VERSION: &str = "1";

/// The visitor's consent id and the policy version of their last choice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentMark {
    /// Random, the ledger's key for this visitor: never the session id.
    pub id: Box<str>,
    /// The policy version of the last choice (none: only a signal was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Box<str>>,
}

/// The consent policy in force (managed state the tracking stage provides from
/// `tracking.policy_version`, `tracking.policy_date` and the consent mode).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentPolicy {
    pub version: String,
    /// `YYYY-MM-DD`, when set.
    pub date: Option<String>,
    /// Tracking waits for consent.
    pub opt_in: bool,
    /// The visitors who have not chosen yet are counted without a cookie.
    pub cookieless_counts: bool,
}

/// A choice, as the ledger says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Granted,
    Refused,
    /// A refusal after a grant.
    Withdrawn,
}

impl Choice {
    pub fn code(self) -> &'static str {
        match self {
            Choice::Granted => "granted",
            Choice::Refused => "refused",
            Choice::Withdrawn => "withdrawn",
        }
    }
}

/// Where a choice came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Banner,
    PreferencesPage,
    Api,
    Gpc,
    Dnt,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Banner => "banner",
            Source::PreferencesPage => "preferences",
            Source::Api => "api",
            Source::Gpc => "gpc",
            Source::Dnt => "dnt",
        }
    }
}

/// A new random consent id (128 bits, URL-safe base64).
pub fn new_consent_id() -> Box<str> {
    let bytes: [u8; 16] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(bytes)
        .into_boxed_str()
}

impl Preferences {
    /// The visitor's consent id, if an event was ever recorded for them.
    pub fn consent_id(&self) -> Option<&str> {
        self.consent.as_ref().map(|c| &*c.id)
    }

    /// The policy version the visitor's choice was made under (a choice made
    /// before versions were kept: the first).
    fn choice_version(&self) -> Option<&str> {
        self.tracking?;
        Some(
            self.consent
                .as_ref()
                .and_then(|c| c.version.as_deref())
                .unwrap_or(FIRST_VERSION),
        )
    }

    /// The visitor's tracking choice if it was made under `policy`'s version.
    pub fn current_choice(&self, policy: &ConsentPolicy) -> Option<bool> {
        self.tracking
            .filter(|_| self.choice_version() == Some(policy.version.as_str()))
    }

    /// Whether the visitor must be asked (again): opt-in without a current
    /// choice, or a choice made under another policy version.
    pub fn asked_again(&self, policy: &ConsentPolicy) -> bool {
        self.current_choice(policy).is_none() && (policy.opt_in || self.tracking.is_some())
    }

    /// Tracking for this visitor: their current choice; a refusal under an older
    /// policy still stands, a grant under one no longer counts (the mode decides).
    pub fn tracking_on(&self, policy: &ConsentPolicy) -> bool {
        match (self.current_choice(policy), self.tracking) {
            (Some(choice), _) => choice,
            (None, Some(false)) => false,
            (None, _) => !policy.opt_in,
        }
    }

    /// The ledger's word for choosing `accept` now, or none when it changes
    /// nothing (the same choice under the same policy).
    pub fn choice_event(&self, accept: bool, policy: &ConsentPolicy) -> Option<Choice> {
        if self.current_choice(policy) == Some(accept) {
            return None;
        }
        Some(match (accept, self.tracking) {
            (true, _) => Choice::Granted,
            (false, Some(true)) => Choice::Withdrawn,
            (false, _) => Choice::Refused,
        })
    }

    /// The mark after a choice under `policy` (the consent id kept, or `id`).
    pub fn chosen_mark(&self, policy: &ConsentPolicy, id: &str) -> ConsentMark {
        ConsentMark {
            id: self.consent_id().unwrap_or(id).into(),
            version: Some(policy.version.as_str().into()),
        }
    }
}

/// A choice to record: made by `prefs`' visitor (before it), through `source`, on
/// a page in `lang`.
struct Chosen<'a> {
    pub prefs: &'a Preferences,
    pub accept: bool,
    pub source: Source,
    pub lang: Language,
}

/// Records a choice in the ledger when it is one (a new or changed choice, or
/// one under a new policy) and returns the patch that stores it: the tracking
/// choice and the consent mark. Written before the choice is stored, so a
/// stored choice always has its proof.
///
/// # Errors
/// [`DataError`] when the database fails: nothing is stored then.
async fn record_choice(
    db: &Db,
    policy: &ConsentPolicy,
    chosen: Chosen<'_>,
) -> Result<PreferencesPatch, DataError> {
    let mark = chosen.prefs.chosen_mark(policy, &new_consent_id());
    if let Some(choice) = chosen.prefs.choice_event(chosen.accept, policy) {
        db.record_consent(&event(&mark.id, choice, chosen.source, policy, chosen.lang))
            .await?;
    }
    Ok(PreferencesPatch {
        tracking: Some(chosen.accept),
        consent: Some(mark),
        ..PreferencesPatch::default()
    })
}

/// Request guard: what storing a tracking choice needs (the accounts, the
/// database, the policy in force); 503 without them.
pub struct Chooser<'r> {
    accounts: &'r Accounts,
    db: &'r Db,
    policy: &'r ConsentPolicy,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Chooser<'r> {
    type Error = ();

    async fn from_request(request: &'r Request<'_>) -> Outcome<Self, ()> {
        let rocket = request.rocket();
        match (
            rocket.state::<Accounts>(),
            rocket.state::<Db>(),
            rocket.state::<ConsentPolicy>(),
        ) {
            (Some(accounts), Some(db), Some(policy)) => Outcome::Success(Chooser {
                accounts,
                db,
                policy,
            }),
            _ => Outcome::Error((Status::ServiceUnavailable, ())),
        }
    }
}

impl Chooser<'_> {
    /// Applies `patch` as the preferences page does (the account's while logged
    /// in, mirrored in the session); when it makes a tracking choice, records that
    /// in the ledger first (through `source`, on a page in `lang`), so a stored
    /// choice always has its proof.
    ///
    /// # Errors
    /// [`AppError`] when the database or the store fails (nothing is stored).
    pub async fn choose(
        &self,
        session: &Session<'_, SessionData>,
        login: Option<&LoggedIn>,
        mut patch: PreferencesPatch,
        source: Source,
        lang: Language,
    ) -> Result<Preferences, AppError> {
        if let Some(accept) = patch.tracking {
            let before = session
                .data()
                .and_then(|d| d.part::<Preferences>().cloned())
                .unwrap_or_default();
            let chosen = Chosen {
                prefs: &before,
                accept,
                source,
                lang: before.language.unwrap_or(lang),
            };
            patch.consent = record_choice(self.db, self.policy, chosen).await?.consent;
        }
        super::change(session, login, self.accounts, &patch).await
    }

    /// The policy in force.
    pub fn policy(&self) -> &ConsentPolicy {
        self.policy
    }
}

/// The ledger's row for an event now.
pub fn event(
    id: &str,
    choice: Choice,
    source: Source,
    policy: &ConsentPolicy,
    lang: Language,
) -> ConsentEvent {
    ConsentEvent {
        at: Utc::now(),
        consent_id: id.to_owned(),
        choice: choice.code().into(),
        source: source.code().into(),
        policy_version: policy.version.clone(),
        scope: SCOPE.into(),
        language: lang.code().into(),
    }
}

#[cfg(test)]
mod tests;
