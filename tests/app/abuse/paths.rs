//! Only request paths in normal form are pages: no second name for a page, and no
//! visit recorded under one.

use rocket::http::Status;

use crate::support::*;

#[rocket::async_test]
async fn abnormal_paths_answer_404_and_are_never_recorded() {
    let app = app().await;
    assert_eq!(app.get("/cart").dispatch().await.status(), Status::Ok);
    for path in [
        "//cart",
        "/cart//x",
        "/cart/",
        "/./cart",
        "/../cart",
        "/%2e/cart",
        "/%2E%2E/cart",
        "//",
        "/products//silk-tie",
    ] {
        let response = app.get(path).dispatch().await;
        assert_eq!(response.status(), Status::NotFound, "{path}");
    }
    let api = app.get("/api//v1/preferences").dispatch().await;
    assert_eq!(api.status(), Status::NotFound);
    assert_eq!(json(api).await["error"]["code"], "not_found");
    let visits = json(app.get("/api/v1/history").dispatch().await).await;
    let paths: Vec<&str> = visits["visits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["path"].as_str())
        .collect();
    assert_eq!(paths, ["/cart"], "only the normal path was recorded");
}
