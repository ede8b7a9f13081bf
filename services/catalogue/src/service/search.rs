//! Search: the query checked, filters, a filter-only search (newest first, facets), the
//! shared pieces of ranking and paging, and typo correction; a text query is planned and
//! ranked in `search_text`, its cursors are `search_cursor`.

use super::*;

pub const MAX_LIMIT: u32 = 100;
const MAX_QUERY: usize = 200;
/// Matches counted for facets of a filter-only search; beyond this counts say "at least".
const FACET_CAP: i64 = 10_000;
/// Newest text matches a broad search ranks (and counts for its facets).
pub(super) const CANDIDATES: i64 = term_stats::WALK as i64;
/// Titles nearest in trigrams, when no word matched even after correction.
pub(super) const TYPO_CANDIDATES: i64 = 50;
/// Matches of a rare query read and ranked in full (more: the counts are estimates).
pub(super) const RARE_CAP: i64 = 5_000;
/// Publications holding any of a failed query's rare words, ranked by their titles.
pub(super) const ALTERNATIVES_CAP: i64 = 1_500;
/// How long the words' statistics are kept before they are read again.
pub(super) const TERM_STATS_TTL: Duration = Duration::from_secs(60);

pub(super) use crate::store::search::{Candidate, Filters, PageRow};

/// How long another instance's new words may go unseen by typo correction.
const VOCABULARY_TTL: Duration = Duration::from_secs(10);

/// Facet counts as they are gathered.
#[derive(Default)]
pub(super) struct FacetCounts(std::collections::HashMap<(String, String), i64>);

impl FacetCounts {
    pub(super) fn add(&mut self, kind: &str, value: String, n: i64) {
        *self.0.entry((kind.to_owned(), value)).or_default() += n;
    }

    /// The facets, each most frequent first (at most 50 values), and the number of
    /// matches (the subject counts' sum: every publication has one subject).
    pub(super) fn finish(self) -> (Facets, i64) {
        let mut facets = Facets::default();
        let mut total = 0;
        for ((kind, value), n) in self.0 {
            let list = match kind.as_str() {
                "subject" => {
                    total += n;
                    &mut facets.subject
                }
                "office" => &mut facets.office,
                "year" => &mut facets.year,
                _ => &mut facets.language,
            };
            list.push((value, n));
        }
        for list in [
            &mut facets.subject,
            &mut facets.office,
            &mut facets.year,
            &mut facets.language,
        ] {
            list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(50);
        }
        (facets, total)
    }
}

fn cursor_after(last: Option<&Hit>) -> String {
    last.map(|h| Cursor::after(h.score, h.row.id, None))
        .unwrap_or_default()
}

/// What a search asks (wire-independent).
#[derive(Debug, Default)]
pub struct Query {
    pub q: String,
    pub office: String,
    pub subject: String,
    pub year_from: u32,
    pub year_to: u32,
    pub language: String,
    pub has_digital: Option<bool>,
    pub has_printed: Option<bool>,
    pub cursor: String,
    pub limit: u32,
    pub include_withdrawn: bool,
}

#[derive(Debug)]
pub struct Hit {
    pub row: PublicationRow,
    pub snippet: String,
    pub score: f64,
}

#[derive(Debug, Default)]
pub struct Facets {
    pub subject: Vec<(String, i64)>,
    pub office: Vec<(String, i64)>,
    pub year: Vec<(String, i64)>,
    pub language: Vec<(String, i64)>,
}

#[derive(Debug)]
pub struct Results {
    pub hits: Vec<Hit>,
    pub facets: Facets,
    pub next_cursor: String,
    pub total: i64,
    /// `total` and the facets are counted over part of the matches only.
    pub total_is_estimate: bool,
    /// The words searched, when typos were corrected (else empty).
    pub corrected: String,
}

impl Results {
    /// Nothing matches (and that is exact).
    pub(super) fn none() -> Self {
        Self {
            hits: Vec::new(),
            facets: Facets::default(),
            next_cursor: String::new(),
            total: 0,
            total_is_estimate: false,
            corrected: String::new(),
        }
    }
}

impl Catalogue {
    /// Matching: Indonesian stems (penduduk ~ kependudukan) or, when few match that way, the
    /// titles nearest in trigrams (typos). Broad queries are ranked among their newest
    /// `CANDIDATES` matches, so a word found in most of the catalogue costs no more than a
    /// rare one; score = text rank + title similarity, so title matches come first.
    pub async fn search(&self, caller: Option<&Caller>, q: &Query) -> Result<Results, AppError> {
        let started = std::time::Instant::now();
        let found = self.search_timed(caller, q).await;
        pst_kit::metrics::get().searched(started.elapsed());
        found
    }

