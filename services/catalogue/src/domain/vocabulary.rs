//! Typo correction against the catalogue's own vocabulary (the words of titles, subtitles
//! and keywords), in memory: trigram similarity exactly as `pg_trgm` computes it (each
//! word padded with two spaces before and one after, unique trigrams, shared / union), with
//! `pg_trgm`'s own threshold of 0.3.

use std::collections::HashSet;

/// Unknown words of one query looked up for a correction; later ones are kept as typed.
pub const MAX_LOOKUPS: usize = 8;

/// Smallest similarity for a correction (`pg_trgm.similarity_threshold`).
pub const THRESHOLD: f32 = 0.3;

type Trigram = [char; 3];

/// The unique trigrams of one lower-case word, sorted.
pub fn trigrams(word: &str) -> Vec<Trigram> {
    let padded: Vec<char> = "  ".chars().chain(word.chars()).chain([' ']).collect();
    let mut t: Vec<Trigram> = padded.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    t.sort_unstable();
    t.dedup();
    t
}

/// The unique trigrams of a text, as `pg_trgm` takes them: every word (a run of letters
/// and digits), lower-cased and padded, sorted.
pub fn text_trigrams(text: &str) -> Vec<Trigram> {
    let mut t: Vec<Trigram> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .flat_map(|w| trigrams(&w.to_lowercase()))
        .collect();
    t.sort_unstable();
    t.dedup();
    t
}

/// `pg_trgm`'s `similarity()` of two trigram sets.
pub fn similarity(a: &[Trigram], b: &[Trigram]) -> f32 {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - shared;
    if union == 0 {
        0.0
    } else {
        shared as f32 / union as f32
    }
}

/// Typing slips between `a` and `b` (optimal string alignment distance: insertions,
/// deletions, substitutions and swaps of neighbours), if at most `max`.
fn slips(a: &[char], b: &str, max: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        let mut row_min = usize::MAX;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
    }
    (d[n][m] <= max).then_some(d[n][m])
}

/// A snapshot of the vocabulary.
#[derive(Debug, Default)]
pub struct Vocabulary {
    words: Vec<(String, Vec<Trigram>)>,
    set: HashSet<String>,
}

/// Words that are never corrected: one or two letters, and numbers (years).
fn kept(w: &str) -> bool {
    w.chars().count() < 3 || w.chars().all(|c| c.is_ascii_digit())
}

