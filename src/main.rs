//! Launches tailor as configured by `Rocket.toml` and `ROCKET_*` variables.
//!
//! `tailor hash-password` instead reads a password from standard input and prints
//! its argon2id PHC hash, for `admin.password`.

use std::io::Read;

/// mimalloc: the request path allocates many small short-lived blocks (glibc's
/// malloc and free were a tenth of a page's profile), and sessions are small
/// blocks that glibc rounds up with a header each. Its v2 series (Cargo.toml): under
/// the soak's churn v3 kept more and more pages for a level live heap.
#[cfg(not(feature = "heap-count"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The same, counting the heap's live bytes (`tailor::ops::heap`).
#[cfg(feature = "heap-count")]
#[global_allocator]
static ALLOCATOR: tailor::ops::heap::Counting = tailor::ops::heap::Counting;

#[rocket::main]
async fn main() {
    if std::env::args().nth(1).as_deref() == Some("decision-key") {
        let (key, hash) = tailor::decisions::keys::new_key();
        println!("key:    {key}");
        println!("sha256: {hash}");
        println!();
        println!("Give the key to the operator's backend (Authorization: Bearer <key>) and");
        println!(
            "configure only its hash: decisions.keys = [{{ name = \"web\", sha256 = \"{hash}\" }}]"
        );
        return;
    }
    if std::env::args().nth(1).as_deref() == Some("hash-password") {
        let mut password = String::new();
        if std::io::stdin().read_to_string(&mut password).is_err() {
            eprintln!("tailor hash-password: cannot read the password from standard input");
            std::process::exit(2);
        }
        let password = password.trim_end_matches(['\r', '\n']).to_owned();
        let pool = tailor::hashing::HashPool::for_machine();
        match pool.hash_password(password).await {
            Ok(hash) => println!("{hash}"),
            Err(e) => {
                eprintln!("tailor hash-password: {e}");
                std::process::exit(1);
            }
        }
        return;
    }
    if let Err(e) = tailor::rocket().launch().await {
        // pretty_print logs the cause (a taken port, a bad setting) once.
        let kind = e.pretty_print();
        eprintln!("tailor: {kind}");
        std::process::exit(1);
    }
}
