//! The JSON wire format: the canonical writer and the strict reader.

use gcounter::{Error, GCounter};

fn parse_error(json: &[u8]) -> String {
    match GCounter::from_json(json) {
        Err(Error::InvalidJson(error)) => error.to_string(),
        other => panic!(
            "{:?} should be rejected, got {other:?}",
            String::from_utf8_lossy(json)
        ),
    }
}

#[test]
fn output_is_canonical_like_python_json_dumps() {
    let mut c = GCounter::new();
    for (agent_id, by) in [
        ("b", 2),
        ("a", 1),
        ("é", 3),
        ("Z", 4),
        ("\u{1F600}", 5),
        ("q\"uo\\te", 6),
        ("\u{0}\u{1}\u{8}\u{9}\u{a}\u{c}\u{d}\u{1f}\u{7f}", 7),
        ("", u64::MAX),
    ] {
        c.increment(agent_id, by).unwrap();
    }
    // What json.dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=False) gives.
    let expected = concat!(
        r#"{"":18446744073709551615,"#,
        r#""\u0000\u0001\b\t\n\f\r\u001f"#,
        "\u{7f}",
        r#"":7,"Z":4,"a":1,"b":2,"q\"uo\\te":6,"é":3,"😀":5}"#
    );
    assert_eq!(c.to_json(), expected);
    assert_eq!(GCounter::new().to_json(), "{}");
}

#[test]
fn order_is_by_utf8_bytes_not_utf16_units() {
    // In UTF-8 U+FF5E (EF ..) sorts before U+1F600 (F0 ..); in UTF-16 it would sort after (D83D ..).
    let c = GCounter::from_json("{\"\u{1F600}\":1,\"\u{FF5E}\":1}".as_bytes()).unwrap();
    assert_eq!(c.to_json(), "{\"\u{FF5E}\":1,\"\u{1F600}\":1}");
}

