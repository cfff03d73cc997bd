//! French as the third language, plurals through Fluent, and operator pages that
//! speak the operator's language too.

use rocket::http::{ContentType, Status};

use crate::support::*;

async fn in_language(app: &TestApp, path: &str, lang: &str) -> String {
    let response = app
        .get(path.to_owned())
        .header(accept_language(lang))
        .dispatch()
        .await;
    assert_eq!(response.status(), Status::Ok, "{path}");
    response.into_string().await.unwrap()
}

async fn add(app: &TestApp, token: &str, product: &str, quantity: &str) {
    let added = app
        .post("/cart/add")
        .header(ContentType::Form)
        .body(form(&[
            ("csrf_token", token),
            ("product", product),
            ("quantity", quantity),
        ]))
        .dispatch()
        .await;
    assert_eq!(added.status(), Status::SeeOther);
}

#[rocket::async_test]
async fn a_french_browser_gets_the_whole_site_in_french() {
    let app = app().await;
    let home = in_language(&app, "/", "fr-FR,fr;q=0.9,en;q=0.5").await;
    assert!(home.contains(r#"<html lang="fr""#));
    assert!(home.contains("Bienvenue chez tailor"));
    assert!(home.contains("Préférences") && home.contains("Confidentialité"));
    let products = in_language(&app, "/products", "fr").await;
    assert!(products.contains("Chemise Oxford") && products.contains("Ajouter au panier"));
    assert!(products.contains("69,00\u{a0}€"), "prices in French");
    let token = csrf_token(&products);
    add(&app, &token, "overcoat", "3").await;
    let cart = in_language(&app, "/cart", "fr").await;
    assert!(
        cart.contains("1\u{202f}497,00\u{a0}€"),
        "a narrow space between thousands"
    );
    let prefs = in_language(&app, "/preferences", "fr").await;
    assert!(prefs.contains(r#"value="fr""#) && prefs.contains("Français"));
}

#[rocket::async_test]
async fn a_cart_of_one_line_reads_one_item_in_every_language() {
    let app = app().await;
    let token = session_token(&app).await;
    add(&app, &token, "silk-tie", "1").await;
    for (lang, one) in [
        ("en", "1 item<"),
        ("es", "1 artículo<"),
        ("fr", "1 article<"),
    ] {
        let cart = in_language(&app, "/cart", lang).await;
        assert!(cart.contains(one), "{lang}: {cart}");
    }
    add(&app, &token, "cufflinks", "1").await;
    for (lang, two) in [
        ("en", "2 items<"),
        ("es", "2 artículos<"),
        ("fr", "2 articles<"),
    ] {
        let cart = in_language(&app, "/cart", lang).await;
        assert!(cart.contains(two), "{lang}");
    }
    let product = in_language(&app, "/products/silk-tie", "fr").await;
    assert!(product.contains("Déjà 1 dans votre panier."));
}

#[rocket::async_test]
async fn operator_pages_translate_option_values_and_special_rows() {
    let app = app_with(with_admin).await;
    let token = session_token(&app).await;
    let sent = app
        .post("/forms/contact")
        .header(ContentType::Form)
        .body(form(&[
            ("csrf_token", &token),
            ("action", "submit"),
            ("name", "Ana"),
            ("email", "ana@example.org"),
            ("topic", "sales"),
            ("contact_time", "evening"),
            ("newsletter", "on"),
            ("message", "Hola"),
        ]))
        .dispatch()
        .await;
    assert_eq!(sent.status(), Status::SeeOther);
    drop(sent);
    let operator_page = |path: &'static str, lang: &'static str| {
        let app = &app;
        async move {
            let response = app
                .get(path)
                .header(operator())
                .header(accept_language(lang))
                .dispatch()
                .await;
            response.into_string().await.unwrap()
        }
    };
    let es = operator_page("/admin/submissions", "es").await;
    assert!(
        es.contains("<dd>Ventas</dd>") && es.contains("<dd>Noche</dd>"),
        "{es}"
    );
    assert!(es.contains("<dd>Sí</dd>"), "a ticked box reads yes");
    assert!(
        !es.contains("<dd>sales</dd>")
            && !es.contains("<dd>evening</dd>")
            && !es.contains("<dd>on</dd>")
    );
    let fr = operator_page("/admin/submissions", "fr").await;
    assert!(
        fr.contains("<dd>Ventes</dd>")
            && fr.contains("<dd>Le soir</dd>")
            && fr.contains("<dd>Oui</dd>")
    );
    let campaigns = operator_page("/admin/campaigns", "es").await;
    assert!(campaigns.contains("(directo)"), "{campaigns}");
    assert!(!campaigns.contains("(direct)<") && !campaigns.contains("(not set)"));
}
