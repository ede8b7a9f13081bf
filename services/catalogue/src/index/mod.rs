//! The catalogue's search index, in memory beside Postgres (which stays the system of
//! record): built from the database at start, kept current by following the change log
//! (`follow`), and answering a search in one pass over its matches (`collect`): BM25 over
//! Postgres' own lexemes, exact counts and facets, a page after a keyset cursor.
//!
//! Why an index: a text search in Postgres costs what its matches cost to read and rank
//! (ts_rank on every match, its heap rows), so a common word or a query with typos cost
//! tens of milliseconds of database time at 200,000 publications; here the same search
//! reads compact posting lists and numeric columns in the service's own memory.

pub mod collect;
pub mod document;
pub mod follow;
mod query;
mod schema;
mod scored;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::{Mutex, RwLock};

use tantivy::query::{AllQuery, BooleanQuery, Occur, Query};
use tantivy::schema::Field;
use tantivy::{
    Index, IndexReader, IndexSettings, IndexSortByField, IndexWriter, Order, ReloadPolicy,
    TantivyDocument, Term,
};
use uuid::Uuid;

use crate::domain::tsquery::Expr;
use collect::{Collect, Gather, Gathered};
use document::IndexRow;
pub use query::Match;
use query::{FixedStatistics, any_of, holding};
use schema::{Fields, schema};

/// Publications are spread over this many buckets by id (the id's random bits); a power
/// of two.
pub const BUCKETS: u64 = 64;
/// A query matching more than this many reads a sample of the buckets holding this many
/// to twice as many matches (a power of two of the buckets): the page is the best of the
/// sample, counts and facets are scaled up and said to be estimates ("Sekitar"). Every
/// match in the sample is reachable by paging.
const BROAD: u64 = 20_000;

/// Memory for the writer's buffer (one thread; tantivy's minimum is 15 MB).
const WRITER_BYTES: usize = 48_000_000;

/// A search as the index answers it.
#[derive(Debug)]
pub struct Ask<'a> {
    /// `None`: no words, the filters alone (newest first).
    pub expr: Option<&'a Expr>,
    pub how: Match,
    pub office: Option<u64>,
    pub subject: Option<&'a str>,
    pub language: Option<u64>,
    pub gather: Gather,
}

/// Subjects as numbers, in the order first seen (the index keeps numbers).
#[derive(Debug, Default)]
struct Subjects {
    names: Vec<String>,
    numbers: HashMap<String, u64>,
}

impl Subjects {
    fn number(&mut self, name: &str) -> u64 {
        if let Some(n) = self.numbers.get(name) {
            return *n;
        }
        let n = self.names.len() as u64;
        self.names.push(name.to_owned());
        self.numbers.insert(name.to_owned(), n);
        n
    }
}

