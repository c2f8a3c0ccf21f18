//! JSON documents for the model: valid ones spelled many ways, broken ones that are invalid by
//! construction, and a reference reader (serde_json plus a duplicate check) that says what the
//! wire format makes of any bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};

/// How a valid document is spelled: all of these mean the same counter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    /// 0: no whitespace; 1: spaces; 2: newlines, tabs and carriage returns.
    pub spacing: u8,
    /// Every character of every agent id as a `\uXXXX` escape (surrogate pairs beyond the BMP).
    pub escape_all: bool,
    /// Members in reverse order.
    pub reverse: bool,
}

/// A way to break a document, each one invalid whatever the members are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Defect {
    /// Cut before the closing brace, at this offset modulo its position.
    Truncate(usize),
    /// Something after the object.
    TrailingJunk(u8),
    /// A member repeating an earlier agent id, spelled with other escapes.
    DuplicateKey,
    /// A member whose count is not an integer from 0 to `u64::MAX`.
    BadCount(u8),
    /// A byte that is not UTF-8 inside an agent id.
    BadUtf8(u8),
    /// An escaped surrogate without its partner.
    LoneSurrogate(u8),
    /// A raw control character inside an agent id.
    ControlChar(u8),
    /// No `:` between an agent id and its count.
    MissingColon,
    /// Two members without a `,` between them.
    MissingComma,
    /// A `,` before the closing brace.
    TrailingComma,
    /// A top-level value that is not an object.
    NotObject(u8),
}

/// A document to feed `gcounter_from_json` or `gcounter_join_json`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Doc {
    /// Distinct agent ids with counts (0 included, meaning absent).
    Valid {
        members: Vec<(String, u64)>,
        style: Style,
    },
    /// Valid members, then one defect at member position `at` (modulo the count).
    Broken {
        members: Vec<(String, u64)>,
        style: Style,
        defect: Defect,
        at: usize,
    },
    /// Arbitrary bytes, judged by [`reference_parse`].
    Bytes(Vec<u8>),
}

const BAD_COUNTS: [&str; 14] = [
    "-1",
    "-0",
    "1.5",
    "1.0",
    "1e3",
    "1E0",
    "\"1\"",
    "null",
    "true",
    "[]",
    "{}",
    "18446744073709551616",
    "01",
    "",
];
const TRAILING: [&str; 6] = ["x", "{}", ",", "0", "\"\"", "]"];
const NOT_OBJECTS: [&str; 8] = ["", "   ", "[]", "1", "\"a\"", "null", "true", "[{\"a\":1}]"];
const SURROGATES: [&str; 5] = [
    "\\ud800",
    "\\udbff\\u0041",
    "\\udc00",
    "\\uDFFF\\uD800",
    "\\ud800\\ud800",
];

impl Doc {
    /// The document's bytes.
    pub fn bytes(&self) -> Vec<u8> {
        match self {
            Doc::Valid { members, style } => render(&member_texts(members, *style), *style),
            Doc::Broken {
                members,
                style,
                defect,
                at,
            } => broken(members, *style, *defect, *at),
            Doc::Bytes(bytes) => bytes.clone(),
        }
    }

    /// The counts the document means (zero counts dropped), or `None` if it is not the wire
    /// format.
    pub fn meaning(&self) -> Option<BTreeMap<String, u64>> {
        match self {
            Doc::Valid { members, .. } => Some(
                members
                    .iter()
                    .filter(|(_, count)| *count > 0)
                    .cloned()
                    .collect(),
            ),
            Doc::Broken { .. } => None,
            Doc::Bytes(bytes) => reference_parse(bytes).ok(),
        }
    }
}

/// Distinct ids: the first member of each id wins, so that a valid document stays valid.
pub fn distinct(members: Vec<(String, u64)>) -> Vec<(String, u64)> {
    let mut seen = BTreeSet::new();
    members
        .into_iter()
        .filter(|(agent_id, _)| seen.insert(agent_id.clone()))
        .collect()
}

fn space(style: Style) -> &'static [u8] {
    match style.spacing {
        0 => b"",
        1 => b" ",
        _ => b"\n\t\r ",
    }
}

