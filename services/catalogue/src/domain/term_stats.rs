//! How many publications hold a word, as Postgres' own statistics of the search column
//! estimate it (`pg_stats.most_common_elems`, refreshed by ANALYZE), and what a search
//! plan follows from it. A text search costs what its matches cost to read: a query
//! whose rarest word is in few publications reads all its matches through the word
//! index and ranks them exactly; a query of common words only would read a large part
//! of the catalogue that way, so it walks the newest publications instead and stops at
//! the first matches (and says its counts are estimates).

use std::collections::HashMap;

/// Matches a search reads in full through the word index, at most (above: newest first),
/// on a catalogue of `rows`. Reading M matches costs about M row reads; walking the newest
/// publications until `WALK` of them match costs about `WALK × rows / M` (measured: a
/// walked row costs 0.8 of a matched one). The two are equal at M = √(0.8 × WALK × rows),
/// where either costs the least its worst case can: 3,100 matches at 200,000 publications.
pub fn rare_rows(rows: f64) -> f64 {
    (0.8 * WALK * rows).sqrt().max(500.0)
}

/// Matches a broad query walks to (the newest first), ranked among themselves.
pub const WALK: f64 = 60.0;

#[derive(Debug, Clone)]
pub struct TermStats {
    rows: f64,
    freq: HashMap<String, f32>,
    /// The smallest frequency tracked: a word not tracked is at most this common.
    floor: f32,
}

/// The words of a parsed query (`querytree` of a tsquery): wanted and refused lexemes,
/// and whether any two are joined by OR.
#[derive(Debug, Default, PartialEq)]
pub struct QueryTerms {
    pub wanted: Vec<String>,
    pub refused: Vec<String>,
    pub any_or: bool,
}

impl QueryTerms {
    /// Reads `querytree` output such as `'kemiskin' & 'musi' & !'rawa' | 'inflas'`.
    pub fn parse(tree: &str) -> Self {
        let mut terms = Self::default();
        let mut chars = tree.chars().peekable();
        let mut negated = false;
        while let Some(c) = chars.next() {
            match c {
                '!' => negated = true,
                '|' => terms.any_or = true,
                '\'' => {
                    let mut word = String::new();
                    while let Some(c) = chars.next() {
                        if c == '\'' {
                            if chars.peek() == Some(&'\'') {
                                chars.next();
                                word.push('\'');
                            } else {
                                break;
                            }
                        } else {
                            word.push(c);
                        }
                    }
                    if negated {
                        terms.refused.push(word);
                    } else {
                        terms.wanted.push(word);
                    }
                    negated = false;
                }
                _ => {}
            }
        }
        terms
    }
}

/// How a text search finds its candidates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Plan {
    /// Few matches: read them all through the word index, rank them all (exact counts).
    Rare,
    /// Many: the newest matches, walking the year index (counts are estimates).
    Dense,
}

impl TermStats {
    /// From `pg_stats`: the lexemes tracked, their frequencies followed by the minimum,
    /// maximum and null frequency (as Postgres stores them), and the table's row count.
    /// `None` before the table was first analysed.
    pub fn new(rows: f64, elems: Vec<String>, freqs: Vec<f32>) -> Option<Self> {
        if rows <= 0.0 || elems.is_empty() || freqs.len() < elems.len() + 2 {
            return None;
        }
        let floor = freqs[elems.len()];
        Some(Self {
            rows,
            freq: elems.into_iter().zip(freqs).collect(),
            floor,
        })
    }

    /// Publications in the catalogue, as of the statistics.
    pub fn rows(&self) -> f64 {
        self.rows
    }

    /// Publications holding `lexeme`, about.
    pub fn estimate(&self, lexeme: &str) -> f64 {
        f64::from(self.freq.get(lexeme).copied().unwrap_or(self.floor)) * self.rows
    }

    /// Matches of the whole query, at most about: the rarest wanted word's count (all
    /// must match), or the sum when words are alternatives.
    pub fn matches(&self, terms: &QueryTerms) -> f64 {
        let each = terms.wanted.iter().map(|w| self.estimate(w));
        if terms.any_or {
            each.sum()
        } else {
            each.fold(f64::INFINITY, f64::min)
        }
    }

