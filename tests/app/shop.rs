//! The catalogue, the cart (pages and API), checkout, and their bad input.

use std::sync::Arc;

use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::{Client, LocalResponse};
use serde_json::{json, Value};

use crate::support::*;

pub async fn add_item<'c>(client: &'c Client, body: &Value) -> LocalResponse<'c> {
    client
        .post("/api/v1/cart/items")
        .header(ContentType::JSON)
        .body(body.to_string())
        .dispatch()
        .await
}

pub async fn cart(client: &Client) -> Value {
    json(client.get("/api/v1/cart").dispatch().await).await
}

async fn post_form<'c>(
    app: &'c TestApp,
    path: &'static str,
    pairs: &[(&str, &str)],
) -> LocalResponse<'c> {
    app.post(path)
        .header(ContentType::Form)
        .body(form(pairs))
        .dispatch()
        .await
}

#[rocket::async_test]
async fn the_catalogue_is_shown_in_the_visitors_language_and_locale() {
    let app = app().await;
    let en = get_text(&app, "/products").await;
    assert_eq!(en.matches("class=\"card product-card\"").count(), 12);
    assert!(en.contains("Oxford shirt") && en.contains("€69.00") && en.contains("€499.00"));
    let es = app
        .get("/products")
        .header(accept_language("es"))
        .dispatch()
        .await
        .into_string()
        .await
        .unwrap();
    assert!(es.contains("Camisa Oxford") && es.contains("69,00\u{a0}€"));
    let detail = get_text(&app, "/products/navy-blazer").await;
    assert!(detail.contains("Navy blazer") && detail.contains("€349.00"));
    for slug in ["nope", "..", "%2e%2e", &"x".repeat(1024)] {
        assert_eq!(
            app.get(format!("/products/{slug}"))
                .dispatch()
                .await
                .status(),
            Status::NotFound,
            "{slug:.20}"
        );
    }
}

