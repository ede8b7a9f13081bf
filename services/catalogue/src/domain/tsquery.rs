//! A search query as Postgres' Indonesian parser reads it (`websearch_to_tsquery(...)::text`,
//! e.g. `'miskin' & !'beras' & ( 'musi' <-> 'rawas' | 'inflasi' )`), as a tree the search
//! index can answer. The lexemes are Postgres' own (stemmed, stop words gone), so the index,
//! which holds the same lexemes, matches exactly what the database would.

/// A query tree. A phrase (`<->`, `<N>`) is read as "all of": the index keeps no positions.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Term(String),
    Not(Box<Expr>),
    All(Vec<Expr>),
    Any(Vec<Expr>),
}

impl Expr {
    /// Parses tsquery text; `None` for an empty query (only stop words or punctuation) or
    /// text that is not a tsquery.
    pub fn parse(text: &str) -> Option<Self> {
        let tokens = tokenize(text)?;
        if tokens.is_empty() {
            return None;
        }
        let mut p = Parser { tokens, at: 0 };
        let e = p.any()?;
        (p.at == p.tokens.len()).then_some(e)
    }

    /// The lexemes the query asks for (not those it refuses), each once, in order.
    pub fn wanted(&self) -> Vec<String> {
        fn walk(e: &Expr, out: &mut Vec<String>) {
            match e {
                Expr::Term(t) => {
                    if !out.contains(t) {
                        out.push(t.clone());
                    }
                }
                Expr::Not(_) => {}
                Expr::All(v) | Expr::Any(v) => v.iter().for_each(|e| walk(e, out)),
            }
        }
        let mut out = Vec::new();
        walk(self, &mut out);
        out
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Term(String),
    And,
    Or,
    Not,
    Follows,
    Open,
    Close,
}

fn tokenize(text: &str) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' => {}
            '&' => out.push(Token::And),
            '|' => out.push(Token::Or),
            '!' => out.push(Token::Not),
            '(' => out.push(Token::Open),
            ')' => out.push(Token::Close),
            '<' => {
                // `<->` or `<N>`: followed by.
                for c in chars.by_ref() {
                    if c == '>' {
                        break;
                    }
                }
                out.push(Token::Follows);
            }
            '\'' => {
                let mut word = String::new();
                loop {
                    match chars.next()? {
                        '\\' => word.push(chars.next()?),
                        '\'' if chars.peek() == Some(&'\'') => {
                            chars.next();
                            word.push('\'');
                        }
                        '\'' => break,
                        c => word.push(c),
                    }
                }
                // A prefix or weight mark (`:*`, `:AB`) is not used here.
                if chars.peek() == Some(&':') {
                    while chars.peek().is_some_and(|c| *c != ' ' && *c != ')') {
                        chars.next();
                    }
                }
                out.push(Token::Term(word));
            }
            _ => return None,
        }
    }
    Some(out)
}

/// The one item, or the items joined by `join`.
fn one_or(mut items: Vec<Expr>, join: fn(Vec<Expr>) -> Expr) -> Option<Expr> {
    if items.len() == 1 {
        items.pop()
    } else {
        Some(join(items))
    }
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn list(&mut self, op: &Token, next: fn(&mut Self) -> Option<Expr>) -> Option<Vec<Expr>> {
        let mut items = vec![next(self)?];
        while self.peek() == Some(op) {
            self.at += 1;
            items.push(next(self)?);
        }
        Some(items)
    }

    fn any(&mut self) -> Option<Expr> {
        one_or(self.list(&Token::Or, Self::all)?, Expr::Any)
    }

    fn all(&mut self) -> Option<Expr> {
        let mut items = Vec::new();
        for e in self.list(&Token::And, Self::phrase)? {
            match e {
                Expr::All(inner) => items.extend(inner),
                e => items.push(e),
            }
        }
        one_or(items, Expr::All)
    }

    fn phrase(&mut self) -> Option<Expr> {
        one_or(self.list(&Token::Follows, Self::unary)?, Expr::All)
    }

    fn unary(&mut self) -> Option<Expr> {
        let token = self.peek()?.clone();
        self.at += 1;
        match token {
            Token::Not => Some(Expr::Not(Box::new(self.unary()?))),
            Token::Open => {
                let e = self.any()?;
                (self.peek() == Some(&Token::Close)).then(|| self.at += 1)?;
                Some(e)
            }
            Token::Term(t) => Some(Expr::Term(t)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Expr {
        Expr::Term(s.into())
    }

    #[test]
    fn operators_are_read_with_postgres_precedence() {
        let e = Expr::parse("'miskin' & !'beras' & ( 'musi' <-> 'rawas' | 'inflasi' )")
            .expect("parses");
        assert_eq!(
            e,
            Expr::All(vec![
                t("miskin"),
                Expr::Not(Box::new(t("beras"))),
                Expr::Any(vec![Expr::All(vec![t("musi"), t("rawas")]), t("inflasi")]),
            ])
        );
        assert_eq!(e.wanted(), ["miskin", "musi", "rawas", "inflasi"]);
        // `|` binds loosest.
        let e = Expr::parse("'a' & 'b' | 'c'").expect("parses");
        assert_eq!(e, Expr::Any(vec![Expr::All(vec![t("a"), t("b")]), t("c")]));
    }

    #[test]
    fn quotes_backslashes_and_marks_are_read() {
        let e = Expr::parse(r"'it''s' & 'a\\b':* & 'x':AB <2> 'y'").expect("parses");
        assert_eq!(e, Expr::All(vec![t("it's"), t(r"a\b"), t("x"), t("y")]));
    }

    #[test]
    fn empty_and_broken_queries_are_none() {
        assert_eq!(Expr::parse(""), None);
        assert_eq!(Expr::parse("   "), None);
        assert_eq!(Expr::parse("'a' &"), None);
        assert_eq!(Expr::parse("( 'a'"), None);
        assert_eq!(Expr::parse("'unterminated"), None);
        assert_eq!(Expr::parse("a"), None);
    }
}
