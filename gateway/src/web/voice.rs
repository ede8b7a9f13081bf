//! The display board's voice call in Indonesian: "Nomor antrian P seratus tujuh, silakan ke
//! loket satu", as words and as the sequence of recorded clips (`static/suara/*.ogg`,
//! made by `scripts/voice-clips`) the board plays after its chime.

/// Indonesian number words of 1-999 (empty for anything else), e.g. 107 -> seratus tujuh,
/// 11 -> sebelas, 215 -> dua ratus lima belas. Every word is a clip.
pub fn number_words(n: u32) -> Vec<&'static str> {
    const ONES: [&str; 10] = [
        "", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
    ];
    if !(1..=999).contains(&n) {
        return Vec::new();
    }
    let mut w = Vec::new();
    let (hundreds, rest) = (n / 100, n % 100);
    match hundreds {
        0 => {}
        1 => w.push("seratus"),
        h => w.extend([ONES[h as usize], "ratus"]),
    }
    let (tens, ones) = (rest / 10, rest % 10);
    match (tens, ones) {
        (0, 0) => {}
        (0, o) => w.push(ONES[o as usize]),
        (1, 0) => w.push("sepuluh"),
        (1, 1) => w.push("sebelas"),
        (1, o) => w.extend([ONES[o as usize], "belas"]),
        (t, 0) => w.extend([ONES[t as usize], "puluh"]),
        (t, o) => w.extend([ONES[t as usize], "puluh", ONES[o as usize]]),
    }
    w
}

/// The clip of a letter of a service prefix, `huruf-<letter>` (spoken as Indonesians spell
/// it: pe, ka, ...).
fn letter(c: char) -> Option<String> {
    let c = c.to_ascii_lowercase();
    c.is_ascii_lowercase().then(|| format!("huruf-{c}"))
}

/// A call, spoken: the words (for the browser's `id-ID` voice, and as the board's caption)
/// and the clips to play in order after the chime. `None` when the number or the counter
/// cannot be read aloud with the clips (the board then shows the call without sound).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Announcement {
    pub text: String,
    pub clips: Vec<String>,
}

/// `number` like `P-107` (prefix letters, a dash, digits), `counter_name` like `Loket 1`.
pub fn announce(number: &str, counter_name: &str) -> Option<Announcement> {
    let (prefix, digits) = number.split_once('-').unwrap_or(("", number));
    let n: u32 = digits.parse().ok()?;
    let mut spoken = vec!["nomor antrian".to_owned()];
    let mut clips = vec!["nomor-antrian".to_owned()];
    for c in prefix.chars() {
        clips.push(letter(c)?);
        spoken.push(c.to_ascii_uppercase().to_string());
    }
    let words = number_words(n);
    if words.is_empty() {
        return None;
    }
    spoken.extend(words.iter().map(|w| (*w).to_owned()));
    clips.extend(words.iter().map(|w| (*w).to_owned()));
    // "Loket 1" -> loket satu; a counter named otherwise is read by the browser voice only.
    let counter_no: u32 = counter_name
        .trim()
        .strip_prefix("Loket")
        .or_else(|| counter_name.trim().strip_prefix("loket"))?
        .trim()
        .parse()
        .ok()?;
    let counter_words = number_words(counter_no);
    if counter_words.is_empty() {
        return None;
    }
    spoken.push("silakan ke loket".to_owned());
    clips.extend(["silakan-ke".to_owned(), "loket".to_owned()]);
    spoken.extend(counter_words.iter().map(|w| (*w).to_owned()));
    clips.extend(counter_words.iter().map(|w| (*w).to_owned()));
    let mut text = spoken.join(" ");
    if let Some(i) = text.find(" silakan") {
        text.insert(i, ',');
    }
    let mut t = text.chars();
    let text = t
        .next()
        .map(|f| f.to_uppercase().chain(t).collect())
        .unwrap_or_default();
    Some(Announcement { text, clips })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_indonesian_words() {
        let cases: [(u32, &str); 16] = [
            (1, "satu"),
            (7, "tujuh"),
            (10, "sepuluh"),
            (11, "sebelas"),
            (12, "dua belas"),
            (19, "sembilan belas"),
            (20, "dua puluh"),
            (21, "dua puluh satu"),
            (99, "sembilan puluh sembilan"),
            (100, "seratus"),
            (101, "seratus satu"),
            (107, "seratus tujuh"),
            (111, "seratus sebelas"),
            (215, "dua ratus lima belas"),
            (340, "tiga ratus empat puluh"),
            (999, "sembilan ratus sembilan puluh sembilan"),
        ];
        for (n, words) in cases {
            assert_eq!(number_words(n).join(" "), words, "{n}");
        }
        assert!(number_words(0).is_empty() && number_words(1000).is_empty());
    }

    #[test]
    fn every_number_has_clips_for_all_its_words() {
        let clips: std::collections::HashSet<&str> = super::super::assets::names()
            .filter_map(|n| n.strip_prefix("suara/")?.strip_suffix(".ogg"))
            .collect();
        for n in 1..=999 {
            for w in number_words(n) {
                assert!(clips.contains(w), "no clip for {w} ({n})");
            }
        }
        for c in 'a'..='z' {
            assert!(clips.contains(format!("huruf-{c}").as_str()));
        }
        for c in ["chime", "nomor-antrian", "silakan-ke", "loket"] {
            assert!(clips.contains(c), "{c}");
        }
    }

    #[test]
    fn a_call_is_announced_in_words_and_clips() {
        let a = announce("P-107", "Loket 1").expect("announcement");
        assert_eq!(
            a.text,
            "Nomor antrian P seratus tujuh, silakan ke loket satu"
        );
        assert_eq!(
            a.clips,
            [
                "nomor-antrian",
                "huruf-p",
                "seratus",
                "tujuh",
                "silakan-ke",
                "loket",
                "satu"
            ]
        );
        assert_eq!(
            announce("K-012", "Loket 2").expect("k").clips,
            [
                "nomor-antrian",
                "huruf-k",
                "dua",
                "belas",
                "silakan-ke",
                "loket",
                "dua"
            ]
        );
        assert!(announce("P-1000", "Loket 1").is_none());
        assert!(announce("P-007", "Meja Konsultasi").is_none());
    }
}
