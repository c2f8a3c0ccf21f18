//! The JSON wire format `{agent_id: count}`: one canonical writer and one strict reader, over
//! the slot table.
//!
//! The writer's output equals Python's
//! `json.dumps(counts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` of the
//! non-zero slots, so equivalent counters always serialize to the same bytes. The reader takes
//! any RFC 8259 text whose value is one object of integer counts from 0 to `u64::MAX`, and
//! rejects everything else with the byte offset and the reason.

use std::borrow::Cow;

use crate::error::JsonError;
use crate::escape::{
    escape_marks, escaped_len, first_special, key_needs_escape, needs_escape, quoted, write_quoted,
    HIGHS,
};
use crate::slots::{SlotTable, INLINE};

/// From this many slots, the writer sizes its output exactly, with a pass over the slots.
const EXACT_SIZE_FROM: usize = 1 << 14;

/// Appends the canonical JSON of `slots` to `out`, members in the table's order (the ids'
/// UTF-8 bytes). Appends only UTF-8: the ids, cut only before ASCII bytes, and ASCII.
///
/// `out` ends with room for one more byte, so that a NUL appended by the C boundary fits
/// without a reallocation.
pub(crate) fn write(slots: &SlotTable, out: &mut Vec<u8>) {
    if slots.len() < EXACT_SIZE_FROM {
        // Room for the ids and 20 digits a member: a pass to count exactly would cost more
        // than the spare bytes.
        out.reserve(2 + slots.len() * (16 + 4 + 20) + slots.arena_len());
    } else {
        // The exact size. A large output is a block of its own from the system, and an exact
        // size lets the allocator hand the same block back next time rather than map (and
        // zero) fresh pages.
        out.reserve(json_len(slots) + 1);
    }
    out.push(b'{');
    for (i, position) in slots.in_order().enumerate() {
        let count = slots.count_at(position);
        // The fast path writes past the member's end, so it needs that much spare room; near
        // the end of the exact-size output the careful path writes the last few members.
        let room = out.capacity() - out.len();
        match slots.inline_key_at(position) {
            Some((key, len)) if room >= SHORT_MEMBER_ROOM && !key_needs_escape(key, len) => {
                write_plain_member(i > 0, key, len, count, out);
            }
            _ => {
                if i > 0 {
                    out.push(b',');
                }
                write_key(slots.id_at(position), out);
                write_u64(count, out);
            }
        }
    }
    out.push(b'}');
}

/// The length of the canonical JSON of `slots`, found in one pass over the entries in their
/// order in memory.
fn json_len(slots: &SlotTable) -> usize {
    let members: usize = (0..slots.len())
        .map(|position| {
            let id_len = match slots.inline_key_at(position) {
                Some((key, len)) if !key_needs_escape(key, len) => len,
                _ => escaped_len(slots.id_at(position).as_bytes()),
            };
            // Quotes, a colon and a comma around the id and its count.
            id_len + 4 + decimal_len(slots.count_at(position))
        })
        .sum();
    // Braces, less the comma after the last member.
    members + 2 - usize::from(slots.len() > 0)
}

/// The most a short member takes while it is written: a comma, a quote, the 16 bytes of an
/// inline key copied whole, a quote and a colon, and 20 digits.
const SHORT_MEMBER_ROOM: usize = 1 + 1 + 16 + 2 + 20;

/// `,"agent_id":count` (without the comma for the first member) for an id of `len` bytes
/// that needs no escape, held in `key` (an entry's inline key).
///
/// The member is written in place with fixed-size copies: the whole 16-byte key, whose bytes
/// past the id are then overwritten or left past the end, and the digits where they belong.
#[inline(always)]
fn write_plain_member(comma: bool, key: &[u8; 16], len: usize, count: u64, out: &mut Vec<u8>) {
    debug_assert!(len < key.len());
    out.reserve(SHORT_MEMBER_ROOM);
    let digits = decimal_len(count);
    let start = out.len();
    // SAFETY: `reserve` made room for `SHORT_MEMBER_ROOM` bytes after `start`. The writes
    // stay inside it: at most 2 bytes, then 16 from offset 2 at most, then 2 and `digits`
    // (at most 20) from offset 19 at most. `set_len` then covers only bytes written, all
    // ASCII or the id's UTF-8.
    unsafe {
        let member = out.as_mut_ptr().add(start);
        let mut at = usize::from(comma);
        *member = b',';
        *member.add(at) = b'"';
        std::ptr::copy_nonoverlapping(key.as_ptr(), member.add(at + 1), key.len());
        at += 1 + len;
        *member.add(at) = b'"';
        *member.add(at + 1) = b':';
        at += 2;
        write_digits(count, member.add(at), digits);
        out.set_len(start + at + digits);
    }
}

/// Pairs of decimal digits, 00 to 99.
const DIGIT_PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
    2021222324252627282930313233343536373839\
    4041424344454647484950515253545556575859\
    6061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899";

/// The number of decimal digits of `value`: a guess from its bit length (log10 2 is about
/// 1233 / 4096), corrected by one comparison.
#[inline(always)]
fn decimal_len(value: u64) -> usize {
    const POWERS: [u64; 20] = {
        let mut powers = [1u64; 20];
        let mut i = 1;
        while i < 20 {
            powers[i] = powers[i - 1] * 10;
            i += 1;
        }
        powers
    };
    let value = value | 1;
    let bits = 64 - value.leading_zeros() as usize;
    let guess = (bits * 1233) >> 12;
    guess + usize::from(value >= POWERS[guess])
}

