//! What personalisation plugs into the others' hooks: every page (the rules'
//! decision for the visitor, with this view's own visit and touch; the slots'
//! content in the layout) and the privacy page (the groups the visitor is in, and
//! why).

use super::decide::{decide, Decision, Scope};
use super::facts::gather;
use super::live::Live;
use super::rules::{shows, Content};
use crate::i18n::Language;
use crate::privacy::{PrivacyHook, Summary};
use crate::record::SessionData;
use crate::web::{Choice, Facts, Page, PageContext, PageHook, PagePhase, Prepare, SlotView};
use chrono::Utc;
use rocket::http::Status;
use rocket::Request;
use std::sync::Arc;
use tailor_session::SessionError;

/// Personalisation's page hook.
pub struct DecideHook;

#[rocket::async_trait]
impl PageHook for DecideHook {
    /// After the login, the choices and tracking's plan.
    fn phase(&self) -> PagePhase {
        PagePhase::Decide
    }

    fn prepare(
        &self,
        request: &Request<'_>,
        page: &mut Prepare<'_, '_>,
    ) -> Result<(), (Status, SessionError)> {
        let Some(live) = request.rocket().state::<Arc<Live>>() else {
            return Ok(());
        };
        let (rules, generation) = live.current();
        if rules.segments.is_empty() && rules.slots.is_empty() && rules.experiments.is_empty() {
            return Ok(());
        }
        let data = page.session.data();
        let mut facts = gather(request, data.as_deref(), &page.facts);
        facts.language = Some(page.lang);
        let scope = Scope::Page(request.uri().path().as_str());
        let decision = decide(&rules, generation, &facts, Utc::now(), scope);
        drop(facts);
        page.facts.insert(decision);
        Ok(())
    }

    fn layout(&self, facts: &Facts, _data: Option<&SessionData>, layout: &mut PageContext) {
        let Some(decision) = facts.get::<Decision>() else {
            return;
        };
        let (lang, path) = (layout.lang, layout.path.as_str());
        // A slot reaches only the page that shows it (other pages' cache keys
        // stay free of it).
        let view = |name: &str| {
            decision
                .slot(name)
                .filter(|_| shows(path, name))
                .map(|(variant, content, choice)| slot_view(variant, content, choice, lang))
        };
        layout.slots.home_hero = view("home.hero");
        layout.slots.cart_note = view("cart.note");
        layout.slots.generation = decision.generation;
    }
}

/// A slot's content in `lang` (English where it has no text in `lang`).
fn slot_view(variant: &str, content: &Content, choice: Choice, lang: Language) -> SlotView {
    let text = |t: &Option<super::rules::Texts>| t.as_ref().map(|t| t.get(lang));
    SlotView {
        variant: Arc::from(variant),
        choice,
        title: text(&content.title),
        text: text(&content.text),
        link: content.link.clone(),
        link_text: text(&content.link_text),
    }
}

/// Personalisation's privacy hook.
pub struct Why;

#[rocket::async_trait]
impl PrivacyHook for Why {
    fn summarize(&self, page: &Page<'_>, summary: &mut Summary) {
        let Some(decision) = page.fact::<Decision>() else {
            return;
        };
        let data = page.data();
        let mut facts = gather(page.request(), data.as_deref(), page.facts());
        facts.language = Some(page.lang);
        let now = Utc::now();
        summary.groups = decision
            .complete(&facts, now)
            .explain(page.lang, &facts, now);
    }
}