impl Vocabulary {
    pub fn new(words: Vec<String>) -> Self {
        let set = words.iter().cloned().collect();
        let words = words
            .into_iter()
            .map(|w| {
                let t = trigrams(&w);
                (w, t)
            })
            .collect();
        Self { words, set }
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The known word nearest to `word`: the fewest typing slips away (one letter left
    /// out, added, changed, or two swapped: at most one for words under eight letters,
    /// two from eight), then the highest trigram similarity; without such a word, the
    /// most similar at or above the threshold. Ties go to the alphabetically first.
    pub fn nearest(&self, word: &str) -> Option<&str> {
        let t = trigrams(word);
        let chars: Vec<char> = word.chars().collect();
        let max_slips = if chars.len() >= 8 { 2 } else { 1 };
        // Three letters share too few trigrams to judge by: a slip or nothing.
        let slips_only = chars.len() < 4;
        // (slips, similarity, word): fewer slips first, then more similar.
        let mut best: Option<(usize, f32, &str)> = None;
        for (w, wt) in &self.words {
            let s = similarity(&t, wt);
            let slips = slips(&chars, w, max_slips).unwrap_or(usize::MAX);
            if slips == usize::MAX && (slips_only || s < THRESHOLD) {
                continue;
            }
            let better = match best {
                None => true,
                Some((bslips, bs, bw)) => {
                    slips < bslips || (slips == bslips && (s > bs || (s == bs && w.as_str() < bw)))
                }
            };
            if better {
                best = Some((slips, s, w));
            }
        }
        best.map(|(_, _, w)| w)
    }

    /// `text` (lower-cased words) with every word of three letters or more that the
    /// vocabulary does not know replaced by its nearest known word; empty when nothing
    /// changed.
    pub fn correct(&self, text: &str) -> String {
        let mut changed = false;
        // Each lookup scans the vocabulary: a few per query, not one per word of a long one.
        let mut lookups = MAX_LOOKUPS;
        let out: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .map(|w| {
                if kept(&w) || self.set.contains(&w) || lookups == 0 {
                    return w;
                }
                lookups -= 1;
                match self.nearest(&w) {
                    Some(n) => {
                        changed = true;
                        n.to_owned()
                    }
                    None => w,
                }
            })
            .collect();
        if changed {
            out.join(" ")
        } else {
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_matches_pg_trgm() {
        // SELECT similarity('dalm', 'dalam') = 0.375; similarity('lubuklingau',
        // 'lubuklinggau') = 0.7857143 (11 of 14); unrelated words share nothing.
        assert!((similarity(&trigrams("dalm"), &trigrams("dalam")) - 0.375).abs() < 1e-6);
        assert!(
            (similarity(&trigrams("lubuklingau"), &trigrams("lubuklinggau")) - 11.0 / 14.0).abs()
                < 1e-6
        );
        assert_eq!(similarity(&trigrams("kota"), &trigrams("statistik")), 0.0);
        // Whole titles: SELECT similarity(lower('Kabupaten Banyuasin Indeks Pembangunan
        // Manusia 2011'), 'indeks pembangunan manusia banyuasin') = 0.7058824, and so on.
        let s = |a: &str, b: &str| similarity(&text_trigrams(a), &text_trigrams(b));
        assert!(
            (s(
                "Kabupaten Banyuasin Indeks Pembangunan Manusia 2011",
                "indeks pembangunan manusia banyuasin"
            ) - 0.705_882_4)
                .abs()
                < 1e-6
        );
        assert!(
            (s(
                "kota lubuklinggau dalam angka 2024",
                "Kota Lubuklinggau Dalam Angka 2021"
            ) - 0.891_891_9)
                .abs()
                < 1e-6
        );
        assert_eq!(s("a-b c", "c b a"), 1.0);
        assert_eq!(trigrams("aaa").len(), 4); // show_trgm('aaa')
    }

    #[test]
    fn unknown_words_become_their_nearest_known_word() {
        let v = Vocabulary::new(
            [
                "kota",
                "lubuklinggau",
                "dalam",
                "angka",
                "statistik",
                "daerah",
            ]
            .map(String::from)
            .to_vec(),
        );
        assert_eq!(
            v.correct("Kota Lubuklingau Dalm Angka 2024"),
            "kota lubuklinggau dalam angka 2024"
        );
        // Known words, short words and numbers: unchanged.
        assert_eq!(v.correct("statistik daerah 2024 di"), "");
        // Nothing near enough: kept as typed.
        assert_eq!(v.correct("xylofon"), "");
        assert_eq!(v.nearest("statistk"), Some("statistik"));
    }

    #[test]
    fn a_slip_of_the_keyboard_wins_over_a_look_alike() {
        let v = Vocabulary::new(
            ["flores", "timur", "sorong", "karo", "kota", "kato"]
                .map(String::from)
                .to_vec(),
        );
        // Swapped, left out, changed, added: one slip each, though the trigrams share
        // less than pg_trgm's threshold.
        assert!(similarity(&trigrams("folres"), &trigrams("flores")) < THRESHOLD);
        assert_eq!(v.nearest("folres"), Some("flores"));
        assert_eq!(v.nearest("timue"), Some("timur"));
        assert_eq!(v.nearest("sroong"), Some("sorong"));
        assert_eq!(v.nearest("krao"), Some("karo"));
        // Two words one slip away: the more similar.
        assert_eq!(v.nearest("kotta"), Some("kota"));
        // Three letters: a slip ("kot" for kota), never a look-alike.
        assert_eq!(v.nearest("kot"), Some("kota"));
        assert_eq!(v.nearest("xyz"), None);
        assert_eq!(slips(&['a', 'b'], "ba", 1), Some(1));
        assert_eq!(
            slips(&"statistik".chars().collect::<Vec<_>>(), "stat", 2),
            None
        );
    }
}
