//! The satisfaction index (IKM) of PermenPAN-RB No. 14/2017.
//!
//! For each element: NRR = sum of scores / respondents who answered it. Each element weighs
//! exactly 1/9 (not a rounded 0.111, which caps the index below 100). IKM = Σ NRR × 1/9, and
//! the converted index is IKM × 25, rounded to two decimals only at the very end. Grades:
//! 25.00-64.99 D (tidak baik), 65.00-76.60 C (kurang baik), 76.61-88.30 B (baik),
//! 88.31-100.00 A (sangat baik).

/// Score totals of one element.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ElementSum {
    pub total: u64,
    pub answered: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ikm {
    /// NRR per element (None when nobody answered it).
    pub nrr: Vec<Option<f64>>,
    /// Σ NRR / n over answered elements, unrounded.
    pub index: f64,
    /// index × 25 rounded to 2 decimals.
    pub converted: f64,
    pub grade: Grade,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grade {
    A,
    B,
    C,
    D,
}

impl Grade {
    pub fn letter(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::B => "B",
            Self::C => "C",
            Self::D => "D",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::A => "sangat baik",
            Self::B => "baik",
            Self::C => "kurang baik",
            Self::D => "tidak baik",
        }
    }

    /// The band of a converted index already rounded to two decimals.
    pub fn of(converted: f64) -> Self {
        // Compare in hundredths as integers, so 88.30 vs 88.31 is exact.
        let c = (converted * 100.0).round() as i64;
        match c {
            c if c >= 8831 => Self::A,
            c if c >= 7661 => Self::B,
            c if c >= 6500 => Self::C,
            _ => Self::D,
        }
    }
}

/// Rounds half away from zero to two decimals, robust to binary representation (x.xx5).
pub fn round2(x: f64) -> f64 {
    let scaled = x * 100.0;
    // Nudge by a relative epsilon so 88.305 (stored as 88.30499999…) rounds up as written.
    (scaled + scaled.signum() * 1e-9 * scaled.abs().max(1.0)).round() / 100.0
}

/// The IKM from per-element sums; `None` without any answer.
pub fn compute(sums: &[ElementSum]) -> Option<Ikm> {
    let weight = 1.0 / sums.len() as f64;
    let nrr: Vec<Option<f64>> = sums
        .iter()
        .map(|s| (s.answered > 0).then(|| s.total as f64 / s.answered as f64))
        .collect();
    if nrr.iter().all(Option::is_none) {
        return None;
    }
    let index: f64 = nrr.iter().flatten().map(|n| n * weight).sum();
    let converted = round2(index * 25.0);
    Some(Ikm {
        nrr,
        index,
        converted,
        grade: Grade::of(converted),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uniform(score: u64, n: u64) -> Vec<ElementSum> {
        vec![
            ElementSum {
                total: score * n,
                answered: n
            };
            9
        ]
    }

    #[test]
    fn all_fours_is_exactly_one_hundred_not_capped_by_a_rounded_weight() {
        let ikm = compute(&uniform(4, 37)).expect("answers");
        assert_eq!(ikm.converted, 100.0);
        assert_eq!(ikm.grade, Grade::A);
        // The known bug: 0.111 per element gives 99.90.
        let buggy: f64 = (0..9).map(|_| 4.0 * 0.111).sum::<f64>() * 25.0;
        assert!((buggy - 99.9).abs() < 1e-9);
    }

    #[test]
    fn all_ones_is_twenty_five_grade_d() {
        let ikm = compute(&uniform(1, 5)).expect("answers");
        assert_eq!(ikm.converted, 25.0);
        assert_eq!(ikm.grade, Grade::D);
    }

    #[test]
    fn worked_example_from_mixed_scores() {
        // 10 respondents. Element totals: U1 35, U2 32, U3 30, U4 40, U5 33, U6 34, U7 36, U8 28, U9 31.
        let totals = [35, 32, 30, 40, 33, 34, 36, 28, 31];
        let sums: Vec<ElementSum> = totals
            .iter()
            .map(|&t| ElementSum {
                total: t,
                answered: 10,
            })
            .collect();
        let ikm = compute(&sums).expect("answers");
        // NRR = 3.5, 3.2, 3.0, 4.0, 3.3, 3.4, 3.6, 2.8, 3.1 → Σ = 29.9 → IKM = 29.9/9 = 3.32222…
        assert!((ikm.index - 29.9 / 9.0).abs() < 1e-12);
        // × 25 = 83.0555… → 83.06, grade B.
        assert_eq!(ikm.converted, 83.06);
        assert_eq!(ikm.grade, Grade::B);
        assert_eq!(ikm.nrr[7], Some(2.8));
    }

    #[test]
    fn nrr_divides_by_those_who_answered_the_element() {
        let mut sums = uniform(3, 4);
        sums[2] = ElementSum {
            total: 8,
            answered: 2,
        };
        let ikm = compute(&sums).expect("answers");
        assert_eq!(ikm.nrr[2], Some(4.0));
    }

    #[test]
    fn every_band_edge() {
        for (value, grade) in [
            (25.00, Grade::D),
            (64.99, Grade::D),
            (65.00, Grade::C),
            (76.60, Grade::C),
            (76.61, Grade::B),
            (88.30, Grade::B),
            (88.31, Grade::A),
            (100.00, Grade::A),
        ] {
            assert_eq!(Grade::of(value), grade, "{value}");
        }
        assert_eq!(Grade::A.label(), "sangat baik");
        assert_eq!(Grade::D.label(), "tidak baik");
    }

    #[test]
    fn rounding_happens_once_at_the_end() {
        assert_eq!(round2(88.305), 88.31);
        assert_eq!(round2(64.994_999), 64.99);
        assert_eq!(round2(76.605), 76.61);
        // 2.6 × 25 = 65 exactly: an element set averaging 2.6 is grade C, not D.
        let ikm = compute(
            &[ElementSum {
                total: 13,
                answered: 5,
            }; 9],
        )
        .expect("answers");
        assert_eq!((ikm.converted, ikm.grade), (65.0, Grade::C));
    }

    #[test]
    fn no_answers_no_index() {
        assert_eq!(compute(&[ElementSum::default(); 9]), None);
    }
}
