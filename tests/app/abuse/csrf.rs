//! The CSRF token changes with the session id: a token planted or seen before a
//! login (or a password change) is worthless after it.

use rocket::http::Status;

use crate::support::*;

const PASSWORD: &str = "correct horse battery";

#[rocket::async_test]
async fn a_token_from_before_login_is_refused_after_it() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    let before = csrf_token(&b.text("/register").await);
    let registered = b
        .post_form(
            "/register",
            &[
                ("csrf_token", &before),
                ("username", "planted"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(registered.status(), Status::SeeOther);
    drop(registered);
    let after = csrf_token(&b.text("/account").await);
    assert_ne!(before, after, "a new token with the new id");
    let stale = b
        .post_form("/account/logout-others", &[("csrf_token", &before)])
        .await;
    assert_eq!(
        stale.status(),
        Status::Forbidden,
        "the planted token is void"
    );
    drop(stale);
    let fresh = b
        .post_form("/account/logout-others", &[("csrf_token", &after)])
        .await;
    assert_eq!(fresh.status(), Status::SeeOther);
    drop(fresh);

    // A password change renews it too.
    let token = csrf_token(&b.text("/account").await);
    let changed = b
        .post_form(
            "/account/password",
            &[
                ("csrf_token", &token),
                ("current", PASSWORD),
                ("new", "another long password"),
            ],
        )
        .await;
    assert_eq!(changed.status(), Status::SeeOther);
    drop(changed);
    let stale = b
        .post_form("/account/logout-others", &[("csrf_token", &token)])
        .await;
    assert_eq!(stale.status(), Status::Forbidden);
}