pub struct SearchIndex {
    fields: Fields,
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    subjects: RwLock<Subjects>,
    /// Matches above which a query reads a sample (`BROAD`; smaller in tests).
    broad: u64,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

impl SearchIndex {
    pub fn new() -> tantivy::Result<Self> {
        let (schema, fields) = schema();
        let index = Index::builder()
            .schema(schema)
            .settings(IndexSettings {
                sort_by_field: Some(IndexSortByField {
                    field: schema::SORTED_BY.to_owned(),
                    order: Order::Asc,
                }),
                ..IndexSettings::default()
            })
            .create_in_ram()?;
        let writer = index.writer_with_num_threads(1, WRITER_BYTES)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            fields,
            reader,
            writer: Mutex::new(writer),
            subjects: RwLock::default(),
            broad: BROAD,
        })
    }

    /// The same index with a smaller `BROAD` (tests).
    #[cfg(test)]
    pub(crate) fn with_broad(mut self, broad: u64) -> Self {
        self.broad = broad;
        self
    }

    /// Publications searchable now.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Replaces the entries of `ids` with `rows` (an id with no row is removed), then
    /// makes the change searchable. Blocking: call from a blocking thread.
    pub fn apply(&self, ids: &[Uuid], rows: &[IndexRow]) -> tantivy::Result<()> {
        let mut writer = self.writer.lock().expect("BUG: index writer lock");
        for id in ids {
            writer.delete_term(Term::from_field_text(self.fields.id, &id.to_string()));
        }
        self.write(&writer, rows)?;
        writer.commit()?;
        drop(writer);
        self.reader.reload()
    }

    /// Adds rows without making them searchable yet (a build's batches).
    pub fn add(&self, rows: &[IndexRow]) -> tantivy::Result<()> {
        self.write(&self.writer.lock().expect("BUG: index writer lock"), rows)
    }

    fn write(
        &self,
        writer: &IndexWriter<TantivyDocument>,
        rows: &[IndexRow],
    ) -> tantivy::Result<()> {
        for r in rows {
            let subject = self
                .subjects
                .write()
                .expect("BUG: subjects lock")
                .number(&r.subject);
            writer.add_document(document::document(&self.fields, r, subject))?;
        }
        Ok(())
    }

    /// Makes what was added searchable.
    pub fn publish(&self) -> tantivy::Result<()> {
        self.writer
            .lock()
            .expect("BUG: index writer lock")
            .commit()?;
        self.reader.reload()
    }

    /// Answers `ask`: its matches counted, its facets, the page's best. Blocking (a few
    /// milliseconds of CPU): call from a blocking thread.
    pub fn search(&self, ask: Ask<'_>) -> tantivy::Result<Found> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // A broad query reads a sample of the buckets (see BROAD).
        let mut buckets = BUCKETS;
        match ask.expr {
            None => clauses.push((Occur::Must, Box::new(AllQuery))),
            Some(e) => {
                if ask.how == Match::Query {
                    let at_most = self.matches_at_most(&searcher, e)?;
                    if at_most > self.broad {
                        buckets = (BUCKETS * self.broad)
                            .div_ceil(at_most)
                            .clamp(1, BUCKETS)
                            .next_power_of_two();
                    }
                }
                let q = match ask.how {
                    Match::Query => match (buckets < BUCKETS).then(|| self.broad(e)).flatten() {
                        Some(q) => q,
                        None => self.query(e),
                    },
                    Match::Loose => self.loose(&searcher, e)?,
                    Match::Any => any_of(e.wanted().iter().map(|w| self.word(w)).collect()),
                };
                clauses.push((Occur::Must, q));
            }
        }
        let mut filter = |field: Field, value: u64| {
            clauses.push((Occur::Must, holding(Term::from_field_u64(field, value))));
        };
        if let Some(o) = ask.office {
            filter(f.office, o);
        }
        if let Some(s) = ask.subject {
            let Some(n) = self
                .subjects
                .read()
                .expect("BUG: subjects lock")
                .numbers
                .get(s)
                .copied()
            else {
                return Ok(Found::default());
            };
            filter(f.subject, n);
        }
        if let Some(l) = ask.language {
            filter(f.language, l);
        }
        if buckets < BUCKETS {
            // The publications of the first `buckets` buckets: one posting list, which
            // leads the intersection (it is the shortest).
            filter(f.sample, buckets);
        }
        let query = BooleanQuery::new(clauses);
        let collector = Collect::from(ask.gather);
        let gathered = if ask.how == Match::Query {
            searcher.search_with_statistics_provider(&query, &collector, &FixedStatistics(f))?
        } else {
            searcher.search(&query, &collector)?
        };
        Ok(self.found(gathered, BUCKETS as f64 / buckets as f64))
    }

    /// Publications `e` can match at most: its rarest required word's (each word's count
    /// read from the all-words field), or the sum of alternatives'.
    fn matches_at_most(&self, searcher: &tantivy::Searcher, e: &Expr) -> tantivy::Result<u64> {
        Ok(match e {
            Expr::Term(w) => searcher.doc_freq(&Term::from_field_text(self.fields.t, w))?,
            Expr::Not(_) => searcher.num_docs(),
            Expr::All(items) => {
                let mut least = searcher.num_docs();
                for i in items.iter().filter(|i| !matches!(i, Expr::Not(_))) {
                    least = least.min(self.matches_at_most(searcher, i)?);
                }
                least
            }
            Expr::Any(items) => {
                let mut sum = 0;
                for i in items {
                    sum += self.matches_at_most(searcher, i)?;
                }
                sum
            }
        })
    }

    /// The answer, its counts scaled by `scale` when a sample was read.
    fn found(&self, g: Gathered, scale: f64) -> Found {
        let subjects = self.subjects.read().expect("BUG: subjects lock");
        let named = |counts: &[u64], name: &dyn Fn(usize) -> String| -> Vec<(String, i64)> {
            counts
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(i, n)| (name(i), (*n as f64 * scale).round() as i64))
                .collect()
        };
        Found {
            total: (g.total as f64 * scale).round() as u64,
            estimate: scale > 1.0,
            subject: named(&g.subject, &|i| {
                subjects.names.get(i).cloned().unwrap_or_default()
            }),
            office: named(&g.office, &|i| format!("{i:04}")),
            year: named(&g.year, &|i| i.to_string()),
            language: named(&g.language, &|i| {
                crate::domain::publication::LANGUAGES
                    .get(i)
                    .map(|l| (*l).to_owned())
                    .unwrap_or_default()
            }),
            top: g
                .top
                .into_iter()
                .map(|(score, id)| (score, Uuid::from_u128(id)))
                .collect(),
        }
    }
}

/// A search's answer from the index.
#[derive(Debug, Default)]
pub struct Found {
    pub total: u64,
    /// `total` and the facets are scaled up from a sample of a broad query's matches.
    pub estimate: bool,
    pub subject: Vec<(String, i64)>,
    pub office: Vec<(String, i64)>,
    pub year: Vec<(String, i64)>,
    pub language: Vec<(String, i64)>,
    /// (score, id), best first: the page and one more (so "more" is known).
    pub top: Vec<(f64, Uuid)>,
}
