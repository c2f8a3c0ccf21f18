//! Hostile input through the C ABI: deep nesting, megabyte agent ids and counts, every byte
//! value inside a string, every character, floods of whitespace and duplicates. Each is either
//! refused with a short message and nothing changed, or accepted exactly. (Sizes and speed of
//! 100 MB documents and a million agents are measured by `make bench-hostile`, not here.)

mod ffi_model;

use std::ffi::{c_char, CStr};
use std::ptr;

use ffi_model::{canonical, json_of, reference_parse, Counts};
use gcounter::ffi::*;

/// A live counter, freed on drop.
struct Counter(*mut gcounter_t);

impl Counter {
    fn new() -> Self {
        Counter(gcounter_new())
    }

    fn from_json(json: &[u8]) -> Result<Self, (gcounter_status, String)> {
        let mut out = ptr::null_mut();
        // SAFETY: the bytes live during the call; a writable out-parameter.
        let status = unsafe { gcounter_from_json(json.as_ptr().cast(), json.len(), &mut out) };
        if status == GCOUNTER_OK {
            Ok(Counter(out))
        } else {
            assert!(out.is_null(), "a failed from_json wrote its out-parameter");
            Err((status, message()))
        }
    }

    fn join_json(&self, json: &[u8]) -> Result<(), (gcounter_status, String)> {
        // SAFETY: a live handle; the bytes live during the call.
        let status = unsafe { gcounter_join_json(self.0, json.as_ptr().cast(), json.len()) };
        if status == GCOUNTER_OK {
            Ok(())
        } else {
            Err((status, message()))
        }
    }

    fn increment(&self, agent_id: &[u8], by: u64) -> gcounter_status {
        // SAFETY: a live handle; the id's bytes live during the call.
        unsafe { gcounter_increment_len(self.0, agent_id.as_ptr().cast(), agent_id.len(), by) }
    }

    fn value_for(&self, agent_id: &[u8]) -> u64 {
        let mut out = 0;
        // SAFETY: as above, and a writable out-parameter.
        let status = unsafe {
            gcounter_value_for_len(self.0, agent_id.as_ptr().cast(), agent_id.len(), &mut out)
        };
        assert_eq!(status, GCOUNTER_OK, "{}", message());
        out
    }

    fn json(&self) -> String {
        json_of(self.0).unwrap()
    }
}

impl Drop for Counter {
    fn drop(&mut self) {
        // SAFETY: a live handle owned by this value, freed once.
        unsafe { gcounter_free(self.0) };
    }
}

fn message() -> String {
    // SAFETY: the library's NUL-terminated, thread-local message.
    unsafe { CStr::from_ptr(gcounter_last_error_message() as *const c_char) }
        .to_string_lossy()
        .into_owned()
}

