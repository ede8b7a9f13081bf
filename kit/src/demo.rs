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

/// A small deterministic generator for demo and benchmark data: the same seed gives the
/// same history on every machine (no `rand` state to carry between services).
#[derive(Debug, Clone)]
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn roll(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.roll() % n.max(1)
    }

    /// One of `from` (which must not be empty).
    pub fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[usize::try_from(self.below(from.len() as u64)).unwrap_or(0)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dice_repeat_for_a_seed_and_stay_in_range() {
        let (mut a, mut b) = (Dice::new(1674), Dice::new(1674));
        let xs: Vec<u64> = (0..50).map(|_| a.below(7)).collect();
        assert_eq!(xs, (0..50).map(|_| b.below(7)).collect::<Vec<_>>());
        assert!(xs.iter().all(|x| *x < 7) && xs.iter().any(|x| *x != xs[0]));
        assert_eq!(Dice::new(0).pick(&["a"]), "a");
    }
}