/// A JSON string literal for `agent_id`.
pub fn key_text(agent_id: &str, escape_all: bool) -> Vec<u8> {
    let mut out = vec![b'"'];
    for c in agent_id.chars() {
        if escape_all {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.extend(format!("\\u{unit:04X}").bytes());
            }
            continue;
        }
        match c {
            '"' => out.extend(b"\\\""),
            '\\' => out.extend(b"\\\\"),
            '\u{0}'..='\u{1f}' => out.extend(format!("\\u{:04x}", c as u32).bytes()),
            _ => {
                let mut buf = [0u8; 4];
                out.extend(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
    out
}

fn member_texts(members: &[(String, u64)], style: Style) -> Vec<Vec<u8>> {
    let mut texts: Vec<Vec<u8>> = members
        .iter()
        .map(|(agent_id, count)| member(key_text(agent_id, style.escape_all), count, style))
        .collect();
    if style.reverse {
        texts.reverse();
    }
    texts
}

fn member(key: Vec<u8>, count: impl fmt::Display, style: Style) -> Vec<u8> {
    let mut out = key;
    out.extend(space(style));
    out.push(b':');
    out.extend(space(style));
    out.extend(count.to_string().bytes());
    out
}

fn render(members: &[Vec<u8>], style: Style) -> Vec<u8> {
    let mut out = space(style).to_vec();
    out.push(b'{');
    for (i, text) in members.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend(space(style));
        out.extend(text);
    }
    out.extend(space(style));
    out.push(b'}');
    out.extend(space(style));
    out
}

fn broken(members: &[(String, u64)], style: Style, defect: Defect, at: usize) -> Vec<u8> {
    let mut texts = member_texts(members, style);
    let at = at % (texts.len() + 1);
    let pick = |list: &[&'static str], k: u8| list[k as usize % list.len()];
    match defect {
        Defect::Truncate(cut) => {
            let whole = render(&texts, style);
            let close = whole.iter().rposition(|&b| b == b'}').unwrap();
            return whole[..cut % close.max(1)].to_vec();
        }
        Defect::TrailingJunk(k) => {
            let mut whole = render(&texts, style);
            whole.extend(pick(&TRAILING, k).bytes());
            return whole;
        }
        Defect::NotObject(k) => return pick(&NOT_OBJECTS, k).as_bytes().to_vec(),
        Defect::DuplicateKey => {
            let (agent_id, _) = members
                .get(at)
                .or(members.first())
                .cloned()
                .unwrap_or_default();
            if members.is_empty() {
                texts.push(member(key_text("", false), 1, style));
            }
            let again = member(key_text(&agent_id, !style.escape_all), 7, style);
            texts.insert(at.min(texts.len()), again);
            // Both spellings are present whatever the order.
        }
        Defect::BadCount(k) => {
            let text = member(key_text("bad", false), pick(&BAD_COUNTS, k), style);
            texts.insert(at, text);
        }
        Defect::BadUtf8(k) => {
            let bad: &[u8] = match k % 4 {
                0 => b"\xff",
                1 => b"a\xc3",
                2 => b"\xed\xa0\x80",
                _ => b"\xf4\x90\x80\x80",
            };
            let mut key = b"\"".to_vec();
            key.extend(bad);
            key.push(b'"');
            texts.insert(at, member(key, 1, style));
        }
        Defect::LoneSurrogate(k) => {
            let key = format!("\"x{}\"", pick(&SURROGATES, k)).into_bytes();
            texts.insert(at, member(key, 1, style));
        }
        Defect::ControlChar(k) => {
            let key = vec![b'"', k % 0x20, b'"'];
            texts.insert(at, member(key, 1, style));
        }
        Defect::MissingColon => {
            let mut key = key_text("colon", false);
            key.extend(b" 1");
            texts.insert(at, key);
        }
        Defect::MissingComma => {
            let mut first = member(key_text("comma-1", false), 1, style);
            first.extend(b" ");
            first.extend(member(key_text("comma-2", false), 2, style));
            texts.insert(at, first);
        }
        Defect::TrailingComma => {
            let mut whole = render(&texts, style);
            let close = whole.iter().rposition(|&b| b == b'}').unwrap();
            whole.insert(close, b',');
            return whole;
        }
    }
    render(&texts, style)
}

/// What the wire format makes of `bytes`, by an independent reader: serde_json's (RFC 8259,
/// strict about numbers, strings and trailing input) into `u64` counts, with duplicate agent
/// ids refused. Zero counts are dropped.
pub fn reference_parse(bytes: &[u8]) -> Result<BTreeMap<String, u64>, String> {
    struct Members;

    impl<'de> Visitor<'de> for Members {
        type Value = BTreeMap<String, u64>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object of counts")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut seen = BTreeSet::new();
            let mut counts = BTreeMap::new();
            while let Some((agent_id, count)) = map.next_entry::<String, u64>()? {
                if !seen.insert(agent_id.clone()) {
                    return Err(serde::de::Error::custom("duplicate agent id"));
                }
                if count > 0 {
                    counts.insert(agent_id, count);
                }
            }
            Ok(counts)
        }
    }

    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let counts = (&mut deserializer)
        .deserialize_map(Members)
        .map_err(|e| e.to_string())?;
    deserializer.end().map_err(|e| e.to_string())?;
    Ok(counts)
}

/// The canonical JSON of `counts`, written by serde_json: sorted keys, no whitespace, the same
/// escapes as Python's `json.dumps(..., ensure_ascii=False)`.
pub fn canonical(counts: &BTreeMap<String, u64>) -> String {
    serde_json::to_string(counts).unwrap()
}