/// Writes the `digits == decimal_len(value)` digits of `value` at `out`, two at a time.
///
/// # Safety
/// `out` is valid for writes of `digits` bytes.
#[inline(always)]
unsafe fn write_digits(mut value: u64, out: *mut u8, digits: usize) {
    let mut end = digits;
    // SAFETY (all writes): each lands in `out[..digits]`, as `end` only counts down to 0.
    while value >= 100 {
        let pair = (value % 100) as usize * 2;
        value /= 100;
        end -= 2;
        unsafe { std::ptr::copy_nonoverlapping(DIGIT_PAIRS.as_ptr().add(pair), out.add(end), 2) };
    }
    if value >= 10 {
        end -= 2;
        let pair = value as usize * 2;
        unsafe { std::ptr::copy_nonoverlapping(DIGIT_PAIRS.as_ptr().add(pair), out.add(end), 2) };
    } else {
        end -= 1;
        unsafe { *out.add(end) = b'0' + value as u8 };
    }
    debug_assert_eq!(end, 0);
}

/// `"agent_id":`, escaped.
#[inline]
fn write_key(agent_id: &str, out: &mut Vec<u8>) {
    if needs_escape(agent_id.as_bytes()) {
        write_quoted(agent_id, out);
    } else {
        out.reserve(agent_id.len() + 3);
        out.push(b'"');
        out.extend_from_slice(agent_id.as_bytes());
        out.push(b'"');
    }
    out.push(b':');
}

/// `value` in decimal.
fn write_u64(value: u64, out: &mut Vec<u8>) {
    let digits = decimal_len(value);
    out.reserve(digits);
    let start = out.len();
    // SAFETY: `reserve` made room for `digits` bytes after `start`, which `write_digits`
    // fills exactly, with ASCII digits.
    unsafe {
        write_digits(value, out.as_mut_ptr().add(start), digits);
        out.set_len(start + digits);
    }
}

/// Reads the wire format strictly: every member, zero counts included (so that duplicates are
/// caught), into an indexed table with no two entries of one id.
pub(crate) fn read(json: &[u8]) -> Result<SlotTable, JsonError> {
    let text = match std::str::from_utf8(json) {
        Ok(text) => text,
        Err(error) => {
            return Err(JsonError {
                offset: error.valid_up_to(),
                reason: "input is not valid UTF-8".into(),
            })
        }
    };
    // Members go into the table unindexed, and are indexed all at once at the end, which is
    // faster than one lookup per member. A document that fails either way goes through the
    // member-by-member parse, which reports its first problem in document order, duplicate
    // ids included.
    if let Ok(mut slots) = Reader::new(text, true).document() {
        if slots.finish_bulk().is_ok() {
            return Ok(slots);
        }
    }
    let reported = Reader::new(text, false).document();
    debug_assert!(reported.is_err(), "both parses accept the same documents");
    reported
}