/// `json` is refused as invalid JSON with a message of at most `max_len` bytes, by
/// `from_json` and by `join_json`, which leaves its counter as it was.
fn refused(json: &[u8], max_len: usize) -> String {
    let (status, text) = Counter::from_json(json)
        .err()
        .expect("the input was accepted");
    assert_eq!(status, GCOUNTER_ERR_INVALID_JSON, "{text}");
    assert!(
        text.len() <= max_len,
        "a {}-byte message: {text:.200}",
        text.len()
    );
    let counter = Counter::from_json(br#"{"kept":3}"#).unwrap();
    let (status, again) = counter.join_json(json).unwrap_err();
    assert_eq!((status, &again), (GCOUNTER_ERR_INVALID_JSON, &text));
    assert_eq!(counter.json(), r#"{"kept":3}"#);
    text
}

#[test]
fn deep_nesting_is_refused_without_recursion() {
    const DEPTH: usize = 1_000_000;
    let arrays = [b"[".repeat(DEPTH), b"]".repeat(DEPTH)].concat();
    assert!(refused(&arrays, 200).contains("must be an object"));

    let mut in_count = br#"{"a":"#.to_vec();
    in_count.extend(b"[".repeat(DEPTH));
    assert!(refused(&in_count, 200).contains("byte 5"));

    let objects = br#"{"a":"#.repeat(DEPTH);
    refused(&objects, 200);

    let mut unclosed = b"{".repeat(DEPTH);
    unclosed.extend(b"}".repeat(DEPTH));
    refused(&unclosed, 200);
}

#[test]
fn megabyte_agent_ids_are_kept_exactly_and_messages_stay_short() {
    const MB: usize = 1 << 20;
    let long_id = "é".repeat(MB / 2) + "x";
    let counter = Counter::new();
    assert_eq!(counter.increment(long_id.as_bytes(), 41), GCOUNTER_OK);
    assert_eq!(counter.increment(long_id.as_bytes(), 1), GCOUNTER_OK);
    assert_eq!(counter.value_for(long_id.as_bytes()), 42);
    // The same id but one byte shorter is another agent.
    assert_eq!(
        counter.value_for(&long_id.as_bytes()[..long_id.len() - 1]),
        0
    );

    let json = counter.json();
    assert_eq!(json.len(), long_id.len() + 7);
    let copy = Counter::from_json(json.as_bytes()).unwrap();
    assert_eq!(copy.json(), json);

    // Errors about a megabyte id quote a short piece of it.
    assert_eq!(
        counter.increment(long_id.as_bytes(), u64::MAX),
        GCOUNTER_ERR_OVERFLOW
    );
    assert!(message().len() < 300, "{}", message().len());
    let duplicate = format!(r#"{{"{long_id}":1,"{long_id}":2}}"#);
    assert!(refused(duplicate.as_bytes(), 300).contains("duplicate agent id"));
    let bad_count = format!(r#"{{"{long_id}":-1}}"#);
    refused(bad_count.as_bytes(), 300);
    let mut bad_utf8 = long_id.clone().into_bytes();
    bad_utf8.push(0xff);
    assert_eq!(counter.increment(&bad_utf8, 1), GCOUNTER_ERR_INVALID_UTF8);
    assert!(message().len() < 300);
    assert_eq!(counter.json(), json);
}

#[test]
fn megabyte_counts_and_whitespace() {
    const MB: usize = 1 << 20;
    let digits = format!(r#"{{"a":{}}}"#, "9".repeat(MB));
    assert!(refused(digits.as_bytes(), 200).contains("exceeds UINT64_MAX"));
    let zeros = format!(r#"{{"a":{}1}}"#, "0".repeat(MB));
    assert!(refused(zeros.as_bytes(), 200).contains("leading zero"));

    let spaced = [
        b" \n\r\t".repeat(MB),
        br#"{"a":1}"#.to_vec(),
        b"\n".repeat(MB),
    ]
    .concat();
    assert_eq!(Counter::from_json(&spaced).unwrap().json(), r#"{"a":1}"#);
    let mut spaced_then_junk = spaced;
    spaced_then_junk.push(b'x');
    let text = refused(&spaced_then_junk, 200);
    let at = format!("at byte {}:", spaced_then_junk.len() - 1);
    assert!(text.contains(&at), "{text}");
}

#[test]
fn a_flood_of_duplicates_stops_at_the_first() {
    let mut json = b"{".to_vec();
    for _ in 0..200_000 {
        json.extend(br#""same":1,"#);
    }
    json.extend(br#""other":1}"#);
    assert_eq!(
        refused(&json, 200),
        r#"invalid JSON at byte 10: duplicate agent id "same""#
    );
}

/// Every byte value, raw inside an agent id: accepted exactly when RFC 8259 and UTF-8 allow it,
/// and then written back canonically.
#[test]
fn every_byte_value_inside_a_string() {
    for byte in 0..=255u8 {
        let json = [br#"{"x"#.as_slice(), &[byte], br#"y":1}"#].concat();
        let allowed = (0x20..0x80).contains(&byte) && byte != b'"' && byte != b'\\';
        match Counter::from_json(&json) {
            Ok(counter) => {
                assert!(allowed, "byte {byte:#04x} accepted");
                let id = format!("x{}y", byte as char);
                assert_eq!(counter.value_for(id.as_bytes()), 1);
                let expected: Counts = [(id, 1)].into_iter().collect();
                assert_eq!(counter.json(), canonical(&expected));
            }
            Err((status, text)) => {
                assert!(!allowed, "byte {byte:#04x} refused: {text}");
                assert_eq!(status, GCOUNTER_ERR_INVALID_JSON);
                assert!(reference_parse(&json).is_err());
            }
        }
    }
}

/// Every byte value as a one-byte agent id, and every `\u00XX` escape: what is UTF-8 is kept,
/// escaped as Python's `json.dumps` does, and read back the same.
#[test]
fn every_byte_value_as_an_agent_id() {
    let counter = Counter::new();
    let mut expected = Counts::new();
    for byte in 0..=255u8 {
        let status = counter.increment(&[byte], u64::from(byte) + 1);
        if byte < 0x80 {
            assert_eq!(status, GCOUNTER_OK, "{}", message());
            expected.insert((byte as char).to_string(), u64::from(byte) + 1);
        } else {
            assert_eq!(status, GCOUNTER_ERR_INVALID_UTF8);
        }
        let escaped = format!(r#"{{"\u{:04x}":{}}}"#, byte, u64::from(byte) + 1000);
        let parsed = Counter::from_json(escaped.as_bytes()).unwrap();
        assert_eq!(
            parsed.value_for(char::from(byte).to_string().as_bytes()),
            u64::from(byte) + 1000
        );
    }
    let json = counter.json();
    assert_eq!(json, canonical(&expected));
    assert_eq!(Counter::from_json(json.as_bytes()).unwrap().json(), json);
}

/// Every Unicode scalar value, raw and escaped, in agent ids: the ids survive the round trip
/// byte for byte and sort in UTF-8 byte order.
#[test]
fn every_character_round_trips() {
    let chars: Vec<char> = (0..=0x10_ffffu32).filter_map(char::from_u32).collect();
    let mut expected = Counts::new();
    for (i, chunk) in chars.chunks(4096).enumerate() {
        expected.insert(chunk.iter().collect(), i as u64 + 1);
    }
    let raw = canonical(&expected);
    let counter = Counter::from_json(raw.as_bytes()).unwrap();
    assert_eq!(counter.json(), raw);

    // The same ids, every character escaped (surrogate pairs beyond the BMP).
    let members: Vec<(String, u64)> = expected.iter().map(|(k, &v)| (k.clone(), v)).collect();
    let escaped = ffi_model::Doc::Valid {
        members,
        style: ffi_model::Style {
            spacing: 1,
            escape_all: true,
            reverse: true,
        },
    };
    let counter = Counter::from_json(&escaped.bytes()).unwrap();
    assert_eq!(counter.json(), raw);
}
