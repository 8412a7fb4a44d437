//! A parsed YAML or JSON document that remembers where each value was written, so findings and
//! errors can name the line. CloudFormation's short-form tags (`!Ref`, `!GetAtt`, …) are turned
//! into the long form (`{"Ref": …}`, `{"Fn::GetAtt": …}`) while parsing, so later stages see
//! one shape whatever the input syntax.

use saphyr_parser::{Event, Parser, ScalarStyle};
use std::borrow::Cow;
use std::collections::HashMap;

/// Nesting deeper than this is refused, so every walk over a document stays shallow.
pub const MAX_DEPTH: usize = 128;
/// Values a document may hold once aliases are expanded, so `&a [*a, *a]` chains cannot blow up.
const MAX_NODES: usize = 2_000_000;

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct Pos {
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1 (in characters).
    pub column: u32,
}

impl std::fmt::Display for Pos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// A value and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it starts.
    pub pos: Pos,
}

/// A document value; mapping keys keep their order and position.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// Text.
    String(String),
    /// A list.
    Seq(Vec<Node>),
    /// A mapping: key, where the key is written, value.
    Map(Vec<(String, Pos, Node)>),
}

impl Node {
    /// The value under `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(m) => m.iter().find(|(k, _, _)| k == key).map(|(_, _, v)| v),
            _ => None,
        }
    }

    /// The entries of a mapping (none for anything else).
    pub fn entries(&self) -> &[(String, Pos, Node)] {
        match &self.value {
            Value::Map(m) => m,
            _ => &[],
        }
    }

    /// Text, or a number or boolean written as text.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) | Value::Number(s) => Some(s),
            _ => None,
        }
    }

    /// A short name of the value's kind, for error messages.
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// A syntax error: where and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where the parser stopped.
    pub pos: Pos,
    /// What it expected or found.
    pub message: String,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.pos, self.message)
    }
}

