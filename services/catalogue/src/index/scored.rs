//! A match found one way and scored another: `ScoredBy` matches what its `required` query
//! matches (intersected short lists, a filter) and scores each match by the `scoring`
//! queries that hold it, each moved forward to the match on its own.
//!
//! Why not tantivy's `BooleanQuery` with `Should` clauses: those are read as one union,
//! which fills a window of 4,096 entries from every list it holds at each move, so a common
//! word's long abstract list cost what the list is long even when a handful of entries
//! matched. Here a scoring list is only sought to the matches (its skip list jumps the
//! rest): the cost follows the matches, not the words.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError};

#[derive(Debug)]
pub(super) struct ScoredBy {
    required: Box<dyn Query>,
    scoring: Vec<Box<dyn Query>>,
}

impl ScoredBy {
    pub(super) fn new(required: Box<dyn Query>, scoring: Vec<Box<dyn Query>>) -> Self {
        Self { required, scoring }
    }
}

impl Clone for ScoredBy {
    fn clone(&self) -> Self {
        Self {
            required: self.required.box_clone(),
            scoring: self.scoring.iter().map(|q| q.box_clone()).collect(),
        }
    }
}

impl Query for ScoredBy {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let required = self.required.weight(enable_scoring)?;
        let scoring = if enable_scoring.is_scoring_enabled() {
            self.scoring
                .iter()
                .map(|q| q.weight(enable_scoring))
                .collect::<tantivy::Result<Vec<_>>>()?
        } else {
            Vec::new()
        };
        Ok(Box::new(ScoredByWeight { required, scoring }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.required.query_terms(visitor);
        for q in &self.scoring {
            q.query_terms(visitor);
        }
    }
}

struct ScoredByWeight {
    required: Box<dyn Weight>,
    scoring: Vec<Box<dyn Weight>>,
}

impl Weight for ScoredByWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ScoredByScorer {
            required: self.required.scorer(reader, boost)?,
            scoring: self
                .scoring
                .iter()
                .map(|w| w.scorer(reader, boost))
                .collect::<tantivy::Result<Vec<_>>>()?,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document #{doc} does not match"
            )));
        }
        Ok(Explanation::new("ScoredBy", scorer.score()))
    }
}

struct ScoredByScorer {
    required: Box<dyn Scorer>,
    scoring: Vec<Box<dyn Scorer>>,
}

impl DocSet for ScoredByScorer {
    fn advance(&mut self) -> DocId {
        self.required.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.required.seek(target)
    }

    fn doc(&self) -> DocId {
        self.required.doc()
    }

    fn size_hint(&self) -> u32 {
        self.required.size_hint()
    }

    fn cost(&self) -> u64 {
        self.required.cost()
    }
}

impl Scorer for ScoredByScorer {
    fn score(&mut self) -> Score {
        let doc = self.required.doc();
        let mut score = self.required.score();
        for s in &mut self.scoring {
            let mut at = s.doc();
            if at < doc {
                at = s.seek(doc);
            }
            if at == doc {
                score += s.score();
            }
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{Index, TantivyDocument, Term};

    use super::*;

    /// The same matches and the same scores as tantivy's `Must` + `Should`, which it
    /// replaces; an entry holding only scoring words is no match.
    #[test]
    fn scores_as_a_union_of_its_lists_would() {
        let mut b = Schema::builder();
        let text = b.add_text_field("text", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for body in [
            "kota lubuklinggau inflasi",
            "kota inflasi inflasi",
            "kota",
            "inflasi lubuklinggau",
            "desa lubuklinggau",
        ] {
            let mut d = TantivyDocument::new();
            d.add_text(text, body);
            w.add_document(d).expect("add");
        }
        w.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let term = |s: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(text, s),
                IndexRecordOption::WithFreqs,
            ))
        };
        let required = || -> Box<dyn Query> { Box::new(ConstScoreQuery::new(term("kota"), 0.0)) };
        let ours = ScoredBy::new(required(), vec![term("inflasi"), term("lubuklinggau")]);
        let theirs = BooleanQuery::new(vec![
            (Occur::Must, required()),
            (Occur::Should, term("inflasi")),
            (Occur::Should, term("lubuklinggau")),
        ]);
        let top = |q: &dyn Query| {
            let mut hits = searcher
                .search(q, &TopDocs::with_limit(10).order_by_score())
                .expect("search");
            hits.sort_by_key(|(_, a)| a.doc_id);
            hits
        };
        let (a, b) = (top(&ours), top(&theirs));
        assert_eq!(a.len(), 3, "the three entries holding 'kota': {a:?}");
        assert_eq!(
            a.iter().map(|(_, d)| d.doc_id).collect::<Vec<_>>(),
            b.iter().map(|(_, d)| d.doc_id).collect::<Vec<_>>()
        );
        for ((x, _), (y, _)) in a.iter().zip(&b) {
            assert!((x - y).abs() < 1e-5, "{a:?} != {b:?}");
        }
        assert!(a[0].0 > a[2].0, "words held add to the score: {a:?}");
        assert_eq!(a[2].0, 0.0, "'kota' alone scores nothing here");
    }
}
