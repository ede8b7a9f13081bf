//! A search as tantivy queries: each word weighted by where it is found, the query's
//! operators, the loose match of rare and misspelt words, and scoring that does not move
//! with the catalogue (so page cursors hold).

use tantivy::query::{
    AllQuery, Bm25StatisticsProvider, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery,
    Occur, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::SearchIndex;
use super::schema::Fields;
use super::scored::ScoredBy;
use crate::domain::tsquery::Expr;

/// Weights of a word found in the title, the subtitle or keywords, and the abstract
/// (Postgres' A, B, C).
const FIELD_BOOSTS: [f32; 3] = [3.0, 1.5, 1.0];

/// How a query's words must match.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Match {
    /// As the query says (all words, unless it says OR or NOT).
    Query,
    /// The words found nothing together (a typo left, words of two titles): at least one
    /// of the rare words (those in few publications, and title words a typing slip or two
    /// from a word no publication holds), the common ones only adding to the score. Only
    /// the rare words' publications are read.
    Loose,
    /// Any of the words known to the catalogue, more of them higher (nothing rare matched).
    Any,
}

/// A loose match reads the publications of its rarest words up to this many.
const LOOSE_READ: u64 = 5_000;

/// A loose match scores by its rarest words up to this many (a pasted page of text is not
/// scored word by word).
const SCORED_WORDS: usize = 16;

/// Corpus-independent scoring for queries as asked: every word weighs the same and
/// lengths are measured against fixed averages, so a score does not move when
/// publications are added and a page cursor (score, id) stays in place between pages.
pub(super) struct FixedStatistics(pub(super) Fields);

impl Bm25StatisticsProvider for FixedStatistics {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let f = &self.0;
        let average = if field == f.a {
            8
        } else if field == f.b {
            6
        } else {
            60
        };
        Ok(average * FIXED_DOCS)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(FIXED_DOCS)
    }

    fn doc_freq(&self, _term: &Term) -> tantivy::Result<u64> {
        Ok(FIXED_DOCS / 100)
    }
}

const FIXED_DOCS: u64 = 1_000_000;

impl SearchIndex {
    /// A word found in the title, subtitle or keywords, or abstract, weighted by where.
    pub(super) fn word(&self, lexeme: &str) -> Box<dyn Query> {
        any_of(self.scoring(lexeme, &self.all_fields()))
    }

    /// See `Match::Loose`.
    pub(super) fn loose(&self, searcher: &Searcher, e: &Expr) -> tantivy::Result<Box<dyn Query>> {
        let f = self.fields;
        // (publications holding the word, the word if held, how it is matched)
        let mut words: Vec<(u64, Option<String>, Box<dyn Query>)> = Vec::new();
        for w in e.wanted() {
            let held = searcher.doc_freq(&Term::from_field_text(f.t, &w))?;
            if held > 0 {
                let q = holding(Term::from_field_text(f.t, &w));
                words.push((held, Some(w), q));
            } else if let Some(near) = near(f.a, &w) {
                // A word no publication holds: a typo, read as the title words near it.
                words.push((0, None, near));
            }
        }
        words.sort_by_key(|(held, ..)| *held);
        let mut rare = Vec::new();
        let mut scoring = Vec::new();
        let mut read = 0;
        for (held, word, q) in words {
            if rare.is_empty() || read + held <= LOOSE_READ {
                read += held;
                rare.push(q);
            }
            if let Some(w) = word
                && scoring.len() < SCORED_WORDS * FIELD_BOOSTS.len()
            {
                scoring.extend(self.scoring(&w, &self.all_fields()));
            }
        }
        Ok(Box::new(ScoredBy::new(any_of(rare), scoring)))
    }

    /// A broad query of words that must all match (one word, or several): matched through
    /// the all-words lists, scored by the title, subtitle and keywords only (the abstracts'
    /// lists of a common word are the long ones; among equals the newest come first).
    /// `None` for other shapes (alternatives, refusals), which are asked as they are.
    pub(super) fn broad(&self, e: &Expr) -> Option<Box<dyn Query>> {
        let words: Vec<&String> = match e {
            Expr::Term(w) => vec![w],
            Expr::All(items) => items
                .iter()
                .map(|i| match i {
                    Expr::Term(w) => Some(w),
                    _ => None,
                })
                .collect::<Option<_>>()?,
            _ => return None,
        };
        let f = self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for w in words {
            clauses.push((Occur::Must, holding(Term::from_field_text(f.t, w))));
            // Scored as one union (tantivy's `Should`): a broad query's matches are dense
            // in the sample (the start of every segment), where a union reads its lists
            // in one sweep faster than each list is sought to each match (`ScoredBy`).
            for q in self.scoring(w, &self.all_fields()[..2]) {
                clauses.push((Occur::Should, q));
            }
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    pub(super) fn query(&self, e: &Expr) -> Box<dyn Query> {
        let t = |w: &str| holding(Term::from_field_text(self.fields.t, w));
        match e {
            Expr::Term(w) => Box::new(ScoredBy::new(t(w), self.scoring(w, &self.all_fields()))),
            Expr::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery)),
                (Occur::MustNot, self.query(inner)),
            ])),
            Expr::All(items) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                let mut scoring = Vec::new();
                for i in items {
                    match i {
                        Expr::Not(inner) => clauses.push((Occur::MustNot, self.query(inner))),
                        // Matched through one list per word (fast to intersect), scored
                        // by where the word is.
                        Expr::Term(w) => {
                            clauses.push((Occur::Must, t(w)));
                            scoring.extend(self.scoring(w, &self.all_fields()));
                        }
                        i => clauses.push((Occur::Must, self.query(i))),
                    }
                }
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(ScoredBy::new(Box::new(BooleanQuery::new(clauses)), scoring))
            }
            Expr::Any(items) => any_of(items.iter().map(|i| self.query(i)).collect()),
        }
    }

    /// The title, subtitle and keywords, and abstract fields with their weights.
    fn all_fields(&self) -> [(Field, f32); 3] {
        let f = self.fields;
        [
            (f.a, FIELD_BOOSTS[0]),
            (f.b, FIELD_BOOSTS[1]),
            (f.c, FIELD_BOOSTS[2]),
        ]
    }

    /// `lexeme` scored in each of `fields` (BM25 with the field's weight).
    fn scoring(&self, lexeme: &str, fields: &[(Field, f32)]) -> Vec<Box<dyn Query>> {
        fields
            .iter()
            .map(|(field, boost)| {
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(*field, lexeme),
                        IndexRecordOption::WithFreqs,
                    )),
                    *boost,
                )) as Box<dyn Query>
            })
            .collect()
    }
}

/// Title words a typing slip (4 to 7 letters) or two (8 or more) from `word`.
fn near(field: Field, word: &str) -> Option<Box<dyn Query>> {
    let slips = match word.chars().count() {
        0..=3 => return None,
        4..=7 => 1,
        _ => 2,
    };
    Some(Box::new(FuzzyTermQuery::new(
        Term::from_field_text(field, word),
        slips,
        true,
    )))
}

/// The entries holding `term`, adding nothing to the score (a filter, or a word matched
/// here and scored elsewhere).
pub(super) fn holding(term: Term) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(
        Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        0.0,
    ))
}

/// At least one of `queries` (each adds to the score); none matches nothing.
pub(super) fn any_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}
