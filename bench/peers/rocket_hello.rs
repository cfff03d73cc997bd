//! The ceiling for anything on Rocket: a bare "hello" with Rocket's defaults.
//! Built by `bench/run` as `cargo build --release --example rocket_hello`.

#[rocket::get("/")]
fn hello() -> &'static str {
    "Hello, world!"
}

#[rocket::launch]
fn launch() -> _ {
    rocket::build().mount("/", rocket::routes![hello])
}
