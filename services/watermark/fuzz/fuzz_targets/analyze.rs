//! Any bytes through the upload analysis and the mark reader: they may be refused, never
//! panic, loop or allocate without bound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pst_watermark::pdf::{Limits, analyze, text::find_marks};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_object_bytes: 1 << 20,
        max_inflated: 8 << 20,
        max_stream_inflated: 8 << 20,
        ..Limits::default()
    };
    if let Ok(a) = analyze(data, limits) {
        assert!(a.pages > 0);
        assert_eq!(a.plan.base_len, a.base.len() as u64);
    }
    let _ = find_marks(data, limits);
});
