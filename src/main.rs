//! Launches tailor as configured by `Rocket.toml` and `ROCKET_*` variables.

/// mimalloc: the request path allocates many small short-lived blocks (glibc's
/// malloc and free were a tenth of a page's profile), and sessions are small
/// blocks that glibc rounds up with a header each.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[rocket::launch]
fn launch() -> _ {
    tailor::rocket()
}