    async fn search_timed(&self, caller: Option<&Caller>, q: &Query) -> Result<Results, AppError> {
        // Past MAX_QUERY characters the rest of a query is not read (a pasted page of text
        // is still a search, answered at the cost of its start); text with no letter or
        // digit (only punctuation) matches nothing, and says so with an empty page.
        // Control characters (NUL included, which Postgres text cannot hold) separate words.
        let cleaned: String =
            q.q.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
        let text = match cleaned.trim().char_indices().nth(MAX_QUERY) {
            Some((end, _)) => cleaned.trim()[..end].trim_end(),
            None => cleaned.trim(),
        };
        let no_words = !text.is_empty() && !text.chars().any(char::is_alphanumeric);
        let limit = match q.limit {
            0 => 20,
            n if n > MAX_LIMIT => {
                return Err(AppError::field(
                    "limit",
                    format!("Ukuran halaman maksimal {MAX_LIMIT}."),
                ));
            }
            n => i64::from(n),
        };
        if !q.office.is_empty() {
            pst_kit::validate::office_code(&q.office).map_err(|m| AppError::field("office", m))?;
        }
        if !q.subject.is_empty() {
            crate::domain::subjects::subject(&q.subject)
                .map_err(|m| AppError::field("subject", m))?;
        }
        if !q.language.is_empty() && !publication::LANGUAGES.contains(&q.language.as_str()) {
            return Err(AppError::field("language", "Bahasa: id, en, id-en."));
        }
        let cursor = Cursor::parse(&q.cursor)?;
        let after = cursor.and_then(|c| c.after);
        let walk = cursor.and_then(|c| c.walk);
        let f = Filters {
            levels: levels(caller).into_iter().map(str::to_owned).collect(),
            include_withdrawn: q.include_withdrawn
                && !q.office.is_empty()
                && staff_of(caller).is_some_and(|o| o.is_empty() || o == q.office),
            staff_of: staff_of(caller),
            office: q.office.clone(),
            subject: q.subject.clone(),
            year_from: (q.year_from > 0).then(|| i32::try_from(q.year_from).unwrap_or(i32::MAX)),
            year_to: (q.year_to > 0).then(|| i32::try_from(q.year_to).unwrap_or(i32::MAX)),
            language: q.language.clone(),
            has_digital: q.has_digital,
            has_printed: q.has_printed,
        };

        if no_words {
            return Ok(Results::none());
        }

        // 0. Typos: words not in the catalogue's vocabulary become their nearest word.
        let corrected = if text.is_empty() {
            String::new()
        } else {
            self.correct(text).await?
        };
        let text = if corrected.is_empty() {
            text
        } else {
            corrected.as_str()
        };

        let mut found = if let Some(index) = &self.index {
            self.search_indexed(index.index(), &f, text, after, limit)
                .await?
        } else if !text.is_empty() {
            self.search_text(&f, text, after, walk, limit).await?
        } else {
            self.search_filters(&f, after, limit).await?
        };
        found.corrected = corrected;
        Ok(found)
    }

    /// Filters only (Postgres): the newest first, facets over (at most FACET_CAP of) the
    /// matches.
    async fn search_filters(
        &self,
        f: &Filters,
        after: Option<(f64, Uuid)>,
        limit: i64,
    ) -> Result<Results, AppError> {
        let rows = store::search::filtered_page(&self.pool, f, after, limit + 1).await?;
        let more = rows.len() as i64 > limit;
        let hits: Vec<Hit> = rows
            .into_iter()
            .take(usize::try_from(limit).unwrap_or(0))
            .map(|r| Hit {
                score: r.score,
                snippet: r.snippet,
                row: r.row,
            })
            .collect();

        let counts = store::search::filtered_facets(&self.pool, f, FACET_CAP).await?;
        let mut facets = FacetCounts::default();
        for (kind, value, n) in counts {
            facets.add(&kind, value, n);
        }
        let (facets, total) = facets.finish();
        Ok(Results {
            next_cursor: if more {
                cursor_after(hits.last())
            } else {
                String::new()
            },
            hits,
            facets,
            total_is_estimate: total >= FACET_CAP,
            corrected: String::new(),
            total,
        })
    }

    /// `text` with each word unknown to the vocabulary replaced by its nearest known word
    /// (trigram similarity ≥ 0.3, as pg_trgm), or empty when nothing changed. The vocabulary
    /// is held in memory, reloaded after this instance's own writes, after its search index
    /// applied another instance's (so both see new words together), and at most
    /// `VOCABULARY_TTL` after another instance's otherwise.
    async fn correct(&self, text: &str) -> Result<String, AppError> {
        Ok(self.vocabulary().await?.correct(text))
    }

    /// Changes this instance knows of: its own writes, and those its index applied.
    fn generation(&self) -> u64 {
        self.vocabulary_generation.load(Ordering::Acquire)
            + self.index.as_ref().map_or(0, |i| i.applied())
    }

    async fn vocabulary(&self) -> Result<Arc<Vocabulary>, AppError> {
        let generation = self.generation();
        if let Some((at, seen, v)) = self
            .vocabulary
            .read()
            .expect("BUG: vocabulary lock")
            .as_ref()
            && at.elapsed() < VOCABULARY_TTL
            && *seen == generation
        {
            return Ok(Arc::clone(v));
        }
        let words = store::vocabulary(&self.pool).await?;
        let v = Arc::new(Vocabulary::new(words));
        let mut slot = self.vocabulary.write().expect("BUG: vocabulary lock");
        // A write committed while this list was read: keep it for this search only, so
        // the next one reads the new words.
        if self.generation() == generation {
            *slot = Some((Instant::now(), generation, Arc::clone(&v)));
        }
        Ok(v)
    }

    /// After a write that may add words: the next search reloads the vocabulary.
    pub(super) fn vocabulary_changed(&self) {
        self.vocabulary_generation.fetch_add(1, Ordering::AcqRel);
        *self.vocabulary.write().expect("BUG: vocabulary lock") = None;
    }
}
