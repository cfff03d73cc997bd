//! The path a login returns to: one Rocket cannot parse (a space, a tab, a bare
//! `%`) is `/`, and the login answers 303 with its new session and device
//! cookies, never a 500 that would leave the browser with neither.

use rocket::http::Status;

use crate::support::*;

const PASSWORD: &str = "correct horse battery";

#[rocket::async_test]
async fn an_unparsable_return_path_sends_the_visitor_home_logged_in() {
    let app = untracked_app_with(|f| f).await;
    let owner = Browser::new(&app);
    assert_eq!(
        owner.register("traveller", PASSWORD).await,
        Status::SeeOther
    );
    for hostile in ["/ x", "/\tx", "/a b?c=d", "/%", "/x%zz", "/x\u{7f}"] {
        let b = Browser::new(&app);
        // The login page offered by a link with that `next`...
        let page = b
            .text(&format!("/login?next={}", &form(&[("x", hostile)])[2..]))
            .await;
        assert!(
            page.contains("name=\"next\" value=\"&#x2F;\""),
            "{hostile:?}: the form returns home"
        );
        // ...and a form that sends it anyway.
        let token = csrf_token(&page);
        let response = b
            .post_form(
                "/login",
                &[
                    ("csrf_token", &token),
                    ("username", "traveller"),
                    ("password", PASSWORD),
                    ("next", hostile),
                ],
            )
            .await;
        assert_eq!(response.status(), Status::SeeOther, "{hostile:?}");
        assert_eq!(response.headers().get_one("Location"), Some("/"));
        drop(response);
        assert!(
            b.device().is_some(),
            "{hostile:?}: the device cookie is kept"
        );
        let session = b.json("/api/v1/session").await;
        assert_eq!(
            session["user"]["username"], "traveller",
            "{hostile:?}: logged in"
        );
    }
}
