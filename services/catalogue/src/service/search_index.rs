//! A search answered by the in-memory index (`crate::index`): the words as Postgres'
//! parser reads them, matched as asked, else any of them, else title words a typing slip
//! away; exact counts and facets; the page's rows read from Postgres by id, each with a
//! snippet cut here.

use super::search::{FacetCounts, Filters, Hit, Results};
use super::*;
use crate::domain::snippet::snippet;
use crate::domain::tsquery::Expr;
use crate::index::collect::{Gather, Pass};
use crate::index::document::{ACCESS, language_number, office_number};
use crate::index::{Ask, Found, Match, SearchIndex};

impl Catalogue {
    pub(super) async fn search_indexed(
        &self,
        index: Arc<SearchIndex>,
        f: &Filters,
        text: &str,
        after: Option<(f64, Uuid)>,
        limit: i64,
    ) -> Result<Results, AppError> {
        let expr = if text.is_empty() {
            None
        } else {
            match Expr::parse(&store::query_text(&self.pool, text).await?) {
                Some(e) => Some(e),
                // Only stop words or refusals: nothing to look for.
                None => return Ok(Results::none()),
            }
        };
        let pass = pass(f);
        let keep = usize::try_from(limit + 1).unwrap_or(usize::MAX);
        let office = (!f.office.is_empty()).then(|| office_number(&f.office));
        let subject = (!f.subject.is_empty()).then(|| f.subject.clone());
        let language = (!f.language.is_empty()).then(|| language_number(&f.language));
        let after_n = after.map(|(s, id)| (s, id.as_u128()));
        let search_expr = expr.clone();
        let found = tokio::task::spawn_blocking(move || -> tantivy::Result<Found> {
            let ask = |how| Ask {
                expr: search_expr.as_ref(),
                how,
                office,
                subject: subject.as_deref(),
                language,
                gather: Gather {
                    pass: pass.clone(),
                    after: after_n,
                    keep,
                    by_year: search_expr.is_none(),
                },
            };
            let found = index.search(ask(Match::Query))?;
            if found.total > 0 || search_expr.is_none() {
                return Ok(found);
            }
            // The words found nothing together (a typo left, words of two titles): the
            // rare ones (and title words near the unknown ones); then any of them.
            let found = index.search(ask(Match::Loose))?;
            if found.total > 0 {
                return Ok(found);
            }
            index.search(ask(Match::Any))
        })
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("search index task: {e}")))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("search index: {e}")))?;

        let more = found.top.len() > usize::try_from(limit).unwrap_or(0);
        let page: Vec<(f64, Uuid)> = found
            .top
            .iter()
            .copied()
            .take(usize::try_from(limit).unwrap_or(0))
            .collect();
        let ids: Vec<Uuid> = page.iter().map(|(_, id)| *id).collect();
        let mut rows: std::collections::HashMap<Uuid, PublicationRow> =
            store::rows_by_id(&self.pool, &ids)
                .await?
                .into_iter()
                .map(|r| (r.id, r))
                .collect();
        let wanted = expr.as_ref().map(Expr::wanted).unwrap_or_default();
        // A row gone since the index saw it is left out; the cursor still follows the page.
        let hits: Vec<Hit> = page
            .iter()
            .filter_map(|(score, id)| {
                rows.remove(id).map(|row| Hit {
                    snippet: if wanted.is_empty() {
                        String::new()
                    } else {
                        snippet(&row.title, &row.abstract_text, &wanted)
                    },
                    score: *score,
                    row,
                })
            })
            .collect();
        let next_cursor = match page.last() {
            Some((score, id)) if more => Cursor::after(*score, *id, None),
            _ => String::new(),
        };
        let mut facets = FacetCounts::default();
        for (kind, list) in [
            ("subject", found.subject),
            ("office", found.office),
            ("year", found.year),
            ("language", found.language),
        ] {
            for (value, n) in list {
                facets.add(kind, value, n);
            }
        }
        let (facets, _) = facets.finish();
        Ok(Results {
            hits,
            facets,
            next_cursor,
            total: i64::try_from(found.total).unwrap_or(i64::MAX),
            total_is_estimate: found.estimate,
            corrected: String::new(),
        })
    }
}

/// Who sees what, and the filters the index checks entry by entry.
fn pass(f: &Filters) -> Pass {
    let levels = f
        .levels
        .iter()
        .filter_map(|l| ACCESS.iter().position(|a| a == l))
        .fold(0u8, |bits, i| bits | (1 << i));
    Pass {
        levels,
        staff_of: f.staff_of.as_deref().map(|o| {
            if o.is_empty() {
                None
            } else {
                Some(office_number(o))
            }
        }),
        include_withdrawn: f.include_withdrawn,
        year_from: f.year_from.map(|y| u64::try_from(y).unwrap_or(0)),
        year_to: f.year_to.map(|y| u64::try_from(y).unwrap_or(0)),
        digital: f.has_digital,
        printed: f.has_printed,
    }
}
