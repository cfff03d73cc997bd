//! How the memory store weighs a record, for its bounds.

/// How the store weighs a record, for its bounds.
#[derive(Clone, Copy)]
pub struct Weigher<R> {
    /// Whether the record holds something its visitor chose (a preference, a
    /// draft, a cart line, a login): such records are evicted last.
    pub keep: fn(&R) -> bool,
    /// About how many bytes the record takes, on the heap and inline.
    pub bytes: fn(&R) -> usize,
}

impl<R> Default for Weigher<R> {
    /// Every record is kept alike and weighs its inline size.
    fn default() -> Self {
        Weigher {
            keep: |_| true,
            bytes: |_| std::mem::size_of::<R>(),
        }
    }
}
