//! QR codes drawn on the server as inline SVG (no image library, no script): the kiosk
//! ticket's link to its live status, the checkout's link to rate on the phone.

use std::fmt::Write as _;

use qrcode::{Color, EcLevel, QrCode};

/// `data` as an SVG QR code with a quiet zone, scaled by CSS; an accessible name is given
/// by `label`. Empty if `data` is too long for a QR code.
pub fn svg(data: &str, label: &str) -> String {
    let Ok(code) = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M) else {
        return String::new();
    };
    let w = code.width();
    let quiet = 4;
    let size = w + 2 * quiet;
    let mut path = String::new();
    for (i, c) in code.to_colors().iter().enumerate() {
        if *c == Color::Dark {
            let (x, y) = (i % w + quiet, i / w + quiet);
            let _ = write!(path, "M{x} {y}h1v1h-1z");
        }
    }
    let label = label
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;");
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" aria-label="{label}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/><path d="{path}" fill="#000"/></svg>"##
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_becomes_an_svg_with_dark_modules() {
        let s = svg("http://127.0.0.1:8080/antrean/0190", "Status <nomor>");
        assert!(s.starts_with("<svg") && s.contains("h1v1h-1z") && s.contains("Status &lt;nomor>"));
        assert!(svg(&"x".repeat(5000), "terlalu panjang").is_empty());
    }
}