struct Reader<'a> {
    json: &'a [u8],
    text: &'a str,
    at: usize,
    /// Whether members are appended unindexed, for [`SlotTable::finish_bulk`] to check.
    bulk: bool,
    /// How many members to read the careful way before the plain path is tried again, and
    /// how many it will be after its next miss: a document in another form (pretty-printed,
    /// say) then costs a try now and then, not two at every member.
    plain_wait: u32,
    plain_backoff: u32,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str, bulk: bool) -> Self {
        Reader {
            json: text.as_bytes(),
            text,
            at: 0,
            bulk,
            plain_wait: 0,
            plain_backoff: 1,
        }
    }

    fn fail<T>(&self, reason: impl Into<String>) -> Result<T, JsonError> {
        self.fail_at(self.at, reason)
    }

    fn fail_at<T>(&self, offset: usize, reason: impl Into<String>) -> Result<T, JsonError> {
        Err(JsonError {
            offset,
            reason: reason.into(),
        })
    }

    fn peek(&self) -> Option<u8> {
        self.json.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), JsonError> {
        match self.peek() {
            Some(found) if found == byte => {
                self.at += 1;
                Ok(())
            }
            Some(_) => self.fail(format!("expected {what}, found {}", self.describe_here())),
            None => self.fail(format!("expected {what}, found the end of the input")),
        }
    }

    /// Names the JSON value or character that starts at the cursor, for messages.
    fn describe_here(&self) -> String {
        match self.peek() {
            None => "the end of the input".into(),
            Some(b'{') => "an object".into(),
            Some(b'[') => "an array".into(),
            Some(b'"') => "a string".into(),
            Some(b'-' | b'0'..=b'9') => "a number".into(),
            Some(b't') if self.json[self.at..].starts_with(b"true") => "true".into(),
            Some(b'f') if self.json[self.at..].starts_with(b"false") => "false".into(),
            Some(b'n') if self.json[self.at..].starts_with(b"null") => "null".into(),
            Some(_) => {
                // The input is valid UTF-8, so the cursor starts a whole character.
                let rest = std::str::from_utf8(&self.json[self.at..]).unwrap_or("");
                describe_char(rest.chars().next().unwrap_or('\u{fffd}'))
            }
        }
    }

    fn document(&mut self) -> Result<SlotTable, JsonError> {
        self.skip_whitespace();
        match self.peek() {
            None if self.json.is_empty() => return self.fail("empty input: expected an object"),
            None => {
                return self
                    .fail("the input holds only whitespace, no JSON value: expected an object")
            }
            Some(b'{') => {}
            Some(_) => {
                return self.fail(format!(
                    "the top-level value must be an object, found {}",
                    self.describe_here()
                ))
            }
        }
        self.at += 1;
        let mut slots = SlotTable::default();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
        } else {
            let first_at = self.at;
            loop {
                // Past the first member, which sizes the table.
                if !(self.bulk
                    && slots.len() > 0
                    && self.plain_due()
                    && self.plain_members(&mut slots))
                {
                    self.member(&mut slots)?;
                }
                if slots.len() == 1 {
                    self.reserve_like_first(&mut slots, self.at - first_at);
                }
                self.skip_whitespace();
                match self.peek() {
                    Some(b',') => self.at += 1,
                    Some(b'}') => {
                        self.at += 1;
                        break;
                    }
                    _ => {
                        return self.fail(format!(
                            "expected ',' or '}}' after a member, found {}",
                            self.describe_here()
                        ))
                    }
                }
            }
        }
        self.skip_whitespace();
        if self.at < self.json.len() {
            return self.fail(format!(
                "expected the end of the input after the object, found {}",
                self.describe_here()
            ));
        }
        Ok(slots)
    }

    /// Room for as many more members as the rest of the input holds if they are the size of
    /// the first, `first_len` bytes (up to a bound, past which the table grows as it goes): a
    /// table grown by doubling copies itself each time, into fresh pages.
    fn reserve_like_first(&self, slots: &mut SlotTable, first_len: usize) {
        const MOST: usize = 1 << 21;
        let rest = self.json.len() - self.at;
        let more = rest / (first_len + 1) + rest / (first_len + 1) / 8;
        slots.reserve_entries(more.min(MOST));
    }

    /// Whether [`plain_members`](Self::plain_members) is to be tried at this member, not
    /// waiting after a miss; counts down the wait.
    #[inline(always)]
    fn plain_due(&mut self) -> bool {
        if self.plain_wait == 0 {
            return true;
        }
        self.plain_wait -= 1;
        false
    }

    /// Reads members in the writer's own form (see [`Quotes::plain_member`]) for as long as
    /// they come, each followed by `,`, and appends them unindexed: with the writer's bare
    /// separators, or else with Python's default ones (`": "` and `", "`). Returns whether it
    /// read any; the cursor is then on the `,` after the last one, else where it was (or past
    /// whitespace). After a miss it leaves the next few members to the careful parse (see
    /// [`plain_due`](Self::plain_due)). Kept out of `document`'s loop, whose careful parse
    /// it would otherwise slow.
    ///
    /// Members are found from the places of the quotes, which are worked out 64 bytes at a
    /// time ahead of the members: each member's reads then depend on those places only, not on
    /// the member before it, and the processor can work on several at once.
    #[inline(never)]
    fn plain_members(&mut self, slots: &mut SlotTable) -> bool {
        self.skip_whitespace();
        let read = self.plain_run::<false>(slots) || self.plain_run::<true>(slots);
        if read {
            self.plain_backoff = 1;
        } else {
            // Not this member: wait 1, 2, 4, ... up to 1024 members before the next try.
            self.plain_wait = self.plain_backoff;
            self.plain_backoff = (2 * self.plain_backoff).min(1024);
        }
        read
    }

    /// [`plain_members`](Self::plain_members) with one kind of separators: each form has a
    /// loop of its own, which checks its spaces rather than looking for them. Kept out of
    /// `document`, whose other paths would otherwise crowd this loop's registers (about 7%
    /// slower in `make bench-rust`).
    #[inline(never)]
    fn plain_run<const SPACED: bool>(&mut self, slots: &mut SlotTable) -> bool {
        let json = self.json;
        // The first member's quote is at the cursor; each later one's right after the `,`
        // (and space) before it, as `plain_member` checks.
        if json.get(self.at) != Some(&b'"') {
            return false;
        }
        let Some(mut quotes) = Quotes::at(json, self.at) else {
            return false;
        };
        let mut last_end = None;
        while let Some((end, key, count)) = quotes.plain_member::<SPACED>(json) {
            match key {
                PlainKey::Inline(words) => slots.push_inline_unindexed(words, count),
                // The id is ASCII between two quotes: its ends are character boundaries.
                PlainKey::Long(id) => slots.push_unindexed(&self.text[id], count),
            }
            last_end = Some(end);
        }
        match last_end {
            Some(end) => {
                self.at = end;
                true
            }
            None => false,
        }
    }

    fn member(&mut self, slots: &mut SlotTable) -> Result<(), JsonError> {
        self.skip_whitespace();
        let key_at = self.at;
        if self.peek() != Some(b'"') {
            return self.fail(format!(
                "expected an agent id (a string), found {}",
                self.describe_here()
            ));
        }
        let agent_id = self.string()?;
        // A repeated id is reported where it stands, before anything after it.
        let position = if self.bulk {
            None
        } else {
            let (position, inserted) = slots.find_or_insert(&agent_id);
            if !inserted {
                return self.fail_at(key_at, format!("duplicate agent id {}", quoted(&agent_id)));
            }
            Some(position)
        };
        self.skip_whitespace();
        self.expect(b':', "':' after an agent id")?;
        self.skip_whitespace();
        let count = self.count(&agent_id)?;
        match position {
            Some(position) => slots.set_count_at(position, count),
            None => slots.push_unindexed(&agent_id, count),
        }
        Ok(())
    }

    /// A count: an integer from 0 to `u64::MAX` with no sign, fraction or exponent.
    fn count(&mut self, agent_id: &str) -> Result<u64, JsonError> {
        let start = self.at;
        let (digits, value) = leading_digits(&self.json[start..]);
        let digits_end = start + digits;
        if digits == 0 || matches!(self.json.get(digits_end), Some(b'.' | b'e' | b'E')) {
            return Err(self.not_a_count(agent_id));
        }
        self.at = digits_end;
        let whose = || format!("the count of agent {}", quoted(agent_id));
        if digits > 1 && self.json[start] == b'0' {
            return self.fail_at(start, format!("{} has a leading zero", whose()));
        }
        match value {
            Some(value) => Ok(value),
            None => self.fail_at(start, format!("{} exceeds UINT64_MAX", whose())),
        }
    }

    /// Why the value at the cursor, which is not a plain run of digits, is not a count.
    #[cold]
    fn not_a_count(&self, agent_id: &str) -> JsonError {
        let whose = format!("the count of agent {}", quoted(agent_id));
        let reason = if !matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
            format!(
                "{whose} must be a non-negative integer, found {}",
                self.describe_here()
            )
        } else {
            match scan_number(&self.json[self.at..]) {
                Err(Malformed::LeadingZero) => format!("{whose} has a leading zero"),
                Err(malformed) => format!("{whose} is a malformed number: {}", malformed.reason()),
                Ok(number) if number.negative && number.zero => {
                    format!("{whose} is -0; counts are written without a sign")
                }
                Ok(number) if number.negative => {
                    format!("{whose} is negative; counts are 0 or more")
                }
                Ok(_) => format!("{whose} must be an integer, without a fraction or exponent"),
            }
        };
        JsonError {
            offset: self.at,
            reason,
        }
    }

    /// A string literal, unescaped: borrowed from the input unless it holds an escape. The
    /// cursor is on the opening quote.
    fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        let start = self.at;
        self.at += 1;
        let mut unescaped: Option<String> = None;
        loop {
            let run_start = self.at;
            let run_end = first_special(&self.json[run_start..]).map(|n| run_start + n);
            let Some(run_end) = run_end else {
                return self.fail_at(start, "unterminated string: no closing '\"'");
            };
            // The run ends at an ASCII byte, so at a character boundary.
            let run = &self.text[run_start..run_end];
            self.at = run_end;
            match self.json[run_end] {
                b'"' => {
                    self.at += 1;
                    return Ok(match unescaped {
                        None => Cow::Borrowed(run),
                        Some(mut out) => {
                            out.push_str(run);
                            Cow::Owned(out)
                        }
                    });
                }
                b'\\' => {
                    let out = unescaped.get_or_insert_with(String::new);
                    out.push_str(run);
                    self.escape(start, out)?;
                }
                byte => {
                    return self.fail(format!(
                        "unescaped control character U+{byte:04X} in a string"
                    ))
                }
            }
        }
    }

    /// One escape sequence of the string that starts at `string_at`; the cursor is on the
    /// backslash.
    fn escape(&mut self, string_at: usize, out: &mut String) -> Result<(), JsonError> {
        let at = self.at;
        let Some(&kind) = self.json.get(at + 1) else {
            return self.fail_at(string_at, "unterminated string: no closing '\"'");
        };
        self.at += 2;
        let c = match kind {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4(at)?;
                match unit {
                    0xd800..=0xdbff => {
                        if self.json[self.at..].starts_with(b"\\u") {
                            let low_at = self.at;
                            self.at += 2;
                            let low = self.hex4(low_at)?;
                            if !(0xdc00..=0xdfff).contains(&low) {
                                return self
                                    .fail_at(at, format!("lone surrogate escape \\u{unit:04x}"));
                            }
                            let code = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
                            char::from_u32(code).expect("a surrogate pair is a scalar value")
                        } else {
                            return self
                                .fail_at(at, format!("lone surrogate escape \\u{unit:04x}"));
                        }
                    }
                    0xdc00..=0xdfff => {
                        return self.fail_at(at, format!("lone surrogate escape \\u{unit:04x}"))
                    }
                    _ => char::from_u32(unit).expect("a non-surrogate BMP code is a scalar value"),
                }
            }
            _ => {
                return self.fail_at(at, "invalid escape sequence in a string");
            }
        };
        out.push(c);
        Ok(())
    }

    /// The four hex digits after `\u`; `escape_at` is the backslash, for messages.
    fn hex4(&mut self, escape_at: usize) -> Result<u32, JsonError> {
        let digits = self.json.get(self.at..self.at + 4);
        let value = digits.and_then(|d| {
            d.iter().try_fold(0u32, |acc, &b| {
                let digit = (b as char).to_digit(16)?;
                Some(acc * 16 + digit)
            })
        });
        match value {
            Some(value) => {
                self.at += 4;
                Ok(value)
            }
            None => self.fail_at(escape_at, "\\u must be followed by four hex digits"),
        }
    }
}