fn err<T>(pos: Pos, message: impl Into<String>) -> Result<T, SyntaxError> {
    Err(SyntaxError {
        pos,
        message: message.into(),
    })
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

// ---------------------------------------------------------------------------------------------
// YAML
// ---------------------------------------------------------------------------------------------

/// The CloudFormation functions that have a `!Name` short form, with their long-form key.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("GetAtt", "Fn::GetAtt"),
    ("Sub", "Fn::Sub"),
    ("If", "Fn::If"),
    ("Join", "Fn::Join"),
    ("Select", "Fn::Select"),
    ("Equals", "Fn::Equals"),
    ("Not", "Fn::Not"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("FindInMap", "Fn::FindInMap"),
    ("Base64", "Fn::Base64"),
    ("Split", "Fn::Split"),
    ("ImportValue", "Fn::ImportValue"),
    ("GetAZs", "Fn::GetAZs"),
    ("Cidr", "Fn::Cidr"),
    ("Transform", "Fn::Transform"),
    ("ToJsonString", "Fn::ToJsonString"),
    ("Length", "Fn::Length"),
    ("ForEach", "Fn::ForEach"),
];

/// A collection being built.
enum Open {
    Seq(Vec<Node>),
    Map(Vec<(String, Pos, Node)>, Option<(String, Pos)>),
}

struct Frame {
    open: Open,
    pos: Pos,
    tag: Option<String>,
    anchor: usize,
}

/// Parse one YAML document (a CloudFormation template).
pub fn parse_yaml(text: &str) -> Result<Node, SyntaxError> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut root: Option<Node> = None;
    let mut documents = 0usize;
    let mut nodes = 0usize;
    for item in Parser::new_from_str(text) {
        let (event, span) = match item {
            Ok(x) => x,
            Err(e) => {
                let m = e.marker();
                return err(
                    Pos {
                        line: to_u32(m.line()),
                        column: to_u32(m.col() + 1),
                    },
                    e.info().to_string(),
                );
            }
        };
        let pos = Pos {
            line: to_u32(span.start.line()),
            column: to_u32(span.start.col() + 1),
        };
        let is_seq = matches!(event, Event::SequenceStart(..));
        let done = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return err(
                        pos,
                        "more than one YAML document: a template is one document",
                    );
                }
                None
            }
            Event::Scalar(value, style, anchor, tag) => {
                nodes += 1;
                let tag = tag.map(|t| tag_name(&t.handle, &t.suffix));
                let node = scalar(value, style, tag.as_deref(), pos)?;
                if anchor > 0 {
                    anchors.insert(anchor, node.clone());
                }
                Some(node)
            }
            Event::Alias(id) => match anchors.get(&id) {
                Some(n) => {
                    nodes += count(n);
                    Some(n.clone())
                }
                None => return err(pos, "alias to an anchor that is not defined"),
            },
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                if stack.len() >= MAX_DEPTH {
                    return err(pos, format!("nesting deeper than {MAX_DEPTH} levels"));
                }
                nodes += 1;
                let open = if is_seq {
                    Open::Seq(Vec::new())
                } else {
                    Open::Map(Vec::new(), None)
                };
                stack.push(Frame {
                    open,
                    pos,
                    tag: tag.map(|t| tag_name(&t.handle, &t.suffix)),
                    anchor,
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = stack.pop() else {
                    return err(pos, "unbalanced collection end");
                };
                let value = match frame.open {
                    Open::Seq(items) => Value::Seq(items),
                    Open::Map(entries, _) => Value::Map(entries),
                };
                let node = tagged(
                    Node {
                        value,
                        pos: frame.pos,
                    },
                    frame.tag.as_deref(),
                )?;
                if frame.anchor > 0 {
                    anchors.insert(frame.anchor, node.clone());
                }
                Some(node)
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => None,
        };
        if nodes > MAX_NODES {
            return err(
                pos,
                format!("more than {MAX_NODES} values once aliases are expanded"),
            );
        }
        let Some(node) = done else { continue };
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame {
                open: Open::Seq(items),
                ..
            }) => items.push(node),
            Some(Frame {
                open: Open::Map(entries, key),
                ..
            }) => match key.take() {
                None => {
                    let k = match &node.value {
                        Value::String(s) | Value::Number(s) => s.clone(),
                        Value::Bool(b) => b.to_string(),
                        Value::Null => String::new(),
                        _ => return err(node.pos, "a mapping key must be text"),
                    };
                    if entries.iter().any(|(e, _, _)| *e == k) {
                        return err(node.pos, format!("duplicate key `{k}`"));
                    }
                    *key = Some((k, node.pos));
                }
                Some((k, kpos)) => entries.push((k, kpos, node)),
            },
        }
    }
    match root {
        Some(n) => Ok(n),
        None => err(Pos { line: 1, column: 1 }, "the document is empty"),
    }
}

fn count(n: &Node) -> usize {
    1 + match &n.value {
        Value::Seq(items) => items.iter().map(count).sum(),
        Value::Map(entries) => entries.iter().map(|(_, _, v)| count(v)).sum(),
        _ => 0,
    }
}

fn tag_name(handle: &str, suffix: &str) -> String {
    if handle == "!" {
        format!("!{suffix}")
    } else if handle == "tag:yaml.org,2002:" || handle == "!!" {
        format!("!!{suffix}")
    } else {
        format!("{handle}{suffix}")
    }
}

/// A scalar with YAML 1.2 core-schema typing for plain (unquoted) text.
fn scalar(
    value: Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<&str>,
    pos: Pos,
) -> Result<Node, SyntaxError> {
    let text = value.into_owned();
    let plain = matches!(style, ScalarStyle::Plain);
    let value = match tag {
        Some("!!str") => Value::String(text),
        Some("!!null") => Value::Null,
        Some("!!bool") | Some("!!int") | Some("!!float") | None if plain => plain_value(text),
        _ => Value::String(text),
    };
    tagged(Node { value, pos }, tag)
}

