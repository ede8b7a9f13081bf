//! Charts drawn on the server as SVG: printable, no chart library in the browser. Each has
//! a title and a description for screen readers, and the page shows the same numbers as a
//! table beside it.

use std::fmt::Write as _;

/// One bar: its label and value; `mark` draws it in the warning colour.
#[derive(Debug, Clone)]
pub(crate) struct Bar {
    pub label: String,
    pub value: f64,
    /// The value as shown on the bar, e.g. `92 %` or `14`.
    pub text: String,
    pub mark: bool,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Vertical bars (e.g. one per day), with an optional target line at `target`
/// (same scale as the values, e.g. 0.9 for 90 %).
pub(crate) fn columns(
    id: &str,
    title: &str,
    bars: &[Bar],
    max: f64,
    target: Option<(f64, &str)>,
) -> String {
    let (w, h, left, bottom, top) = (760.0_f64, 260.0_f64, 40.0, 44.0, 16.0);
    let n = bars.len().max(1) as f64;
    let step = (w - left - 8.0) / n;
    let bw = (step * 0.7).max(2.0);
    let max = if max > 0.0 { max } else { 1.0 };
    let plot = h - bottom - top;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" id="{id}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{t}</title><desc id="{id}-d">{d}</desc>"#,
        t = esc(title),
        d = esc(&format!(
            "{} batang; angka lengkapnya ada di tabel di bawah grafik.",
            bars.len()
        )),
    );
    let _ = write!(
        s,
        r#"<line x1="{left}" y1="{y}" x2="{w}" y2="{y}" class="axis"/>"#,
        y = h - bottom
    );
    for (i, b) in bars.iter().enumerate() {
        let x = left + step * i as f64 + (step - bw) / 2.0;
        let bh = (b.value.max(0.0) / max).min(1.0) * plot;
        let y = h - bottom - bh;
        let _ = write!(
            s,
            r#"<g class="bar{m}"><rect x="{x:.1}" y="{y:.1}" width="{bw:.1}" height="{bh:.1}"><title>{l}: {v}</title></rect>"#,
            m = if b.mark { " warn" } else { "" },
            l = esc(&b.label),
            v = esc(&b.text),
        );
        if n <= 31.0 {
            let _ = write!(
                s,
                r#"<text x="{cx:.1}" y="{ty:.1}" class="val">{v}</text><text x="{cx:.1}" y="{ly:.1}" class="lab">{l}</text>"#,
                cx = x + bw / 2.0,
                ty = (y - 3.0).max(10.0),
                ly = h - bottom + 14.0,
                v = esc(&b.text),
                l = esc(&b.label),
            );
        }
        s.push_str("</g>");
    }
    if let Some((t, label)) = target {
        let y = h - bottom - (t / max).min(1.0) * plot;
        let _ = write!(
            s,
            r#"<line x1="{left}" y1="{y:.1}" x2="{w}" y2="{y:.1}" class="target"/><text x="{lx}" y="{ty:.1}" class="lab end">{l}</text>"#,
            lx = left - 3.0,
            ty = y + 4.0,
            l = esc(label),
        );
    }
    s.push_str("</svg>");
    s
}

/// Horizontal bars (e.g. visitors by occupation), longest first as given.
pub(crate) fn rows(id: &str, title: &str, bars: &[Bar]) -> String {
    let (w, row, label_w) = (760.0_f64, 24.0_f64, 260.0_f64);
    let h = row * bars.len().max(1) as f64 + 8.0;
    let max = bars
        .iter()
        .map(|b| b.value)
        .fold(0.0_f64, f64::max)
        .max(1e-9);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" id="{id}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{t}</title><desc id="{id}-d">{d}</desc>"#,
        t = esc(title),
        d = esc(&format!(
            "{} batang; angka lengkapnya ada di tabel di bawah grafik.",
            bars.len()
        )),
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 4.0 + row * i as f64;
        let bw = (b.value.max(0.0) / max) * (w - label_w - 70.0);
        let _ = write!(
            s,
            r#"<g class="bar{m}"><text x="{lx}" y="{ty:.1}" class="lab end">{l}</text><rect x="{label_w}" y="{y:.1}" width="{bw:.1}" height="{bh:.1}"><title>{l}: {v}</title></rect><text x="{vx:.1}" y="{ty:.1}" class="val start">{v}</text></g>"#,
            m = if b.mark { " warn" } else { "" },
            lx = label_w - 6.0,
            ty = y + row * 0.62,
            bh = row * 0.7,
            vx = label_w + bw + 4.0,
            l = esc(&b.label),
            v = esc(&b.text),
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(l: &str, v: f64) -> Bar {
        Bar {
            label: l.into(),
            value: v,
            text: format!("{v}"),
            mark: false,
        }
    }

    #[test]
    fn one_rect_per_bar_with_title_and_escaped_labels() {
        let svg = columns(
            "c",
            "Tepat <waktu>",
            &[bar("1", 0.5), bar("2", 1.0), bar("3", 0.0)],
            1.0,
            Some((0.9, "target")),
        );
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("<title id=\"c-t\">Tepat &lt;waktu&gt;</title>"));
        assert!(svg.contains("class=\"target\""));
        let svg = rows("r", "Pekerjaan", &[bar("PNS & TNI", 4.0)]);
        assert!(svg.contains("PNS &amp; TNI"));
        assert_eq!(svg.matches("<rect").count(), 1);
    }
}