    pub fn plan(&self, terms: &QueryTerms) -> Plan {
        if terms.wanted.is_empty() || self.matches(terms) <= rare_rows(self.rows) {
            Plan::Rare
        } else {
            Plan::Dense
        }
    }

    /// For a query whose words found nothing together: the words the statistics do not
    /// track (rare, or typos that match nothing), and the tracked ones rarest first while
    /// their matches stay few (at least one tracked word, so something can match), as
    /// alternatives.
    pub fn rare_alternatives(&self, terms: &QueryTerms) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut tracked: Vec<(f64, &String)> = Vec::new();
        for w in &terms.wanted {
            if out.contains(w) || tracked.iter().any(|(_, t)| *t == w) {
                continue;
            }
            match self.freq.get(w) {
                Some(f) => tracked.push((f64::from(*f) * self.rows, w)),
                None => out.push(w.clone()),
            }
        }
        tracked.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut total = 0.0;
        for (i, (n, w)) in tracked.into_iter().enumerate() {
            if i > 0 && total + n > rare_rows(self.rows) {
                break;
            }
            total += n;
            out.push(w.clone());
        }
        out
    }
}

/// A tsquery (text form) of `words` as alternatives, each quoted as a lexeme.
pub fn any_of(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("'{}'", w.replace('\\', "\\\\").replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats() -> TermStats {
        // 200,000 rows: "kabupaten" in 60 %, "statistik" in 40 %, "2021" in 5 %; the
        // tracked minimum 0.1 %.
        TermStats::new(
            200_000.0,
            vec!["kabupaten".into(), "statistik".into(), "2021".into()],
            vec![0.6, 0.4, 0.05, 0.001, 0.6, 0.0],
        )
        .expect("stats")
    }

    #[test]
    fn querytree_is_read_with_negation_alternatives_and_quotes() {
        let t = QueryTerms::parse("'kemiskin' & 'musi' & !'rawa' | 'it''s'");
        assert_eq!(t.wanted, ["kemiskin", "musi", "it's"]);
        assert_eq!(t.refused, ["rawa"]);
        assert!(t.any_or);
        assert_eq!(QueryTerms::parse(""), QueryTerms::default());
    }

    #[test]
    fn a_rare_word_makes_the_whole_query_rare() {
        let s = stats();
        let common = QueryTerms::parse("'kabupaten' & 'statistik'");
        assert_eq!(s.plan(&common), Plan::Dense);
        // "lubuklinggau" is not tracked: at most 0.1 % = 200 rows.
        let with_region = QueryTerms::parse("'kabupaten' & 'statistik' & 'lubuklinggau'");
        assert!((s.matches(&with_region) - 200.0).abs() < 0.01);
        assert_eq!(s.plan(&with_region), Plan::Rare);
        // As alternatives, every word counts.
        let or = QueryTerms::parse("'kabupaten' | 'lubuklinggau'");
        assert_eq!(s.plan(&or), Plan::Dense);
        assert_eq!(s.plan(&QueryTerms::default()), Plan::Rare);
    }

    #[test]
    fn alternatives_keep_the_untracked_words_and_at_least_one_tracked() {
        let s = stats();
        let t = QueryTerms::parse("'kabupaten' & 'lubuklinggau' & '2021' & 'musi'");
        assert_eq!(s.rare_alternatives(&t), ["lubuklinggau", "musi", "2021"]);
        let common = QueryTerms::parse("'kabupaten' & 'statistik'");
        assert_eq!(s.rare_alternatives(&common), ["statistik"]);
        assert_eq!(
            any_of(&["it's".into(), "a\\b".into()]),
            "'it''s' | 'a\\\\b'"
        );
    }

    #[test]
    fn no_statistics_before_the_first_analyse() {
        assert!(TermStats::new(-1.0, vec![], vec![]).is_none());
        assert!(TermStats::new(10.0, vec!["a".into()], vec![0.5]).is_none());
    }
}