/// The quotes of the input from some point on, found a 64-byte block at a time.
struct Quotes {
    /// Where the current block starts.
    base: usize,
    /// The quotes of the current block not yet passed, bit `i` for the byte at `base + i`.
    bits: u64,
}

impl Quotes {
    /// The quotes from `at` on; `None` at the end of the input.
    #[inline(always)]
    fn at(json: &[u8], at: usize) -> Option<Quotes> {
        Some(Quotes {
            base: at,
            bits: block_quote_bits(json, at)?,
        })
    }

    /// The place of the next quote, passed; `None` past the last.
    #[inline(always)]
    fn next(&mut self, json: &[u8]) -> Option<usize> {
        let at = self.peek(json)?;
        self.bits &= self.bits - 1;
        Some(at)
    }

    /// The place of the next quote, not passed; `None` past the last.
    #[inline(always)]
    fn peek(&mut self, json: &[u8]) -> Option<usize> {
        while self.bits == 0 {
            self.base += 64;
            self.bits = block_quote_bits(json, self.base)?;
        }
        Some(self.base + self.bits.trailing_zeros() as usize)
    }

    /// The member whose opening quote is the next quote not yet passed, if it has the
    /// writer's own form: an id of plain ASCII with no escape, right after its quote a `:` and
    /// a count of 1 to 16 digits with no leading zero, then `,` and the next member's quote;
    /// with `SPACED`, a space after the `:` and after the `,`, as Python's `json.dumps` writes
    /// by default. Returns the place of that `,`, the id and the count. Anything else,
    /// well-formed or not, is `None`, for the careful parse.
    #[inline(always)]
    fn plain_member<const SPACED: bool>(&mut self, json: &[u8]) -> Option<(usize, PlainKey, u64)> {
        let open = self.next(json)?;
        let close = self.next(json)?;
        // `":"` and `","` as the writer puts them, or each with a space after.
        let space = usize::from(SPACED);
        let digits_at = close + 2 + space;
        let next_open = self.peek(json)?;
        let comma = (next_open - 1).checked_sub(space)?;
        if SPACED && (json.get(close + 2) != Some(&b' ') || json[next_open - 1] != b' ') {
            return None;
        }
        let len = close - open - 1;
        let count_len = comma.checked_sub(digits_at)?;
        if !(1..=16).contains(&count_len) || json[close + 1] != b':' || json[comma] != b',' {
            return None;
        }
        let word = |at: usize| -> Option<u64> {
            Some(u64::from_le_bytes(
                json.get(at..at + 8)?.try_into().unwrap(),
            ))
        };
        let key = if len <= INLINE {
            let (low, high) = (word(open + 1)?, word(open + 9)?);
            // The lowest mark is the closing quote.
            let first_mark = match (not_plain(low), not_plain(high)) {
                (0, high_marks) => 8 + high_marks.trailing_zeros() as usize / 8,
                (low_marks, _) => low_marks.trailing_zeros() as usize / 8,
            };
            if first_mark != len {
                return None;
            }
            let words = if len <= 8 {
                [low & low_bytes(len), 0]
            } else {
                [low, high & low_bytes(len - 8)]
            };
            PlainKey::Inline([words[0], words[1] | (len as u64) << 56])
        } else {
            PlainKey::Long(plain_long_id(json, open + 1..close)?)
        };
        // The count, 8 digits a word: all digits, with no leading zero. (Its masks are one
        // shift each, not `low_bytes`: a count has at least one digit, and this is the hot
        // loop.)
        let first = word(digits_at)? ^ ZEROS;
        if count_len > 1 && first & 0xff == 0 {
            return None;
        }
        let count = if count_len <= 8 {
            if not_digits(first) & (u64::MAX >> (64 - 8 * count_len)) != 0 {
                return None;
            }
            eight_digits(first << (8 * (8 - count_len)))
        } else {
            let rest = word(digits_at + 8)? ^ ZEROS;
            let rest_len = count_len - 8;
            if not_digits(first) != 0 || not_digits(rest) & (u64::MAX >> (64 - 8 * rest_len)) != 0 {
                return None;
            }
            // At most 16 digits: under 10^16, far from overflowing.
            eight_digits(first) * 10u64.pow(rest_len as u32)
                + eight_digits(rest << (8 * (8 - rest_len)))
        };
        Some((comma, key, count))
    }
}

