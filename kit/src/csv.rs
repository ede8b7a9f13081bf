//! One CSV cell as RFC 4180 wants it, with formula-looking text neutralised (CSV injection)
//! — for every CSV the system writes (reports, catalogue export).

/// Quotes when needed; text starting with `= + - @` (not a number) gets a leading `'`.
pub fn field(v: &str) -> String {
    let v = if v.starts_with(['=', '+', '-', '@']) && v.parse::<f64>().is_err() {
        format!("'{v}")
    } else {
        v.to_owned()
    };
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

/// The columns of the catalogue's CSV (import and export), in the export's order. Here
/// so the gateway's API document names the same header the catalogue reads.
pub const PUBLICATION_COLUMNS: [&str; 16] = [
    "office_code",
    "title",
    "subtitle",
    "catalogue_number",
    "publication_number",
    "issn",
    "isbn",
    "release_date",
    "year_from",
    "year_to",
    "subject",
    "language",
    "pages",
    "abstract",
    "keywords",
    "access_level",
];