#[test]
fn reader_accepts_any_valid_spelling() {
    let c = GCounter::from_json(
        b" \t\r\n{ \"a\" : 1 ,\n\"\\u0062\":2, \"\\ud83d\\ude00\":3, \"z\\/\":0, \"c\":18446744073709551615 } \n",
    )
    .unwrap();
    assert_eq!(
        c.to_json(),
        "{\"a\":1,\"b\":2,\"c\":18446744073709551615,\"\u{1F600}\":3}"
    );
    assert_eq!(c.agent_count(), 4, "a count of 0 means absent");
    // The seed's own output: json.dumps(c.to_dict()).
    let seed = GCounter::from_json(br#"{"agent-1": 1, "agent-2": 2}"#).unwrap();
    assert_eq!(seed.value(), 3);
    assert_eq!(GCounter::from_json(b"{}").unwrap().agent_count(), 0);
}

#[test]
fn reader_rejects_every_class_with_its_reason() {
    let cases: &[(&[u8], &str)] = &[
        (b"", "empty input"),
        (b"  \n ", "only whitespace, no JSON value"),
        (b"\xff{}", "not valid UTF-8"),
        (b"{\"a\xc3\":1}", "not valid UTF-8"),
        (b"[]", "must be an object, found an array"),
        (b"\"a\"", "must be an object, found a string"),
        (b"1", "must be an object, found a number"),
        (b"null", "must be an object, found null"),
        (b"{\"a\":-1}", "negative"),
        (b"{\"a\":-0}", "is -0; counts are written without a sign"),
        (b"{\"a\":1.5}", "without a fraction or exponent"),
        (b"{\"a\":1.0}", "without a fraction or exponent"),
        (b"{\"a\":1e3}", "without a fraction or exponent"),
        (b"{\"a\":1E3}", "without a fraction or exponent"),
        (
            b"{\"a\":\"1\"}",
            "must be a non-negative integer, found a string",
        ),
        (b"{\"a\":null}", "found null"),
        (b"{\"a\":true}", "found true"),
        (b"{\"a\":false}", "found false"),
        (b"{\"a\":[1]}", "found an array"),
        (b"{\"a\":{}}", "found an object"),
        (b"{\"a\":18446744073709551616}", "exceeds UINT64_MAX"),
        (b"{\"a\":99999999999999999999999}", "exceeds UINT64_MAX"),
        (b"{\"a\":01}", "leading zero"),
        (b"{\"a\":1,\"a\":2}", "duplicate agent id \"a\""),
        (b"{\"a\":1,\"\\u0061\":2}", "duplicate agent id \"a\""),
        (b"{\"a\":0,\"a\":0}", "duplicate agent id"),
        (b"{\"\\ud800\":1}", "lone surrogate"),
        (b"{\"\\udc00\":1}", "lone surrogate"),
        (b"{\"\\ud800\\u0041\":1}", "lone surrogate"),
        (b"{\"a\":1}x", "after the object"),
        (b"{\"a\":1}{}", "after the object"),
        (b"{\"a\":1", "expected ',' or '}'"),
        (b"{\"a\":1,}", "expected an agent id"),
        (b"{a:1}", "expected an agent id"),
        (b"{\"a\" 1}", "expected ':'"),
        (b"{\"a\":}", "found the character '}'"),
        (b"{\"a", "unterminated string"),
        (b"{\"a\\x\":1}", "invalid escape"),
        (b"{\"a\\u12\":1}", "four hex digits"),
        (b"{\"a\tb\":1}", "unescaped control character"),
        (b"{\"a\":1 2}", "expected ',' or '}'"),
        (b"{\"a\":+1}", "found the character '+'"),
        (
            b"{\"k\":-}",
            "is a malformed number: a '-' must be followed by a digit",
        ),
        (b"{\"k\":-Infinity}", "is a malformed number"),
        (
            b"{\"k\":1.}",
            "is a malformed number: a '.' must be followed by a digit",
        ),
        (b"{\"k\":0.e1}", "is a malformed number"),
        (
            b"{\"k\":1eE2}",
            "is a malformed number: an exponent must have a digit",
        ),
        (b"{\"k\":1e+}", "is a malformed number"),
        (b"{\"k\":-1.5}", "negative"),
        (b"{\"k\":-0.0}", "is -0"),
        (b"{\"k\":-0.5}", "negative"),
        (b"{\"k\":-01}", "leading zero"),
        (b"{\"k\":0.5}", "without a fraction or exponent"),
        (b"\xef\xbb\xbf{}", "found a byte order mark (U+FEFF)"),
        (b"{\"a\":1}\xef\xbb\xbf", "found a byte order mark (U+FEFF)"),
        (b"{\"a\":1}\x0b", "found the character U+000B"),
        (b"{\"a\":\x00}", "found the character U+0000"),
        (b"{\"a\":1}\xc2\xa0", "found the character U+00A0"),
        (b"{\"a\":'1'}", "found the character U+0027"),
    ];
    for (json, reason) in cases {
        let message = parse_error(json);
        assert!(
            message.contains(reason),
            "{:?}: {message:?} should say {reason:?}",
            String::from_utf8_lossy(json)
        );
        assert!(message.starts_with("invalid JSON at byte "), "{message}");
    }
}

#[test]
fn messages_name_the_byte() {
    assert_eq!(
        parse_error(b"{\"a\":1,\"a\":2}"),
        "invalid JSON at byte 7: duplicate agent id \"a\""
    );
    assert_eq!(parse_error(b"{\"a\":1}x"), "invalid JSON at byte 7: expected the end of the input after the object, found the character 'x'");
}

#[test]
fn empty_and_whitespace_only_inputs_are_told_apart() {
    assert_eq!(
        parse_error(b""),
        "invalid JSON at byte 0: empty input: expected an object"
    );
    assert_eq!(
        parse_error(b" \t\r\n"),
        "invalid JSON at byte 4: the input holds only whitespace, no JSON value: expected an object"
    );
}

#[test]
fn malformed_numbers_are_called_malformed_at_their_first_byte() {
    for (json, at) in [
        (r#"{"k":-}"#, 5),
        (r#"{"k":-Infinity}"#, 5),
        (r#"{"k":1.}"#, 5),
        (r#"{"k":0.e1}"#, 5),
        (r#"{"k": 1eE2}"#, 6),
    ] {
        let message = parse_error(json.as_bytes());
        let expected =
            format!("invalid JSON at byte {at}: the count of agent \"k\" is a malformed number");
        assert!(message.starts_with(&expected), "{json}: {message}");
    }
}

#[test]
fn characters_are_named_by_code_point_never_by_rust_escapes() {
    let mut characters: Vec<char> = (0..0x80u8).map(char::from).collect();
    characters.extend(['\u{a0}', '\u{feff}', '\u{200b}', '\u{2028}', '\u{1F600}']);
    for c in characters {
        for json in [
            format!("{c}"),
            format!("{{\"a\":1}}{c}"),
            format!("{{\"a\":{c}}}"),
            format!("{{{c}}}"),
            format!("{{\"a\"{c}1}}"),
        ] {
            let Err(Error::InvalidJson(error)) = GCounter::from_json(json.as_bytes()) else {
                continue;
            };
            let message = error.to_string();
            for rust_escape in ["\\u{", "'\\", "\\0"] {
                assert!(!message.contains(rust_escape), "{json:?}: {message}");
            }
            let json_whitespace = matches!(c, ' ' | '\t' | '\n' | '\r');
            let quoted = c.is_ascii_graphic() && !matches!(c, '\'' | '\\');
            if message.contains("character") && !quoted && !json_whitespace {
                let code = format!("U+{:04X}", u32::from(c));
                assert!(message.contains(&code), "{json:?}: {message}");
            }
        }
    }
    assert_eq!(
        parse_error("\u{feff}{}".as_bytes()),
        "invalid JSON at byte 0: the top-level value must be an object, found a byte order mark (U+FEFF)"
    );
}

#[test]
fn an_unterminated_string_is_reported_where_it_starts() {
    for (json, at) in [
        (r#"{"abc"#, 1),
        (r#"{"a":1, "bcd"#, 8),
        (r#"{"a\"#, 1),
        (r#"{"a\u0041"#, 1),
        (r#"{"a":1,"b\""#, 7),
    ] {
        let message = parse_error(json.as_bytes());
        let expected = format!("invalid JSON at byte {at}: unterminated string");
        assert!(message.starts_with(&expected), "{json}: {message}");
    }
}

#[test]
fn the_first_problem_in_document_order_wins() {
    assert_eq!(
        parse_error(br#"{"a":0, "a":-0}"#),
        r#"invalid JSON at byte 8: duplicate agent id "a""#
    );
    assert_eq!(
        parse_error(br#"{"a":1, "a" 2}"#),
        r#"invalid JSON at byte 8: duplicate agent id "a""#
    );
    assert!(parse_error(br#"{"a":-0, "a":0}"#).starts_with("invalid JSON at byte 5: "));
}

#[test]
fn deep_nesting_and_huge_ids_are_handled() {
    let deep = format!("{{\"a\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(parse_error(deep.as_bytes()).contains("found an array"));
    let deep_top = "[".repeat(1_000_000);
    assert!(parse_error(deep_top.as_bytes()).contains("must be an object"));
    let long_id = "x".repeat(1 << 20);
    let c = GCounter::from_json(format!("{{\"{long_id}\":7}}").as_bytes()).unwrap();
    assert_eq!(c.value_for(&long_id), 7);
    let message = parse_error(format!("{{\"{long_id}\":-1}}").as_bytes());
    assert!(
        message.len() < 300,
        "long ids are cut short in messages: {} bytes",
        message.len()
    );
}

#[test]
fn join_json_applies_all_or_nothing() {
    let mut c = GCounter::from_json(br#"{"a":1}"#).unwrap();
    c.increment("a", 1).unwrap();
    let before = c.to_json();
    let bad = br#"{"b":1,"c":2,"d":3,"e":4,"f":-5}"#;
    assert!(c.join_json(bad).is_err());
    assert_eq!(c.to_json(), before);
    assert_eq!(c.pending_delta_len(), 1);
    c.join_json(br#"{"a":1,"b":9}"#).unwrap();
    assert_eq!(c.to_json(), r#"{"a":2,"b":9}"#);
}

#[test]
fn serde_goes_through_the_same_rules() {
    let c = GCounter::from_json(br#"{"b":2,"a":1,"z":0}"#).unwrap();
    assert_eq!(serde_json::to_string(&c).unwrap(), c.to_json());
    let back: GCounter = serde_json::from_str(r#"{"b":2,"a":1,"z":0}"#).unwrap();
    assert_eq!(back, c);
    assert_eq!(back.agent_count(), 2);
    let dup = serde_json::from_str::<GCounter>(r#"{"a":1,"a":2}"#).unwrap_err();
    assert!(dup.to_string().contains("duplicate agent id"), "{dup}");
    assert!(serde_json::from_str::<GCounter>(r#"{"a":-1}"#).is_err());
    assert!(serde_json::from_str::<GCounter>(r#"{"a":1.5}"#).is_err());
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Envelope {
        node: String,
        commits: GCounter,
    }
    let text = serde_json::to_string(&Envelope {
        node: "n1".into(),
        commits: c,
    })
    .unwrap();
    assert_eq!(text, r#"{"node":"n1","commits":{"a":1,"b":2}}"#);
    let envelope: Envelope = serde_json::from_str(&text).unwrap();
    assert_eq!(envelope.commits.value(), 3);
}

/// The messages README.md shows are the ones the reader gives.
#[test]
fn readme_error_examples_are_true() {
    let readme = include_str!("../README.md");
    for (json, message) in [
        (&br#"{"a":1,"a":2}"#[..], r#"invalid JSON at byte 7: duplicate agent id "a""#),
        (
            br#"{"agent-c": 1.5}"#,
            r#"invalid JSON at byte 12: the count of agent "agent-c" must be an integer, without a fraction or exponent"#,
        ),
        (
            br#"{"k":-}"#,
            r#"invalid JSON at byte 5: the count of agent "k" is a malformed number: a '-' must be followed by a digit"#,
        ),
        (
            b"\xef\xbb\xbf{}",
            "invalid JSON at byte 0: the top-level value must be an object, found a byte order mark (U+FEFF)",
        ),
        (
            b"\t\n  ",
            "invalid JSON at byte 4: the input holds only whitespace, no JSON value: expected an object",
        ),
    ] {
        assert_eq!(parse_error(json), message);
        assert!(readme.contains(&format!("\n{message}\n")), "README.md lacks: {message}");
    }
}