#[rocket::async_test]
async fn the_cart_follows_the_visitor_through_the_pages() {
    let app = app().await;
    let page = get_text(&app, "/products/silk-tie").await;
    let token = csrf_token(&page);
    let added = post_form(
        &app,
        "/cart/add",
        &[
            ("csrf_token", &token),
            ("product", "silk-tie"),
            ("quantity", "2"),
        ],
    )
    .await;
    assert_eq!(added.status(), Status::SeeOther);
    assert_eq!(added.headers().get_one("Location"), Some("/cart"));
    drop(added);
    post_form(
        &app,
        "/cart/add",
        &[("csrf_token", &token), ("product", "cufflinks")],
    )
    .await;

    let home = get_text(&app, "/").await;
    assert!(home.contains(r#"<span class="cart-count">3<span class="visually-hidden"> items in your cart</span></span>"#));
    let cart_page = get_text(&app, "/cart").await;
    assert!(
        cart_page.contains("Silk tie")
            && cart_page.contains("€98.00")
            && cart_page.contains("€137.00")
    );

    post_form(
        &app,
        "/cart/update",
        &[
            ("csrf_token", &token),
            ("product", "silk-tie"),
            ("quantity", "5"),
        ],
    )
    .await;
    post_form(
        &app,
        "/cart/remove",
        &[("csrf_token", &token), ("product", "cufflinks")],
    )
    .await;
    assert_eq!(
        cart(&app).await,
        json!({"items": [{"product": "silk-tie", "quantity": 5, "unit_price_cents": 4900}], "total_cents": 24500})
    );
}

#[rocket::async_test]
async fn checkout_places_an_order_empties_the_cart_and_counts_a_conversion() {
    let app = app_with(|f| {
        f.merge(("admin.user", "ops"))
            .merge(("admin.password", "s3cret"))
    })
    .await;
    app.get("/?utm_source=ads&utm_campaign=winter")
        .dispatch()
        .await;
    add_item(&app, &json!({"product": "overcoat", "quantity": 1})).await;
    let token = session_token(&app).await;
    let empty_token = post_form(&app, "/cart/checkout", &[]).await;
    assert_eq!(empty_token.status(), Status::Forbidden);
    drop(empty_token);
    let response = post_form(&app, "/cart/checkout", &[("csrf_token", &token)]).await;
    assert_eq!(response.status(), Status::SeeOther);
    drop(response);
    assert_eq!(cart(&app).await["items"], json!([]));
    assert!(get_text(&app, "/cart")
        .await
        .contains("Thank you! Your order has been placed."));
    let again = post_form(&app, "/cart/checkout", &[("csrf_token", &token)]).await;
    assert_eq!(
        again.status(),
        Status::UnprocessableEntity,
        "an empty cart cannot be ordered"
    );
    drop(again);
    use base64::Engine;
    let auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("ops:s3cret")
    );
    let csv = app
        .get("/admin/campaigns.csv")
        .header(Header::new("Authorization", auth))
        .dispatch()
        .await;
    let csv = csv.into_string().await.unwrap();
    assert!(
        csv.contains("\"last_touch\",\"campaign\",\"winter\",1,0,1"),
        "{csv}"
    );
}

#[rocket::async_test]
async fn the_cart_api_adds_up_sets_and_removes() {
    let app = app().await;
    assert_eq!(cart(&app).await, json!({"items": [], "total_cents": 0}));
    add_item(&app, &json!({"product": "chinos", "quantity": 2})).await;
    let body = json(add_item(&app, &json!({"product": "chinos", "quantity": 3})).await).await;
    assert_eq!(body["items"][0]["quantity"], 5, "quantities add up");
    let set = app
        .put("/api/v1/cart/items/chinos")
        .header(ContentType::JSON)
        .body(r#"{"quantity": 9}"#)
        .dispatch()
        .await;
    assert_eq!(json(set).await["total_cents"], 9 * 8900);
    let removed = app.delete("/api/v1/cart/items/chinos").dispatch().await;
    assert_eq!(removed.status(), Status::Ok);
    assert_eq!(json(removed).await["items"], json!([]));
}

#[rocket::async_test]
async fn bad_quantities_and_products_are_refused_and_change_nothing() {
    let app = app().await;
    add_item(&app, &json!({"product": "chinos", "quantity": 1})).await;
    let before = cart(&app).await;
    for quantity in [
        json!(0),
        json!(-1),
        json!(100),
        json!(1.5),
        json!("2"),
        json!(null),
        json!(u64::MAX),
    ] {
        let response = add_item(&app, &json!({"product": "chinos", "quantity": quantity})).await;
        assert_eq!(response.status(), Status::UnprocessableEntity, "{quantity}");
        assert_eq!(json(response).await["error"]["field"], "quantity");
        let put = app
            .put("/api/v1/cart/items/chinos")
            .header(ContentType::JSON)
            .body(json!({"quantity": quantity}).to_string())
            .dispatch()
            .await;
        assert_eq!(put.status(), Status::UnprocessableEntity, "PUT {quantity}");
    }
    let over = add_item(&app, &json!({"product": "chinos", "quantity": 99})).await;
    assert_eq!(
        over.status(),
        Status::UnprocessableEntity,
        "1 + 99 is over the line limit"
    );
    for body in [
        json!({"product": "unicorn", "quantity": 1}),
        json!({"product": "<script>", "quantity": 1}),
    ] {
        assert_eq!(
            add_item(&app, &body).await.status(),
            Status::NotFound,
            "{body}"
        );
    }
    for body in [
        json!({"quantity": 1}),
        json!({"product": 7}),
        json!({"product": "chinos", "colour": "red"}),
        json!([1]),
    ] {
        assert_eq!(
            add_item(&app, &body).await.status(),
            Status::UnprocessableEntity,
            "{body}"
        );
    }
    assert_eq!(
        app.put("/api/v1/cart/items/unicorn")
            .header(ContentType::JSON)
            .body(r#"{"quantity":1}"#)
            .dispatch()
            .await
            .status(),
        Status::NotFound
    );
    assert_eq!(
        app.delete("/api/v1/cart/items/unicorn")
            .dispatch()
            .await
            .status(),
        Status::NotFound
    );
    let foreign = app
        .post("/api/v1/cart/items")
        .header(ContentType::JSON)
        .header(Header::new("Origin", "https://evil.example"))
        .body(r#"{"product":"chinos","quantity":1}"#)
        .dispatch()
        .await;
    assert_eq!(foreign.status(), Status::Forbidden);
    let text = app
        .post("/api/v1/cart/items")
        .header(ContentType::Plain)
        .body(r#"{"product":"chinos"}"#)
        .dispatch()
        .await;
    assert_eq!(text.status(), Status::UnsupportedMediaType);
    assert_eq!(cart(&app).await, before);

    let token = session_token(&app).await;
    for quantity in ["0", "-3", "100", "1.5", "two", ""] {
        let response = post_form(
            &app,
            "/cart/update",
            &[
                ("csrf_token", &token),
                ("product", "chinos"),
                ("quantity", quantity),
            ],
        )
        .await;
        assert_eq!(
            response.status(),
            Status::UnprocessableEntity,
            "{quantity:?}"
        );
        assert!(response
            .into_string()
            .await
            .unwrap()
            .contains("Choose a quantity from 1 to 99."));
    }
    let unknown = post_form(
        &app,
        "/cart/add",
        &[("csrf_token", &token), ("product", "unicorn")],
    )
    .await;
    assert_eq!(unknown.status(), Status::NotFound);
    drop(unknown);
    let no_token = post_form(&app, "/cart/add", &[("product", "chinos")]).await;
    assert_eq!(no_token.status(), Status::Forbidden);
    drop(no_token);
    assert_eq!(cart(&app).await, before);
}

#[rocket::async_test]
async fn fifty_concurrent_adds_to_one_cart_make_exactly_fifty() {
    let app = app().await;
    add_item(&app, &json!({"product": "pocket-square", "quantity": 1})).await;
    app.delete("/api/v1/cart/items/pocket-square")
        .dispatch()
        .await;
    let client = Arc::new(app.client);
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let client = client.clone();
            let product = if i % 2 == 0 {
                "pocket-square"
            } else {
                "cufflinks"
            };
            rocket::tokio::spawn(async move {
                add_item(&client, &json!({"product": product, "quantity": 1}))
                    .await
                    .status()
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), Status::Ok);
    }
    let body = cart(&client).await;
    let total: u64 = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["quantity"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 50);
}

#[rocket::async_test]
async fn every_product_on_the_list_has_an_add_to_cart_button_that_works() {
    let app = app().await;
    let list = get_text(&app, "/products").await;
    let catalog = tailor::cart::Catalog::load(&tailor::cart::catalog_path()).unwrap();
    for product in &catalog.products {
        let hidden = format!(r#"name="product" value="{}""#, product.slug);
        assert!(list.contains(&hidden), "{} has an add form", product.slug);
    }
    assert_eq!(
        list.matches(r#"action="/cart/add""#).count(),
        catalog.products.len()
    );
    // What the button sends, as the browser sends it (no JavaScript).
    let token = csrf_token(&list);
    let added = post_form(
        &app,
        "/cart/add",
        &[
            ("csrf_token", &token),
            ("product", "silk-tie"),
            ("quantity", "1"),
        ],
    )
    .await;
    assert_eq!(added.status(), Status::SeeOther);
    drop(added);
    let lines = cart(&app).await;
    assert_eq!(lines["items"][0]["product"], "silk-tie", "{lines}");
    assert_eq!(lines["items"][0]["quantity"], 1);
}

#[rocket::async_test]
async fn an_order_has_a_confirmation_page_for_its_buyer_only() {
    // Arrange: a visitor orders two lines.
    let app = untracked_app_with(|f| f).await;
    let buyer = Browser::new(&app);
    for (product, quantity) in [("overcoat", 1), ("chinos", 2)] {
        let added = buyer
            .send_json(
                rocket::http::Method::Post,
                "/api/v1/cart/items",
                &json!({"product": product, "quantity": quantity}),
            )
            .await;
        assert_eq!(added.status(), Status::Ok);
    }
    let token = csrf_token(&buyer.text("/cart").await);

    // Act: the order is placed.
    let placed = buyer
        .post_form("/cart/checkout", &[("csrf_token", &token)])
        .await;
    assert_eq!(placed.status(), Status::SeeOther);
    let location = placed.headers().get_one("Location").unwrap().to_owned();
    drop(placed);

    // Assert: its page, under a reference that is not the order's number.
    let reference = location
        .strip_prefix("/orders/")
        .expect("the order's page")
        .to_owned();
    assert_eq!(reference.len(), 16, "{reference}");
    assert!(reference.bytes().all(|b| b.is_ascii_alphanumeric()));
    let page = buyer.text(&location).await;
    assert!(page.contains(&format!("Order {reference}")), "{page}");
    assert!(
        page.contains("Wool overcoat") && page.contains("Cotton chinos"),
        "{page}"
    );
    assert!(
        page.contains("Thank you! Your order has been placed."),
        "{page}"
    );
    // Nobody else sees it; numbers and made-up references find nothing.
    let stranger = Browser::new(&app);
    assert_eq!(stranger.get(&location).await.status(), Status::NotFound);
    for guess in [
        "/orders/1",
        "/orders/0000000000000000",
        "/orders/%27%20OR%201=1",
        "/orders/",
    ] {
        assert_eq!(buyer.get(guess).await.status(), Status::NotFound, "{guess}");
    }
}

#[rocket::async_test]
async fn the_account_page_lists_the_accounts_orders() {
    let app = untracked_app_with(|f| f).await;
    let b = Browser::new(&app);
    assert_eq!(
        b.register("orderer", "correct horse battery").await,
        Status::SeeOther
    );
    assert!(b.text("/account").await.contains("No orders yet."));
    b.send_json(
        rocket::http::Method::Post,
        "/api/v1/cart/items",
        &json!({"product": "silk-tie", "quantity": 3}),
    )
    .await;
    let token = csrf_token(&b.text("/cart").await);
    let placed = b
        .post_form("/cart/checkout", &[("csrf_token", &token)])
        .await;
    let location = placed.headers().get_one("Location").unwrap().to_owned();
    drop(placed);
    let account = b.text("/account").await;
    assert!(
        account.contains(&format!("href=\"{location}\"")),
        "{account}"
    );
    assert!(account.contains("3 items"), "{account}");
    // The account's other devices see it; another account does not.
    let phone = Browser::new(&app);
    assert_eq!(
        phone
            .login("orderer", "correct horse battery")
            .await
            .status(),
        Status::SeeOther
    );
    assert_eq!(phone.get(&location).await.status(), Status::Ok);
    let other = Browser::new(&app);
    assert_eq!(
        other
            .register("someone-else", "correct horse battery")
            .await,
        Status::SeeOther
    );
    assert_eq!(other.get(&location).await.status(), Status::NotFound);
}
