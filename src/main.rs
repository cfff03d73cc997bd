//! Launches tailor as configured by `Rocket.toml` and `ROCKET_*` variables.

#[rocket::launch]
fn launch() -> _ {
    tailor::rocket()
}
