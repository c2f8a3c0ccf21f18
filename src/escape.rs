//! JSON string escaping, for the canonical writer and for agent ids quoted in messages.
//!
//! The escapes are Python's `json.dumps(..., ensure_ascii=False)`: `"` and `\` with a backslash,
//! the five short forms `\b \f \n \r \t`, the other control characters as `\u00XX` in lowercase
//! hex; everything else, non-ASCII included, as raw UTF-8.

/// `value` as a JSON string literal, quotes included, appended to `out`.
pub(crate) fn write_quoted(value: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = value.as_bytes();
    let mut clean_from = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let short: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(&bytes[clean_from..i]);
        if short.is_empty() {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(byte >> 4)]);
            out.push(HEX[usize::from(byte & 0xf)]);
        } else {
            out.extend_from_slice(short);
        }
        clean_from = i + 1;
    }
    out.extend_from_slice(&bytes[clean_from..]);
    out.push(b'"');
}

/// The length of `id` as [`write_quoted`] writes it, without the quotes.
pub(crate) fn escaped_len(id: &[u8]) -> usize {
    id.iter()
        .map(|&byte| match byte {
            b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 2,
            0x00..=0x1f => 6,
            _ => 1,
        })
        .sum()
}

/// An agent id as a JSON string for messages, cut short (at a character boundary) if long.
pub(crate) fn quoted(agent_id: &str) -> String {
    const SHOWN: usize = 64;
    let mut cut = agent_id.len().min(SHOWN);
    while !agent_id.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut out = Vec::with_capacity(cut + 2);
    write_quoted(&agent_id[..cut], &mut out);
    let mut text = String::from_utf8(out).expect("escaping keeps UTF-8");
    if cut < agent_id.len() {
        text.push_str(&format!("... ({} bytes)", agent_id.len()));
    }
    text
}

/// The top bit of each byte of a word.
pub(crate) const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The bytes of `word` that may need an escape, each marked by its top bit: a `"`, a `\`
/// or a control character is always marked; a byte above one of those may be marked too
/// (a borrow of the bit trick), never one below. So the lowest marked byte is exact.
#[inline(always)]
pub(crate) fn escape_marks(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // The classic "has a zero byte" trick, on `word ^ pattern` and for "below 0x20".
    let zero_in = |x: u64| x.wrapping_sub(ONES) & !x;
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    (zero_in(quote) | zero_in(backslash) | (word.wrapping_sub(ONES * 0x20) & !word)) & HIGHS
}

/// Whether `bytes` may hold a `"`, a `\` or a control character: never says no wrongly,
/// and rarely yes (then the exact escaper runs and finds nothing to escape).
#[inline]
pub(crate) fn needs_escape(bytes: &[u8]) -> bool {
    if bytes.len() < 8 {
        return bytes
            .iter()
            .any(|&byte| byte < 0x20 || byte == b'"' || byte == b'\\');
    }
    let word = |chunk: &[u8]| u64::from_le_bytes(chunk.try_into().unwrap());
    bytes
        .chunks_exact(8)
        .chain(std::iter::once(&bytes[bytes.len() - 8..]))
        .any(|chunk| escape_marks(word(chunk)) != 0)
}

/// The offset of the first `"`, `\\` or control character in `bytes`, a word at a time: where a
/// JSON string's plain run ends.
#[inline]
pub(crate) fn first_special(bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    for (i, chunk) in chunks.by_ref().enumerate() {
        let marks = escape_marks(u64::from_le_bytes(chunk.try_into().unwrap()));
        if marks != 0 {
            // The lowest mark is exact (see `escape_marks`).
            return Some(8 * i + marks.trailing_zeros() as usize / 8);
        }
    }
    let done = bytes.len() - chunks.remainder().len();
    chunks
        .remainder()
        .iter()
        .position(|&byte| byte < 0x20 || byte == b'"' || byte == b'\\')
        .map(|at| done + at)
}

