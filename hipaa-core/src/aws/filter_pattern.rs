//! CloudWatch Logs JSON filter patterns (`{ $.a = "x" && ($.b = y || $.c NOT EXISTS) }`): parsed,
//! and matched against sample events with a three-valued answer.

use super::glob;

/// A field of a sample event: its value, or `None` when the event lacks the field.
pub type EventField = (&'static str, Option<&'static str>);

/// A CloudWatch Logs JSON filter pattern (`{ $.a = "x" && ($.b = y || $.c NOT EXISTS) }`),
/// reduced to what the alarm controls need. `&&` binds tighter than `||`. Text (term)
/// patterns and anything this reader does not understand match nothing, so an unusual filter
/// can cause a FAIL but never a false PASS.
#[derive(Debug, PartialEq)]
pub enum FilterPattern {
    /// Both sides match.
    And(Box<FilterPattern>, Box<FilterPattern>),
    /// Either side matches.
    Or(Box<FilterPattern>, Box<FilterPattern>),
    /// One comparison of a field.
    Clause {
        /// The field path after `$.`.
        field: String,
        /// The comparison.
        op: Op,
        /// The value compared with, when the operator takes one.
        value: Option<String>,
    },
}

/// The comparison of a clause.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    /// `=`.
    Eq,
    /// `!=`.
    Ne,
    /// `EXISTS`.
    Exists,
    /// `NOT EXISTS`.
    NotExists,
    /// Numeric comparisons, `IS TRUE`/`IS FALSE`/`IS NULL`: never decided here.
    Other,
}

impl FilterPattern {
    /// Parse a JSON filter pattern; `None` for text patterns and anything unreadable.
    pub fn parse(text: &str) -> Option<FilterPattern> {
        let inner = text.trim().strip_prefix('{')?.strip_suffix('}')?;
        let mut r = PatternReader { rest: inner };
        let p = r.or()?;
        r.rest.trim().is_empty().then_some(p)
    }

    /// Whether the pattern matches a sample event: `Some(true)` certainly, `Some(false)`
    /// certainly not, `None` when it depends on fields the sample does not describe.
    pub fn matches(&self, event: &[EventField]) -> Option<bool> {
        match self {
            FilterPattern::And(a, b) => match (a.matches(event), b.matches(event)) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            },
            FilterPattern::Or(a, b) => match (a.matches(event), b.matches(event)) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            },
            FilterPattern::Clause { field, op, value } => {
                let (_, actual) = event.iter().find(|e| e.0 == field.as_str())?;
                let equal = match (actual, value) {
                    (Some(a), Some(v)) => Some(value_matches(v, a)?),
                    (None, _) => Some(false),
                    (Some(_), None) => None,
                };
                match op {
                    Op::Eq => equal,
                    Op::Ne => equal.map(|e| !e),
                    Op::Exists => Some(actual.is_some()),
                    Op::NotExists => Some(actual.is_none()),
                    Op::Other => None,
                }
            }
        }
    }
}

/// A pattern value against an actual string: `*` is a wildcard; `%regex%` is not decided.
fn value_matches(pattern: &str, actual: &str) -> Option<bool> {
    if pattern.len() >= 2 && pattern.starts_with('%') && pattern.ends_with('%') {
        return None;
    }
    Some(glob::wildcard(pattern, actual))
}

struct PatternReader<'a> {
    rest: &'a str,
}

impl<'a> PatternReader<'a> {
    fn eat(&mut self, token: &str) -> bool {
        self.rest = self.rest.trim_start();
        match self.rest.strip_prefix(token) {
            Some(r) => {
                self.rest = r;
                true
            }
            None => false,
        }
    }