fn plain_value(text: String) -> Value {
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        t if is_number(t) => Value::Number(text),
        _ => Value::String(text),
    }
}

fn is_number(t: &str) -> bool {
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    if body.is_empty() {
        return false;
    }
    if let Some(hex) = body.strip_prefix("0x") {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(oct) = body.strip_prefix("0o") {
        return !oct.is_empty() && oct.chars().all(|c| ('0'..='7').contains(&c));
    }
    matches!(body, ".inf" | ".Inf" | ".INF")
        || body.parse::<f64>().is_ok() && !body.contains(['i', 'I', 'n', 'N'])
}

/// Apply a node's tag: a CloudFormation short form becomes its long form.
fn tagged(node: Node, tag: Option<&str>) -> Result<Node, SyntaxError> {
    let Some(tag) = tag else { return Ok(node) };
    if tag.starts_with("!!") {
        return Ok(node);
    }
    let Some(name) = tag.strip_prefix('!') else {
        return err(node.pos, format!("unknown tag `{tag}`"));
    };
    let Some(&(_, long)) = SHORT_FORMS.iter().find(|(s, _)| *s == name) else {
        return err(
            node.pos,
            format!("unknown tag `!{name}`: not a CloudFormation function"),
        );
    };
    let pos = node.pos;
    // `!GetAtt Resource.Attribute` is the one short form whose text splits into a list.
    let arg = match (&node.value, name) {
        (Value::String(s), "GetAtt") => match s.split_once('.') {
            Some((r, a)) => Node {
                value: Value::Seq(vec![
                    Node {
                        value: Value::String(r.to_string()),
                        pos,
                    },
                    Node {
                        value: Value::String(a.to_string()),
                        pos,
                    },
                ]),
                pos,
            },
            None => return err(pos, format!("`!GetAtt {s}` needs `Resource.Attribute`")),
        },
        _ => node,
    };
    Ok(Node {
        value: Value::Map(vec![(long.to_string(), pos, arg)]),
        pos,
    })
}

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

/// Parse a JSON document (a template, a CDK manifest, a Terraform plan).
pub fn parse_json(text: &str) -> Result<Node, SyntaxError> {
    let mut p = Json {
        bytes: text.as_bytes(),
        text,
        at: 0,
        line: 1,
        line_start: 0,
    };
    p.skip_ws();
    let node = p.value(0)?;
    p.skip_ws();
    if p.at < p.bytes.len() {
        return err(p.pos(), "text after the end of the JSON document");
    }
    Ok(node)
}

struct Json<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
    line: usize,
    line_start: usize,
}

