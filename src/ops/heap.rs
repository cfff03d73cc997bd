//! With the `heap-count` feature, the global allocator counts the bytes live on
//! the heap (what the program holds, before the allocator's own pages), so a
//! soak can tell the program's growth from the allocator's
//! (`HEAP=1 bench/soak`; `/metrics` then has `tailor_heap_live_bytes`). Off by
//! default: it adds an atomic add to every allocation and free.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

static LIVE: AtomicUsize = AtomicUsize::new(0);

/// mimalloc, counting the bytes asked for and not yet given back.
pub struct Counting;

// SAFETY: every call is passed on unchanged to mimalloc; only the count is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        counted(mimalloc::MiMalloc.alloc(layout), layout.size())
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        counted(mimalloc::MiMalloc.alloc_zeroed(layout), layout.size())
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        mimalloc::MiMalloc.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = mimalloc::MiMalloc.realloc(ptr, layout, new_size);
        if !moved.is_null() {
            LIVE.fetch_add(new_size, Relaxed);
            LIVE.fetch_sub(layout.size(), Relaxed);
        }
        moved
    }
}

fn counted(block: *mut u8, size: usize) -> *mut u8 {
    if !block.is_null() {
        LIVE.fetch_add(size, Relaxed);
    }
    block
}

/// The bytes live on the heap now.
pub fn live() -> usize {
    LIVE.load(Relaxed)
}