/// `id`, the place of an id of more than 15 bytes, if its bytes are plain: ASCII, with no
/// escape or control character. Out of the loop over members, which mostly reads short ids.
#[inline(never)]
fn plain_long_id(json: &[u8], id: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
    let bytes = json.get(id.clone())?;
    debug_assert!(bytes.len() > 8);
    let plain = |word: &[u8]| not_plain(u64::from_le_bytes(word.try_into().unwrap())) == 0;
    // Every word of the id, the last one overlapping the one before.
    let whole = bytes.chunks_exact(8).all(plain);
    (whole && plain(&bytes[bytes.len() - 8..])).then_some(id)
}

/// A plain member's id: one of up to 15 bytes as the words of its entry's key (the id's bytes
/// from the lowest, zero-padded, its length in the top byte), a longer one as where it lies in
/// the input.
enum PlainKey {
    Inline([u64; 2]),
    Long(std::ops::Range<usize>),
}

/// `'0'` in each byte: XORed with eight digits, their values.
const ZEROS: u64 = 0x3030_3030_3030_3030;

/// The bytes of `word` that are an escape, a control character or outside ASCII (a quote
/// too), each marked by its top bit. The lowest mark is exact, those above it may be false:
/// so a word of an id's own bytes has none exactly when every byte is plain.
#[inline(always)]
fn not_plain(word: u64) -> u64 {
    escape_marks(word) | word & HIGHS
}

/// A mask of the lowest `bytes` bytes of a word, 0 to 8.
#[inline(always)]
fn low_bytes(bytes: usize) -> u64 {
    debug_assert!(bytes <= 8);
    // Two shifts of at most 32, since one of 64 (for no bytes) would overflow.
    let half = 32 - 4 * bytes as u32;
    u64::MAX >> half >> half
}

/// The bytes of `digits` (ASCII XOR [`ZEROS`]) that were not digits, each marked by its top
/// bit, exactly: each byte's sum stays under 0x100, so no carry crosses into the next.
#[inline(always)]
fn not_digits(digits: u64) -> u64 {
    ((digits & 0x7f7f_7f7f_7f7f_7f7f).wrapping_add(0x7676_7676_7676_7676) | digits) & HIGHS
}

