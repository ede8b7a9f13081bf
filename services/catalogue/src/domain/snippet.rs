//! The snippet shown under a search hit: the title and the abstract's start, cut to the
//! 30 words holding the most query words, those marked `<mark>...</mark>` (the web page
//! escapes everything else). Query words are Postgres lexemes (stems, e.g. `nduduk` for
//! "kependudukan"), so a word is marked when it is, starts with, or holds its stem.

/// Words shown at most.
const WINDOW: usize = 30;
/// Characters of the abstract read (a snippet shows the start of a publication).
const ABSTRACT_CHARS: usize = 600;

pub fn snippet(title: &str, abstract_text: &str, lexemes: &[String]) -> String {
    let head: String = abstract_text.chars().take(ABSTRACT_CHARS).collect();
    let text = if head.trim().is_empty() {
        title.to_owned()
    } else {
        format!("{}. {}", title.trim_end_matches('.'), head)
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    let marked: Vec<bool> = words.iter().map(|w| matches(w, lexemes)).collect();
    // The window of WINDOW words with the most marks (the earliest of equals).
    let mut best = (0, 0);
    let mut count = marked.iter().take(WINDOW).filter(|m| **m).count();
    best.1 = count;
    for start in 1..words.len().saturating_sub(WINDOW - 1) {
        count = count + usize::from(marked[start + WINDOW - 1]) - usize::from(marked[start - 1]);
        if count > best.1 {
            best = (start, count);
        }
    }
    let end = (best.0 + WINDOW).min(words.len());
    words[best.0..end]
        .iter()
        .zip(&marked[best.0..end])
        .map(|(w, m)| {
            if *m {
                // Punctuation around the word stays outside the mark.
                let core = w.trim_matches(|c: char| !c.is_alphanumeric());
                let start = w.find(core).unwrap_or(0);
                let end = start + core.len();
                format!("{}<mark>{core}</mark>{}", &w[..start], &w[end..])
            } else {
                (*w).to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn matches(word: &str, lexemes: &[String]) -> bool {
    let core: String = word
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    if core.is_empty() {
        return false;
    }
    lexemes.iter().any(|l| {
        core == *l
            || (l.chars().count() >= 3 && core.starts_with(l.as_str()))
            || (l.chars().count() >= 4 && core.contains(l.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn stems_mark_their_words_and_nothing_else() {
        let s = snippet(
            "Statistik Kependudukan Kota Lubuklinggau",
            "Jumlah penduduk menurut kecamatan.",
            &lex(&["nduduk", "lubuklinggau"]),
        );
        assert_eq!(
            s,
            "Statistik <mark>Kependudukan</mark> Kota <mark>Lubuklinggau</mark>. Jumlah <mark>penduduk</mark> menurut kecamatan."
        );
        // Short stems mark only words that start with them.
        let s = snippet("Data IT dan kita", "", &lex(&["it"]));
        assert_eq!(s, "Data <mark>IT</mark> dan kita");
    }

    #[test]
    fn the_window_moves_to_the_query_words() {
        let filler = "kata ".repeat(100);
        let s = snippet(
            "Judul",
            &format!("{filler} inflasi bulanan {filler}"),
            &lex(&["inflasi"]),
        );
        assert!(s.contains("<mark>inflasi</mark>"), "{s}");
        assert_eq!(s.split_whitespace().count(), WINDOW);
        // Nothing matches: the start.
        let s = snippet("Judul Buku", &filler, &lex(&["beras"]));
        assert!(s.starts_with("Judul Buku. kata"), "{s}");
        assert!(!s.contains("<mark>"));
    }
}