impl Json<'_> {
    fn pos(&self) -> Pos {
        let col = self
            .text
            .get(self.line_start..self.at)
            .map_or(self.at - self.line_start, |s| s.chars().count());
        Pos {
            line: to_u32(self.line),
            column: to_u32(col + 1),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                b'\n' => {
                    self.at += 1;
                    self.line += 1;
                    self.line_start = self.at;
                }
                b' ' | b'\t' | b'\r' => self.at += 1,
                _ => break,
            }
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), SyntaxError> {
        if self.peek() == Some(c) {
            self.at += 1;
            Ok(())
        } else {
            err(self.pos(), format!("expected `{}`", c as char))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, SyntaxError> {
        if depth >= MAX_DEPTH {
            return err(
                self.pos(),
                format!("nesting deeper than {MAX_DEPTH} levels"),
            );
        }
        let pos = self.pos();
        let value = match self.peek() {
            None => return err(pos, "unexpected end of the document"),
            Some(b'{') => {
                self.at += 1;
                let mut entries: Vec<(String, Pos, Node)> = Vec::new();
                self.skip_ws();
                if self.peek() == Some(b'}') {
                    self.at += 1;
                } else {
                    loop {
                        self.skip_ws();
                        let kpos = self.pos();
                        if self.peek() != Some(b'"') {
                            return err(kpos, "expected a quoted key");
                        }
                        let k = self.string()?;
                        if entries.iter().any(|(e, _, _)| *e == k) {
                            return err(kpos, format!("duplicate key `{k}`"));
                        }
                        self.skip_ws();
                        self.expect(b':')?;
                        self.skip_ws();
                        let v = self.value(depth + 1)?;
                        entries.push((k, kpos, v));
                        self.skip_ws();
                        match self.peek() {
                            Some(b',') => self.at += 1,
                            Some(b'}') => {
                                self.at += 1;
                                break;
                            }
                            _ => return err(self.pos(), "expected `,` or `}`"),
                        }
                    }
                }
                Value::Map(entries)
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                self.skip_ws();
                if self.peek() == Some(b']') {
                    self.at += 1;
                } else {
                    loop {
                        self.skip_ws();
                        items.push(self.value(depth + 1)?);
                        self.skip_ws();
                        match self.peek() {
                            Some(b',') => self.at += 1,
                            Some(b']') => {
                                self.at += 1;
                                break;
                            }
                            _ => return err(self.pos(), "expected `,` or `]`"),
                        }
                    }
                }
                Value::Seq(items)
            }
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.word("true", Value::Bool(true))?,
            Some(b'f') => self.word("false", Value::Bool(false))?,
            Some(b'n') => self.word("null", Value::Null)?,
            Some(c) if c == b'-' || c.is_ascii_digit() => Value::Number(self.number()?),
            Some(_) => return err(pos, "expected a JSON value"),
        };
        Ok(Node { value, pos })
    }

    fn word(&mut self, w: &str, v: Value) -> Result<Value, SyntaxError> {
        if self.bytes[self.at..].starts_with(w.as_bytes()) {
            self.at += w.len();
            Ok(v)
        } else {
            err(self.pos(), "expected a JSON value")
        }
    }

    fn number(&mut self) -> Result<String, SyntaxError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let digits = |p: &mut Self| {
            let s = p.at;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.at += 1;
            }
            p.at > s
        };
        if !digits(self) {
            return err(self.pos(), "expected a digit");
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if !digits(self) {
                return err(self.pos(), "expected a digit after `.`");
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !digits(self) {
                return err(self.pos(), "expected a digit in the exponent");
            }
        }
        Ok(self
            .text
            .get(start..self.at)
            .unwrap_or_default()
            .to_string())
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let s = self
            .text
            .get(self.at..self.at + 4)
            .filter(|s| s.chars().all(|c| c.is_ascii_hexdigit()))
            .ok_or_else(|| SyntaxError {
                pos: self.pos(),
                message: "expected four hex digits after `\\u`".into(),
            })?;
        let v = u32::from_str_radix(s, 16).map_err(|e| SyntaxError {
            pos: self.pos(),
            message: e.to_string(),
        })?;
        self.at += 4;
        Ok(v)
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        self.expect(b'"')?;
        let mut out = String::new();
        loop {
            let start = self.at;
            while let Some(c) = self.peek() {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.at += 1;
            }
            out.push_str(self.text.get(start..self.at).unwrap_or_default());
            match self.peek() {
                None => return err(self.pos(), "unterminated string"),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let Some(e) = self.peek() else {
                        return err(self.pos(), "unterminated string");
                    };
                    self.at += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                if self.bytes.get(self.at..self.at + 2) != Some(b"\\u") {
                                    return err(self.pos(), "a lone UTF-16 surrogate");
                                }
                                self.at += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return err(self.pos(), "a lone UTF-16 surrogate");
                                }
                                char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                            } else {
                                char::from_u32(hi)
                            };
                            match c {
                                Some(c) => out.push(c),
                                None => return err(self.pos(), "a lone UTF-16 surrogate"),
                            }
                        }
                        _ => return err(self.pos(), "unknown escape in a string"),
                    }
                }
                Some(_) => return err(self.pos(), "a control character inside a string"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_become_long_forms_with_positions() {
        let n = parse_yaml(
            "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      A: !GetAtt K.Arn\n      L: !Join ['', [!Ref X, b]]\n      S: !Sub '${AWS::Region}'\n      N: 5\n      T: yes\n",
        )
        .unwrap();
        let b = n.get("Resources").unwrap().get("B").unwrap();
        assert_eq!(b.pos, Pos { line: 3, column: 5 });
        let p = b.get("Properties").unwrap();
        let a = p.get("A").unwrap().get("Fn::GetAtt").unwrap();
        assert_eq!(
            a.value,
            Value::Seq(vec![
                Node {
                    value: Value::String("K".into()),
                    pos: a.pos
                },
                Node {
                    value: Value::String("Arn".into()),
                    pos: a.pos
                }
            ])
        );
        let l = p.get("L").unwrap().get("Fn::Join").unwrap();
        assert!(matches!(&l.value, Value::Seq(v) if v.len() == 2));
        assert_eq!(p.get("N").unwrap().value, Value::Number("5".into()));
        assert_eq!(p.get("T").unwrap().value, Value::String("yes".into()));
        let keys: Vec<&str> = n
            .get("Resources")
            .unwrap()
            .entries()
            .iter()
            .map(|(k, _, _)| k.as_str())
            .collect();
        assert_eq!(keys, ["B"]);
        assert_eq!(
            n.get("Resources").unwrap().entries()[0].1,
            Pos { line: 2, column: 3 }
        );
    }

    #[test]
    fn yaml_errors_name_the_line() {
        let e = parse_yaml("a: [1\n").unwrap_err();
        assert_eq!(e.pos.line, 2, "{e}");
        let e = parse_yaml("a: !Nope x\n").unwrap_err();
        assert!(e.message.contains("`!Nope`"), "{e}");
        let e = parse_yaml("a: 1\na: 2\n").unwrap_err();
        assert!(
            e.message.contains("duplicate key `a`") && e.pos.line == 2,
            "{e}"
        );
        let e = parse_yaml("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(e.message.contains("more than one"), "{e}");
        let deep = "[".repeat(300) + &"]".repeat(300);
        let e = parse_yaml(&deep).unwrap_err();
        assert!(
            e.message.contains("nesting") || e.message.contains("recursion"),
            "{e}"
        );
        let deep = "a:\n".to_string()
            + &(1..200)
                .map(|i| format!("{}- \n", "  ".repeat(i)))
                .collect::<String>();
        assert!(parse_yaml(&deep).is_err());
        let bomb = "a: &a [x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f]\nh: [*g, *g, *g, *g, *g, *g, *g, *g]\n";
        assert!(parse_yaml(bomb).unwrap_err().message.contains("aliases"));
    }

    #[test]
    fn json_keeps_positions_and_refuses_bad_text() {
        let n =
            parse_json("{\n  \"a\": [1, \"\\u00e9\\ud83d\\ude00\", true, null],\n  \"b\": {}\n}")
                .unwrap();
        assert_eq!(n.get("b").unwrap().pos, Pos { line: 3, column: 8 });
        let Value::Seq(items) = &n.get("a").unwrap().value else {
            panic!()
        };
        assert_eq!(items[1].value, Value::String("é😀".into()));
        for (bad, line) in [
            ("{\"a\": }", 1),
            ("{\n\"a\": 1,\n}", 3),
            ("[1 2]", 1),
            ("{\"a\":1}x", 1),
            ("\"\\ud800\"", 1),
            ("{\"a\":1,\"a\":2}", 1),
        ] {
            let e = parse_json(bad).unwrap_err();
            assert_eq!(e.pos.line, line, "{bad}: {e}");
        }
        let deep = "[".repeat(300) + &"]".repeat(300);
        assert!(parse_json(&deep).unwrap_err().message.contains("nesting"));
    }
}