/// [`needs_escape`] for the id `&key[..len]` of an inline key, read as two words; the marks of
/// the padding past the id are masked off (they lie above every byte of the id, so they
/// cannot have hidden a mark of the id's own bytes).
#[inline(always)]
pub(crate) fn key_needs_escape(key: &[u8; 16], len: usize) -> bool {
    let low = u64::from_le_bytes(key[..8].try_into().unwrap());
    let high = u64::from_le_bytes(key[8..].try_into().unwrap());
    let first = |bytes: usize| match bytes {
        0 => 0,
        1..=7 => (1u64 << (8 * bytes)) - 1,
        _ => u64::MAX,
    };
    escape_marks(low) & first(len) != 0 || escape_marks(high) & first(len.saturating_sub(8)) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_check_flags_every_byte_that_needs_it_at_every_offset() {
        for byte in 0u8..=0x7f {
            let needs = byte < 0x20 || byte == b'"' || byte == b'\\';
            for len in 1..=17 {
                for at in 0..len {
                    let mut id = vec![b'a'; len];
                    id[at] = byte;
                    assert_eq!(needs_escape(&id), needs, "byte {byte:#x} at {at} of {len}");
                }
            }
        }
        assert!(!needs_escape(b""));
    }

    #[test]
    fn the_first_special_byte_is_found_at_every_offset() {
        for byte in 0u8..=0xff {
            let special = byte < 0x20 || byte == b'"' || byte == b'\\';
            for len in 0..=19 {
                for at in 0..len {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = byte;
                    // A second special byte later never hides the first.
                    if at + 2 < len {
                        bytes[at + 2] = b'"';
                    }
                    let expected = if special {
                        Some(at)
                    } else {
                        (at + 2 < len).then_some(at + 2)
                    };
                    assert_eq!(
                        first_special(&bytes),
                        expected,
                        "{byte:#x} at {at} of {len}"
                    );
                }
            }
        }
        assert_eq!(first_special(b""), None);
    }

    #[test]
    fn escape_check_of_inline_keys_ignores_only_the_padding() {
        for byte in 0u8..=0xff {
            let needs = byte < 0x20 || byte == b'"' || byte == b'\\';
            for len in 1..=15 {
                for at in 0..len {
                    let mut key = [0u8; 16];
                    key[..len].fill(b'a');
                    key[at] = byte;
                    key[15] = len as u8;
                    if needs {
                        assert!(
                            key_needs_escape(&key, len),
                            "byte {byte:#x} at {at} of {len}"
                        );
                    } else if byte < 0x80 {
                        assert!(
                            !key_needs_escape(&key, len),
                            "byte {byte:#x} at {at} of {len}"
                        );
                    }
                }
            }
        }
        assert!(!key_needs_escape(&[0; 16], 0));
    }

    #[test]
    fn every_control_character_has_its_escape_and_length() {
        for byte in 0u8..0x80 {
            let id = (byte as char).to_string();
            let mut out = Vec::new();
            write_quoted(&id, &mut out);
            let literal = String::from_utf8(out).unwrap();
            let expected = match byte {
                b'"' => "\"\\\"\"".to_string(),
                b'\\' => "\"\\\\\"".to_string(),
                b'\n' => "\"\\n\"".to_string(),
                b'\r' => "\"\\r\"".to_string(),
                b'\t' => "\"\\t\"".to_string(),
                0x08 => "\"\\b\"".to_string(),
                0x0c => "\"\\f\"".to_string(),
                0x00..=0x1f => format!("\"\\u{byte:04x}\""),
                _ => format!("\"{id}\""),
            };
            assert_eq!(literal, expected);
            assert_eq!(escaped_len(id.as_bytes()) + 2, literal.len());
        }
    }

    #[test]
    fn long_ids_are_quoted_short_at_a_character_boundary() {
        assert_eq!(quoted("a\"b"), r#""a\"b""#);
        let long = "é".repeat(100);
        let text = quoted(&long);
        assert!(text.starts_with(&format!("\"{}\"", "é".repeat(32))));
        assert!(text.ends_with("... (200 bytes)"), "{text}");
    }
}
