//! The index's fields: Postgres' lexemes by weight (`a`, `b`, `c`) and all together (`t`),
//! the filters the query narrows by (`office`, `subject`, `language`), and the numbers a
//! match is filtered, counted, ranked and named by.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// The index's fields.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fields {
    pub(super) id: Field,
    pub(super) id_hi: Field,
    pub(super) id_lo: Field,
    pub(super) a: Field,
    pub(super) b: Field,
    pub(super) c: Field,
    /// Every lexeme once, whatever its field: words that must all match are found by
    /// intersecting these lists (one per word), then scored in `a`, `b`, `c`.
    pub(super) t: Field,
    pub(super) office: Field,
    pub(super) subject: Field,
    pub(super) language: Field,
    /// Everything a match is filtered and counted by, in one number (`document::Packed`):
    /// one read per match instead of eight.
    pub(super) packed: Field,
    pub(super) year_from: Field,
    pub(super) year_to: Field,
    /// The samples a publication is in, by its bucket (one of `BUCKETS` by id): it holds
    /// every power of two above its bucket, so "buckets below n" is one posting list.
    pub(super) sample: Field,
    /// The bucket itself: every segment keeps its entries in bucket order (`SORTED_BY`),
    /// so a sample ("buckets below n") is the start of each segment, read in one sweep
    /// (not a match here and there over the whole segment).
    pub(super) bucket: Field,
}

/// The field every segment is sorted by (see `Fields::bucket`).
pub(super) const SORTED_BY: &str = "bucket";

pub(super) fn schema() -> (Schema, Fields) {
    let mut s = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("whitespace")
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fast = NumericOptions::default().set_fast();
    let filter = NumericOptions::default().set_indexed();
    let fields = Fields {
        id: s.add_text_field("id", STRING),
        id_hi: s.add_u64_field("id_hi", fast.clone()),
        id_lo: s.add_u64_field("id_lo", fast.clone()),
        a: s.add_text_field("a", text.clone()),
        b: s.add_text_field("b", text.clone()),
        c: s.add_text_field("c", text),
        t: s.add_text_field(
            "t",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("whitespace")
                    .set_fieldnorms(false)
                    .set_index_option(IndexRecordOption::Basic),
            ),
        ),
        office: s.add_u64_field("office", filter.clone()),
        subject: s.add_u64_field("subject", filter.clone()),
        language: s.add_u64_field("language", filter),
        packed: s.add_u64_field("packed", fast.clone()),
        year_from: s.add_u64_field("year_from", fast.clone()),
        year_to: s.add_u64_field("year_to", fast.clone()),
        sample: s.add_u64_field("sample", NumericOptions::default().set_indexed()),
        bucket: s.add_u64_field(SORTED_BY, fast),
    };
    (s.build(), fields)
}
