//! Demo data two services must agree on without calling each other at start: the demo
//! publications that come with a softcopy (the catalogue links them, the watermark service
//! stores their generated PDFs).

use uuid::Uuid;

/// (publication id, document id, title) of every demo softcopy, office 1674.
pub const SOFTCOPIES: [(Uuid, Uuid, &str); 3] = [
    (
        Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_1674),
        Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0001_1674),
        "Kota Lubuklinggau Dalam Angka 2024",
    ),
    (
        Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0002_1674),
        Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0003_1674),
        "Statistik Daerah Kota Lubuklinggau 2024",
    ),
    (
        Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0004_1674),
        Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0005_1674),
        "Indeks Pembangunan Manusia Kota Lubuklinggau 2023",
    ),
];

/// The demo softcopy of the publication titled `title`, if it has one.
pub fn softcopy(title: &str) -> Option<(Uuid, Uuid)> {
    SOFTCOPIES
        .iter()
        .find(|(_, _, t)| *t == title)
        .map(|(p, d, _)| (*p, *d))
}
