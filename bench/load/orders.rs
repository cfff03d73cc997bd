//! Order placement under load: `CONNECTIONS` visitors at once, each with its own
//! session, adding a product and placing an order in a loop for `SECONDS`; the
//! latency of each `POST /cart/checkout` (a committed order) is recorded.
//!
//! ```text
//! order_load BASE_URL [CONNECTIONS=64] [SECONDS=10] [anonymous|account]
//! ```
//!
//! `account` registers one account per visitor first, so every order is the
//! account's cart checked out in one transaction; `anonymous` orders the session's
//! cart. Prints one line: orders, orders/s, p50, p99 and max checkout latency in ms.

use std::time::{Duration, Instant};

fn token(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

struct Visitor {
    http: reqwest::Client,
    base: String,
    cookie: String,
    token: String,
}

impl Visitor {
    fn keep_cookie(&mut self, response: &reqwest::Response) {
        for header in response.headers().get_all("set-cookie") {
            if let Some(rest) = header.to_str().unwrap_or("").strip_prefix("tailor_sid=") {
                self.cookie = rest.split(';').next().unwrap_or("").to_owned();
            }
        }
    }

    async fn get(&mut self, path: &str) -> String {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .header("Cookie", format!("tailor_sid={}", self.cookie))
            .send()
            .await
            .expect("tailor answers");
        self.keep_cookie(&response);
        response.text().await.unwrap_or_default()
    }

    async fn post_form(&mut self, path: &str, body: String) -> u16 {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Cookie", format!("tailor_sid={}", self.cookie))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("tailor answers");
        self.keep_cookie(&response);
        response.status().as_u16()
    }

    async fn start(base: String, n: usize, account: bool) -> Visitor {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let mut v = Visitor {
            http,
            base,
            cookie: String::new(),
            token: String::new(),
        };
        let page = v.get("/register").await;
        v.token = token(&page).expect("a CSRF token");
        if account {
            let name = format!("load-{n}-{}", std::process::id());
            let body = format!(
                "csrf_token={}&username={name}&password=a+long+enough+password",
                v.token
            );
            assert_eq!(v.post_form("/register", body).await, 303, "registered");
            let page = v.get("/preferences").await;
            v.token = token(&page).expect("a CSRF token");
        }
        v
    }

    /// Adds a product, then places the order; returns the checkout's latency.
    async fn order(&mut self) -> Duration {
        let added = self
            .http
            .post(format!("{}/api/v1/cart/items", self.base))
            .header("Cookie", format!("tailor_sid={}", self.cookie))
            .header("Content-Type", "application/json")
            .body(r#"{"product":"silk-tie","quantity":1}"#)
            .send()
            .await
            .expect("tailor answers");
        assert_eq!(added.status().as_u16(), 200, "added to the cart");
        let body = format!("csrf_token={}", self.token);
        let t0 = Instant::now();
        let status = self.post_form("/cart/checkout", body).await;
        let took = t0.elapsed();
        assert_eq!(status, 303, "the order is placed");
        took
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let base = args
        .get(1)
        .cloned()
        .expect("usage: order_load BASE_URL [CONNECTIONS] [SECONDS] [anonymous|account]");
    let connections: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(64);
    let seconds: u64 = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(10);
    let account = args.get(4).is_some_and(|m| m == "account");

    let mut visitors = Vec::new();
    for n in 0..connections {
        visitors.push(Visitor::start(base.clone(), n, account).await);
    }
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let tasks: Vec<_> = visitors
        .into_iter()
        .map(|mut v| {
            tokio::spawn(async move {
                let mut took = Vec::new();
                while Instant::now() < deadline {
                    took.push(v.order().await);
                }
                took
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| {
        let i = ((all.len() as f64 * p).ceil() as usize).clamp(1, all.len()) - 1;
        all[i].as_secs_f64() * 1000.0
    };
    println!(
        "{} orders, {:.0} orders/s, checkout p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        all.len(),
        all.len() as f64 / elapsed,
        pct(0.50),
        pct(0.99),
        all.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    );
}