    /// A keyword (case-insensitive) not followed by more of a word.
    fn eat_keyword(&mut self, word: &str) -> bool {
        self.rest = self.rest.trim_start();
        let Some(head) = self.rest.get(..word.len()) else {
            return false;
        };
        let after = self.rest.get(word.len()..).unwrap_or("");
        if head.eq_ignore_ascii_case(word)
            && !after.starts_with(|c: char| c.is_alphanumeric() || c == '_')
        {
            self.rest = after;
            true
        } else {
            false
        }
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let end = self.rest.find(|c| !keep(c)).unwrap_or(self.rest.len());
        let (head, tail) = self.rest.split_at(end);
        self.rest = tail;
        head
    }

    fn or(&mut self) -> Option<FilterPattern> {
        let mut left = self.and()?;
        while self.eat("||") {
            left = FilterPattern::Or(Box::new(left), Box::new(self.and()?));
        }
        Some(left)
    }

    fn and(&mut self) -> Option<FilterPattern> {
        let mut left = self.atom()?;
        while self.eat("&&") {
            left = FilterPattern::And(Box::new(left), Box::new(self.atom()?));
        }
        Some(left)
    }

    fn atom(&mut self) -> Option<FilterPattern> {
        if self.eat("(") {
            let inner = self.or()?;
            return self.eat(")").then_some(inner);
        }
        self.clause()
    }

    fn clause(&mut self) -> Option<FilterPattern> {
        if !self.eat("$.") {
            return None;
        }
        let field = self
            .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '[' | ']'))
            .to_string();
        if field.is_empty() {
            return None;
        }
        let (op, value) = if self.eat_keyword("NOT") {
            if !self.eat_keyword("EXISTS") {
                return None;
            }
            (Op::NotExists, None)
        } else if self.eat_keyword("EXISTS") {
            (Op::Exists, None)
        } else if self.eat_keyword("IS") {
            self.rest = self.rest.trim_start();
            if self.take_while(char::is_alphabetic).is_empty() {
                return None;
            }
            (Op::Other, None)
        } else if self.eat("!=") {
            (Op::Ne, Some(self.value()?))
        } else if self.eat("<=") || self.eat(">=") || self.eat("<") || self.eat(">") {
            (Op::Other, Some(self.value()?))
        } else if self.eat("=") {
            (Op::Eq, Some(self.value()?))
        } else {
            return None;
        };
        Some(FilterPattern::Clause { field, op, value })
    }

    /// A quoted string (with `\"` escapes), a `%regex%` or a bare word.
    fn value(&mut self) -> Option<String> {
        self.rest = self.rest.trim_start();
        if let Some(body) = self.rest.strip_prefix('"') {
            let mut out = String::new();
            let mut chars = body.char_indices();
            while let Some((i, c)) = chars.next() {
                match c {
                    '"' => {
                        self.rest = body.get(i + 1..)?;
                        return Some(out);
                    }
                    '\\' => out.push(chars.next()?.1),
                    c => out.push(c),
                }
            }
            return None;
        }
        if let Some(body) = self.rest.strip_prefix('%') {
            let end = body.find('%')?;
            let regex = format!("%{}%", body.get(..end)?);
            self.rest = body.get(end + 1..)?;
            return Some(regex);
        }
        let word = self.take_while(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '&' | '|'));
        (!word.is_empty()).then(|| word.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_pattern_values() {
        let p =
            FilterPattern::parse(r#"{ $.a = "x \" y" && $.b != 1 || $.c NOT EXISTS }"#).unwrap();
        let e: Vec<EventField> = vec![("a", Some("x \" y")), ("b", Some("2")), ("c", Some("z"))];
        assert_eq!(p.matches(&e), Some(true));
        let e: Vec<EventField> = vec![("a", Some("no")), ("b", Some("2")), ("c", Some("z"))];
        assert_eq!(p.matches(&e), Some(false));
        let e: Vec<EventField> = vec![("a", Some("no")), ("c", None)];
        assert_eq!(p.matches(&e), Some(true));
        let e: Vec<EventField> = vec![("a", Some("no"))];
        assert_eq!(p.matches(&e), None);
    }
}
