//! The render cache's key: a keyed 128-bit SipHash of everything a rendering
//! depends on (the template's name, the variant, the context's type and the typed
//! context itself), and the owner tag that lets "forget me" find a visitor's pages
//! (the session's creation time, which survives a regenerated id).
//!
//! The context is written by a serde serializer into a compact, self-delimiting
//! byte encoding (every value starts with a tag; strings and bytes carry their
//! length; sequences, maps and structs end with an end tag; struct fields carry
//! their names), so two different contexts of one type never encode alike, and the
//! encoding is hashed once. No JSON is written, and nothing is escaped, on a hit.
//!
//! Why two visitors' pages cannot mix: equal keys need equal encodings, or a
//! SipHash-1-3 collision in 128 bits under a key drawn at random at launch and
//! never shown. Without the key nobody can search for a collision; by chance, the
//! odds for n distinct contexts are about n² / 2¹²⁹ (for a billion contexts, about
//! 1.5 × 10⁻²¹).

use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use serde::Serialize;
use siphasher::sip::SipHasher13 as Sip64;
use siphasher::sip128::{Hasher128, SipHasher13 as Sip128};

use super::encode::Encoder;

/// This process's secret hashing keys.
fn keys() -> &'static [u64; 4] {
    static KEYS: OnceLock<[u64; 4]> = OnceLock::new();
    KEYS.get_or_init(rand::random)
}

/// The key of template `name` in `variant` with context `context`; `None` when
/// the context cannot be serialised (then the page is rendered, not cached).
pub(super) fn key_of<T: Serialize>(name: &str, variant: &str, context: &T) -> Option<u128> {
    thread_local! {
        static BUFFER: RefCell<Vec<u8>> = RefCell::new(Vec::with_capacity(4096));
    }
    BUFFER.with(|buffer| {
        let mut buffer = buffer.try_borrow_mut().ok()?;
        buffer.clear();
        let mut out = Encoder(&mut buffer);
        out.str(name);
        out.str(variant);
        out.str(std::any::type_name::<T>());
        context.serialize(&mut out).ok()?;
        let [k0, k1, _, _] = *keys();
        let mut hasher = Sip128::new_with_keys(k0, k1);
        hasher.write(&buffer);
        let hash = hasher.finish128();
        // A page too big to key is not cached (the buffer is not kept that big).
        if buffer.capacity() > 1 << 20 {
            *buffer = Vec::with_capacity(4096);
        }
        Some(hash.as_u128())
    })
}

/// The tag of the pages rendered for the session created at `created`: "forget
/// me" and account deletion purge the pages of theirs. Not the session's id,
/// which a login or a password change replaces: the pages rendered before it
/// must go too. (Two sessions created in the same nanosecond share a tag: a
/// purge of one drops the other's pages too, which costs a render, nothing more.)
pub fn owner_of(created: &chrono::DateTime<chrono::Utc>) -> u64 {
    let [_, _, k2, k3] = *keys();
    let mut hasher = Sip64::new_with_keys(k2, k3);
    created.hash(&mut hasher);
    // 0 is the tag of pages rendered without a session.
    hasher.finish().max(1)
}