/// The quotes of the 64 bytes from `at`, bit `i` for the byte at `at + i`; `None` at the end
/// of the input. A block cut short by the end is read from a copy padded with zeros.
#[inline(always)]
fn block_quote_bits(json: &[u8], at: usize) -> Option<u64> {
    match json.get(at..at + 64) {
        Some(block) => Some(quote_bits(block.try_into().unwrap())),
        None => json
            .get(at..)
            .filter(|rest| !rest.is_empty())
            .map(last_block_quote_bits),
    }
}

#[cold]
fn last_block_quote_bits(rest: &[u8]) -> u64 {
    let mut block = [0u8; 64];
    block[..rest.len()].copy_from_slice(rest);
    quote_bits(&block)
}

/// The `"` bytes of `block`, bit `i` for `block[i]`.
#[inline(always)]
fn quote_bits(block: &[u8; 64]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
        };
        // SAFETY: SSE2 is part of x86-64, which is all these need, and each load reads 16 of
        // the block's 64 bytes (`at` is at most 48), unaligned as `loadu` allows.
        unsafe {
            let quote = _mm_set1_epi8(b'"' as i8);
            let bits = |at: usize| {
                let bytes = _mm_loadu_si128(block.as_ptr().add(at).cast::<__m128i>());
                u64::from(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, quote)) as u16)
            };
            bits(0) | bits(16) << 16 | bits(32) << 32 | bits(48) << 48
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    quote_bits_by_words(block)
}

/// [`quote_bits`] a word at a time, for any processor.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn quote_bits_by_words(block: &[u8; 64]) -> u64 {
    const LOWS: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    block
        .chunks_exact(8)
        .enumerate()
        .fold(0, |bits, (i, chunk)| {
            let word = u64::from_le_bytes(chunk.try_into().unwrap()) ^ 0x2222_2222_2222_2222;
            // The top bit of each byte that is zero, exactly (no carry between bytes).
            let zero = !(((word & LOWS) + LOWS) | word) & !LOWS;
            // The eight top bits gathered into one byte, the first byte's lowest.
            let byte = ((zero >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56;
            bits | byte << (8 * i)
        })
}

/// The number that eight digit values (0 to 9, one a byte, the first in the lowest byte) write
/// in decimal, in three multiplications that each join neighbouring groups.
#[inline(always)]
fn eight_digits(digits: u64) -> u64 {
    let pairs = (digits.wrapping_mul(1 + (10 << 8)) >> 8) & 0x00ff_00ff_00ff_00ff;
    let quads = (pairs.wrapping_mul(1 + (100 << 16)) >> 16) & 0x0000_ffff_0000_ffff;
    quads.wrapping_mul(1 + (10_000 << 32)) >> 32
}

/// The number of ASCII digits at the start of `bytes`, and their value if it fits a `u64`.
#[inline]
fn leading_digits(bytes: &[u8]) -> (usize, Option<u64>) {
    // Nineteen digits always fit: only a longer run needs checked arithmetic.
    const UNCHECKED: usize = 19;
    let mut value = 0u64;
    let mut digits = 0;
    while let Some(digit) = bytes.get(digits).map(|&b| b.wrapping_sub(b'0')) {
        if digit > 9 || digits == UNCHECKED {
            break;
        }
        value = value * 10 + u64::from(digit);
        digits += 1;
    }
    let mut checked = Some(value);
    while let Some(digit) = bytes.get(digits).map(|&b| b.wrapping_sub(b'0')) {
        if digit > 9 {
            break;
        }
        checked = checked
            .and_then(|v| v.checked_mul(10))
            .and_then(|v| v.checked_add(u64::from(digit)));
        digits += 1;
    }
    (digits, checked)
}

/// A character as a C user can read it in a message: printable ASCII in quotes, anything
/// else by its code point (never a Rust escape such as `'\u{feff}'`), a byte order mark by
/// name.
fn describe_char(c: char) -> String {
    match c {
        '\u{feff}' => "a byte order mark (U+FEFF)".into(),
        // A quote or a backslash in quotes would read like an escape.
        '!'..='~' if !matches!(c, '\'' | '\\') => format!("the character '{c}'"),
        _ => format!("the character U+{:04X}", u32::from(c)),
    }
}

/// What a well-formed JSON number says, for messages about counts.
struct NumberShape {
    negative: bool,
    /// Every digit before the exponent is 0.
    zero: bool,
}

/// How a number breaks the grammar of RFC 8259.
enum Malformed {
    LeadingZero,
    NoDigitAfterMinus,
    NoDigitAfterPoint,
    NoDigitInExponent,
}

impl Malformed {
    fn reason(&self) -> &'static str {
        match self {
            Malformed::LeadingZero => "a leading zero",
            Malformed::NoDigitAfterMinus => "a '-' must be followed by a digit",
            Malformed::NoDigitAfterPoint => "a '.' must be followed by a digit",
            Malformed::NoDigitInExponent => "an exponent must have a digit",
        }
    }
}

