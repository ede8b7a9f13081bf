//! CSV answers for report routes (`Accept: text/csv`): RFC 4180 quoting, UTF-8 with a BOM
//! so spreadsheet programs used at the offices open Indonesian text correctly.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

pub fn wants_csv(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/csv"))
}

#[derive(Debug)]
pub struct Writer(String);

use pst_kit::csv::field;

impl Writer {
    pub fn new(header: &[&str]) -> Self {
        let mut w = Self(String::from("\u{feff}"));
        w.row(header);
        w
    }

    pub fn row(&mut self, cells: &[&str]) {
        let line: Vec<String> = cells.iter().map(|c| field(c)).collect();
        self.0.push_str(&line.join(","));
        self.0.push_str("\r\n");
    }

    pub fn into_response(self, filename: &str) -> Response {
        let mut res = self.0.into_response();
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        );
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_neutralised() {
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(field("-5"), "-5");
    }
}