/// Checks the number at the start of `bytes` (which starts with `-` or a digit) against the
/// grammar `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; what follows it is not
/// its concern.
fn scan_number(bytes: &[u8]) -> Result<NumberShape, Malformed> {
    let digits_at = |at: usize| -> &[u8] {
        let rest = bytes.get(at..).unwrap_or(&[]);
        &rest[..rest.iter().take_while(|b| b.is_ascii_digit()).count()]
    };
    let all_zero = |digits: &[u8]| digits.iter().all(|&b| b == b'0');
    let negative = bytes.first() == Some(&b'-');
    let mut at = usize::from(negative);
    let integer = digits_at(at);
    match integer {
        [] => return Err(Malformed::NoDigitAfterMinus),
        [b'0', _, ..] => return Err(Malformed::LeadingZero),
        _ => {}
    }
    let mut zero = all_zero(integer);
    at += integer.len();
    if bytes.get(at) == Some(&b'.') {
        let fraction = digits_at(at + 1);
        if fraction.is_empty() {
            return Err(Malformed::NoDigitAfterPoint);
        }
        zero &= all_zero(fraction);
        at += 1 + fraction.len();
    }
    if let Some(b'e' | b'E') = bytes.get(at) {
        at += 1;
        if let Some(b'+' | b'-') = bytes.get(at) {
            at += 1;
        }
        if digits_at(at).is_empty() {
            return Err(Malformed::NoDigitInExponent);
        }
    }
    Ok(NumberShape { negative, zero })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_problem_in_document_order_is_reported() {
        let error = |json: &str| read(json.as_bytes()).err().unwrap();
        let duplicate_first = error(r#"{"a":1,"a":2,"b":x}"#);
        assert_eq!(duplicate_first.offset, 7);
        assert!(duplicate_first.reason.starts_with("duplicate agent id"));
        let syntax_first = error(r#"{"a":x,"a":2}"#);
        assert_eq!(syntax_first.offset, 5);
        assert!(!syntax_first.reason.contains("duplicate"));
        let escaped_duplicate = error(r#"{"ab":1,"a\u0062":2}"#);
        assert_eq!(escaped_duplicate.offset, 8);
    }

    /// The slots of `read`, or its error, for comparisons.
    fn outcome(
        result: Result<SlotTable, JsonError>,
    ) -> Result<Vec<(String, u64)>, (usize, String)> {
        match result {
            Ok(slots) => {
                let mut members: Vec<_> = (0..slots.len())
                    .map(|position| (slots.id_at(position).to_owned(), slots.count_at(position)))
                    .collect();
                members.sort();
                Ok(members)
            }
            Err(error) => Err((error.offset, error.reason)),
        }
    }

    #[test]
    fn the_plain_member_path_reads_what_the_careful_parse_reads() {
        // Ids around the 15 bytes an entry holds and the 16 the path reads at once, and long
        // ones, each plain or escaped or not ASCII; counts around the 8 digits a word holds and the 16 the path
        // reads, with a leading zero, past u64::MAX, or not integers.
        let ids = [
            "",
            "a",
            "node-1",
            "1234567",
            "12345678",
            "123456789",
            "node-0000000001",
            "node-00000000012",
            "node-000000000123",
            "0b6e7d1c-4f5a-4c39-9d2e-7a1f3b8c5e60",
            "0b6e7d1c-4f5a-4c39-9d2e-7a1f3b8c5e6",
            "0b6e7d1c-4f5a-4c39-9d2e-7a1f3b8c5e6é",
            "0b6e7d1c-4f5a-4c39-9d2e-7a1f3b8c5e6\\n",
            "0b6e7d1c-4f5a-\\u00e9-9d2e-7a1f3b8c5e60",
            "é",
            "aé",
            "ab\\u0063",
            "a\\\"b",
            "tab\\t",
            "x\u{7f}",
            "a b",
            "\u{1}",
        ];
        let counts = [
            "0",
            "1",
            "9",
            "10",
            "00",
            "01",
            "0.5",
            "1234567",
            "9999999",
            "12345678",
            "99999999",
            "123456789",
            "1234567890123456",
            "9999999999999999",
            "0000000000000001",
            "10000000000000000",
            "1234567890.5",
            "1234.5678901",
            "18446744073709551615",
            "18446744073709551616",
            "1.5",
            "1e3",
            "1E3",
            "-1",
            "-0",
            "true",
            "\"1\"",
            "1234567.",
            "7x",
        ];
        // Members around it, so that it falls at every offset of a 64-byte block.
        let before =
            |k: usize, comma: &str| format!("\"{}\":1{comma}\"b\":22{comma}", "p".repeat(k + 1));
        let after = |comma: &str| {
            [22, 333, 4444, 55555, 666666]
                .iter()
                .enumerate()
                .map(|(i, count)| format!("{comma}\"q{i}\": {count}"))
                .collect::<String>()
        };
        let mut checked = 0;
        for id in ids {
            for count in counts {
                for colon in [":", " :", ": ", ":  ", ":\n"] {
                    for space in ["", " "] {
                        let member = format!("\"{id}\"{colon}{count}{space}");
                        // Near the end of the input, where the path reads less far ahead,
                        // and further in.
                        let mut docs = vec![format!("{{{member}}}")];
                        for comma in [",", ", ", " ,"] {
                            docs.push(format!("{{{member}{}}}", after(comma)));
                            docs.push(format!("{{{}{member}}}", before(0, comma)));
                        }
                        let near_the_end = docs.len();
                        for comma in [",", ", ", " ,"] {
                            docs.extend((0..64).map(|k| {
                                format!("{{{}{member}{}}}", before(k, comma), after(comma))
                            }));
                        }
                        for (i, doc) in docs.iter().enumerate() {
                            let pads: &[usize] = if i < near_the_end { &[0, 1, 40] } else { &[0] };
                            for pad in pads {
                                let text = format!("{doc}{}", " ".repeat(*pad));
                                let careful = Reader::new(&text, false).document();
                                assert_eq!(
                                    outcome(read(text.as_bytes())),
                                    outcome(careful),
                                    "{text:?}"
                                );
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(checked, ids.len() * counts.len() * 5 * 2 * (7 * 3 + 3 * 64));
    }

    #[test]
    fn members_in_the_writers_form_take_the_plain_path() {
        // Ids of 3 to 43 bytes, counts of 1 to 16 digits.
        let members: Vec<(String, u64)> = (0..200)
            .map(|i| {
                let digits = 1 + (i as u32 * 7) % 16;
                (
                    format!("{i:03}{}", "n".repeat(i % 41)),
                    (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) % 10u64.pow(digits),
                )
            })
            .collect();
        // Ours, and Python's `json.dumps` with its default separators.
        for (colon, comma) in [(":", ","), (": ", ", ")] {
            let text = format!(
                "{{{}}}",
                members
                    .iter()
                    .map(|(id, count)| format!("\"{id}\"{colon}{count}"))
                    .collect::<Vec<_>>()
                    .join(comma)
            );
            let mut reader = Reader::new(&text, true);
            reader.at = 1;
            let mut slots = SlotTable::default();
            assert!(reader.plain_members(&mut slots));
            // All but the last, which ends the object: the cursor is on the `,` before it.
            assert_eq!(slots.len(), members.len() - 1, "{comma:?}");
            assert!(text[reader.at..].starts_with(comma));
            for (position, (id, count)) in members.iter().take(slots.len()).enumerate() {
                assert_eq!(
                    (slots.id_at(position), slots.count_at(position)),
                    (id.as_str(), *count)
                );
            }
        }
    }

    #[test]
    fn after_each_miss_the_plain_path_waits_twice_as_long_up_to_1024_members() {
        // A pretty-printed member, which the plain path leaves, then a run it reads.
        let plain: Vec<String> = (0..40).map(|i| format!("\"p{i}\":{i}")).collect();
        let text = format!("{{\n  \"a\": 1,\n  \"b\": 2,{}}}", plain.join(","));
        let mut reader = Reader::new(&text, true);
        let mut slots = SlotTable::default();
        let pretty = text.find("\"b\"").unwrap() - 3;
        let mut waits = Vec::new();
        for _ in 0..13 {
            reader.at = pretty;
            assert!(reader.plain_due());
            assert!(!reader.plain_members(&mut slots));
            let mut waited = 0;
            while !reader.plain_due() {
                waited += 1;
            }
            waits.push(waited);
        }
        assert_eq!(
            waits,
            [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 1024, 1024]
        );
        assert_eq!(slots.len(), 0);
        // A run read resets the wait.
        reader.at = text.find("\"p0\"").unwrap();
        assert!(reader.plain_members(&mut slots));
        assert_eq!(slots.len(), plain.len() - 1);
        reader.at = pretty;
        assert!(!reader.plain_members(&mut slots));
        assert!(!reader.plain_due());
        assert!(reader.plain_due());
    }

    #[test]
    fn quotes_are_found_in_every_byte_of_a_block() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for round in 0..20_000 {
            let mut block = [0u8; 64];
            for byte in block.iter_mut() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Quotes often, and the bytes next to a quote's value, which a borrow could mark.
                *byte = match (x >> 32) % 6 {
                    0 | 1 => b'"',
                    2 => b'#',
                    3 => b'!',
                    4 => (x >> 40) as u8,
                    _ => 0xa2,
                };
            }
            if round == 0 {
                block = [b'"'; 64];
            }
            let exact = block
                .iter()
                .enumerate()
                .fold(0u64, |bits, (i, &byte)| bits | u64::from(byte == b'"') << i);
            assert_eq!(quote_bits(&block), exact, "{block:?}");
            assert_eq!(quote_bits_by_words(&block), exact, "{block:?}");
        }
    }

    #[test]
    fn eight_digit_values_make_their_number() {
        let mut cases: Vec<u64> = (0..8)
            .flat_map(|p| [10u64.pow(p), 10u64.pow(p + 1) - 1])
            .collect();
        cases.extend([0, 12, 1234567, 7654321, 10203040, 99999999]);
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..10_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            cases.push(x % 100_000_000);
        }
        for value in cases {
            // Eight digits with leading zeros, the first in the lowest byte.
            let text = format!("{value:08}");
            let digits =
                u64::from_le_bytes(text.as_bytes().try_into().unwrap()) ^ 0x3030_3030_3030_3030;
            assert_eq!(eight_digits(digits), value, "{text}");
        }
    }

    #[test]
    fn numbers_are_written_exactly() {
        let mut cases = vec![0, 1, 9, 10, 99, 100, 101, 999, 1000, u64::MAX, u64::MAX - 1];
        cases.extend((0..20).map(|p| 10u64.pow(p)));
        cases.extend((1..20).map(|p| 10u64.pow(p) - 1));
        cases.extend((1..20).map(|p| 10u64.pow(p) + 1));
        cases.extend((0..64).flat_map(|bit| [(1u64 << bit) - 1, 1u64 << bit]));
        for value in cases {
            assert_eq!(decimal_len(value), value.to_string().len(), "{value}");
            let mut out = Vec::new();
            write_u64(value, &mut out);
            assert_eq!(out, value.to_string().into_bytes());
        }
    }

    #[test]
    fn keys_match_the_exact_escaper() {
        for id in [
            "",
            "plain",
            "a\"b",
            "back\\slash",
            "tab\there",
            "\u{1}",
            "é\n",
            "\u{7f}",
        ] {
            let mut fast = Vec::new();
            write_key(id, &mut fast);
            let mut exact = Vec::new();
            write_quoted(id, &mut exact);
            exact.push(b':');
            assert_eq!(fast, exact);
        }
    }
}
