//! A model of the C ABI, shared by the model-based test (`tests/model.rs`), the fuzz targets
//! (`fuzz/`) and their replay on the stable toolchain (`tests/fuzz_replay.rs`).
//!
//! A [`Session`] holds live handles made by the exported `extern "C"` functions, each beside
//! what it must hold: its slots as a `BTreeMap<String, u64>` and the agents of its delta
//! record. Every [`Op`] goes to both, and the library's answer is checked against the model's:
//! the status (any of the errors that apply, when several do), every out-parameter, the
//! thread's error message, and after a failure that nothing changed: the counter's JSON, its
//! delta record (taken at once when the op asks), and the sentinels in the out-parameters.

#![allow(dead_code)]

pub mod documents;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::{c_char, CStr, CString};
use std::ptr;

use gcounter::ffi::*;

pub use documents::{canonical, distinct, reference_parse, Defect, Doc, Style};

pub type Counts = BTreeMap<String, u64>;

/// How an agent id reaches the library.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdForm {
    /// NUL-terminated (`gcounter_increment`): the id ends at its first NUL byte.
    Plain,
    /// Pointer and length (`gcounter_increment_len`).
    Len,
    /// A NULL pointer to the plain function.
    Null,
    /// A NULL pointer with a length of 0 to the `_len` function: the empty id.
    EmptyNull,
    /// A NULL pointer with a length above 0 to the `_len` function.
    LenNull,
}

/// An agent id argument: any bytes (not always UTF-8) and the way they are passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentArg {
    pub bytes: Vec<u8>,
    pub form: IdForm,
}

/// One call of the C ABI. Handles are named by an index into the session's live handles
/// (modulo their number); `None` passes NULL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    New,
    Free(usize),
    FreeNull,
    Clone(Option<usize>),
    Increment {
        target: Option<usize>,
        agent: AgentArg,
        by: u64,
        check_delta: bool,
    },
    Join {
        into: Option<usize>,
        other: Option<usize>,
    },
    JoinJson {
        into: Option<usize>,
        doc: Doc,
        null_json: bool,
        check_delta: bool,
    },
    FromJson {
        doc: Doc,
        null_json: bool,
        null_out: bool,
    },
    TakeDelta {
        target: Option<usize>,
        null_out: bool,
    },
    ToJson {
        target: Option<usize>,
        null_out: bool,
        null_len: bool,
    },
    Value {
        target: Option<usize>,
        null_out: bool,
    },
    ValueFor {
        target: Option<usize>,
        agent: AgentArg,
        null_out: bool,
    },
    AgentCount(Option<usize>),
    Equivalent(Option<usize>, Option<usize>),
    Compare {
        a: Option<usize>,
        b: Option<usize>,
        null_out: bool,
    },
    ValueExact {
        target: Option<usize>,
        null_high: bool,
        null_low: bool,
    },
    DeltaFor {
        counter: Option<usize>,
        peer: Option<usize>,
        null_out: bool,
    },
    /// `gcounter_slot_at` at `index` modulo the handle's slot count + 2 (so that some calls
    /// are out of range), or at `usize::MAX` as it is.
    SlotAt {
        target: Option<usize>,
        index: usize,
        null_id: bool,
        null_len: bool,
        null_count: bool,
    },
}

impl Op {
    /// The C function the op calls (the `_len` variant when the id goes with its length).
    pub fn function(&self) -> &'static str {
        let len_form = |agent: &AgentArg| !matches!(agent.form, IdForm::Plain | IdForm::Null);
        match self {
            Op::New => "gcounter_new",
            Op::Free(_) | Op::FreeNull => "gcounter_free",
            Op::Clone(_) => "gcounter_clone",
            Op::Increment { agent, .. } if len_form(agent) => "gcounter_increment_len",
            Op::Increment { .. } => "gcounter_increment",
            Op::Join { .. } => "gcounter_join",
            Op::JoinJson { .. } => "gcounter_join_json",
            Op::FromJson { .. } => "gcounter_from_json",
            Op::TakeDelta { .. } => "gcounter_take_delta",
            Op::ToJson { .. } => "gcounter_to_json",
            Op::Value { .. } => "gcounter_value",
            Op::ValueFor { agent, .. } if len_form(agent) => "gcounter_value_for_len",
            Op::ValueFor { .. } => "gcounter_value_for",
            Op::AgentCount(_) => "gcounter_agent_count",
            Op::Equivalent(..) => "gcounter_equivalent",
            Op::Compare { .. } => "gcounter_compare",
            Op::ValueExact { .. } => "gcounter_value_exact",
            Op::DeltaFor { .. } => "gcounter_delta_for",
            Op::SlotAt { .. } => "gcounter_slot_at",
        }
    }
}

/// One live handle and what it must hold.
struct Replica {
    handle: *mut gcounter_t,
    counts: Counts,
    /// Agents whose slots rose since the last `take_delta`.
    delta: BTreeSet<String>,
}

/// Live handles and their models. Dropping it frees every handle.
pub struct Session {
    replicas: Vec<Replica>,
    /// Calls made, for reports.
    pub calls: u64,
    /// Every (function, status) seen, to show what a run reached.
    pub outcomes: BTreeSet<(String, gcounter_status)>,
    /// The status of the current op's main call.
    status: gcounter_status,
}

const SENTINEL_VALUE: u64 = 0x5eed_5eed_5eed_5eed;

fn sentinel<T>() -> *mut T {
    // A recognisable address that is never dereferenced: the library must not write over it.
    0x5eed_usize as *mut T
}

fn last_message() -> String {
    // SAFETY: the library returns a NUL-terminated string valid until this thread's next call.
    unsafe { CStr::from_ptr(gcounter_last_error_message()) }
        .to_string_lossy()
        .into_owned()
}

/// The order of two count maps, slot by slot.
pub fn order(a: &Counts, b: &Counts) -> gcounter_order {
    let (mut less, mut greater) = (false, false);
    for agent_id in a.keys().chain(b.keys()) {
        let (x, y) = (
            a.get(agent_id).copied().unwrap_or(0),
            b.get(agent_id).copied().unwrap_or(0),
        );
        less |= x < y;
        greater |= x > y;
    }
    match (less, greater) {
        (false, false) => gcounter_order::GCOUNTER_ORDER_EQUAL,
        (true, false) => gcounter_order::GCOUNTER_ORDER_LESS,
        (false, true) => gcounter_order::GCOUNTER_ORDER_GREATER,
        (true, true) => gcounter_order::GCOUNTER_ORDER_CONCURRENT,
    }
}

/// An agent id made ready for one call: the pointer, the length, and what the model expects.
struct Prepared {
    /// Keeps the bytes (and for `Plain`, the NUL) alive during the call.
    _storage: Vec<u8>,
    pointer: *const c_char,
    len: usize,
    /// The id the library must see, or the error it must report.
    meaning: Result<String, gcounter_status>,
}

fn prepare(agent: &AgentArg) -> Prepared {
    let (bytes, pointer_is_null) = match agent.form {
        IdForm::Plain => {
            let end = agent
                .bytes
                .iter()
                .position(|&b| b == 0)
                .unwrap_or(agent.bytes.len());
            (agent.bytes[..end].to_vec(), false)
        }
        IdForm::Len => (agent.bytes.clone(), false),
        IdForm::Null | IdForm::LenNull => (agent.bytes.clone(), true),
        IdForm::EmptyNull => (Vec::new(), true),
    };
    let meaning = match agent.form {
        IdForm::Null => Err(GCOUNTER_ERR_NULL_POINTER),
        IdForm::LenNull if !bytes.is_empty() => Err(GCOUNTER_ERR_NULL_POINTER),
        _ => String::from_utf8(bytes.clone()).map_err(|_| GCOUNTER_ERR_INVALID_UTF8),
    };
    let mut storage = bytes;
    let len = storage.len();
    if agent.form == IdForm::Plain {
        storage.push(0);
    }
    let pointer = if pointer_is_null {
        ptr::null()
    } else {
        storage.as_ptr().cast()
    };
    Prepared {
        _storage: storage,
        pointer,
        len,
        meaning,
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

impl Session {
    pub fn new() -> Self {
        Session {
            replicas: Vec::new(),
            calls: 0,
            outcomes: BTreeSet::new(),
            status: GCOUNTER_OK,
        }
    }

    /// The number of live handles.
    pub fn live(&self) -> usize {
        self.replicas.len()
    }

    /// Runs `ops`, checking each, then checks every handle's JSON and delta record; returns
    /// the session's tally.
    pub fn run(ops: &[Op]) -> Session {
        let mut session = Session::new();
        for (step, op) in ops.iter().enumerate() {
            session.apply(op).unwrap_or_else(|failure| {
                panic!("step {step}: {op:?}\n  {failure}\n  sequence: {ops:#?}")
            });
        }
        session
            .finish()
            .unwrap_or_else(|failure| panic!("at the end: {failure}\n  sequence: {ops:#?}"));
        session
    }

    /// Checks every live handle against its model, its delta record included, and frees it.
    pub fn finish(&mut self) -> Result<(), String> {
        while !self.replicas.is_empty() {
            self.check_json(0)?;
            self.check_take_delta(0)?;
            self.free(0)?;
        }
        Ok(())
    }

    fn index(&mut self, index: usize) -> usize {
        if self.replicas.is_empty() {
            self.push(gcounter_new(), Counts::new());
        }
        index % self.replicas.len()
    }

    fn handle(&mut self, index: Option<usize>) -> (Option<usize>, *mut gcounter_t) {
        match index {
            None => (None, ptr::null_mut()),
            Some(index) => {
                let i = self.index(index);
                (Some(i), self.replicas[i].handle)
            }
        }
    }

    fn push(&mut self, handle: *mut gcounter_t, counts: Counts) {
        assert!(!handle.is_null(), "the library returned a NULL handle");
        self.replicas.push(Replica {
            handle,
            counts,
            delta: BTreeSet::new(),
        });
    }

    fn free(&mut self, i: usize) -> Result<(), String> {
        let replica = self.replicas.swap_remove(i);
        // SAFETY: a live handle from the library, freed once and dropped from the session.
        unsafe { gcounter_free(replica.handle) };
        self.calls += 1;
        expect_message_after(GCOUNTER_OK, "gcounter_free", 0)
    }

    /// The handle's JSON equals the canonical JSON of its model.
    fn check_json(&mut self, i: usize) -> Result<(), String> {
        let expected = canonical(&self.replicas[i].counts);
        let actual = json_of(self.replicas[i].handle)?;
        self.calls += 1;
        if actual != expected {
            return Err(format!("handle {i} holds {actual}, the model {expected}"));
        }
        Ok(())
    }

    /// Takes the handle's delta, which must equal the model's record, and empties both.
    fn check_take_delta(&mut self, i: usize) -> Result<(), String> {
        let replica = &mut self.replicas[i];
        let expected: Counts = replica
            .delta
            .iter()
            .map(|agent_id| (agent_id.clone(), replica.counts[agent_id]))
            .collect();
        replica.delta.clear();
        let mut delta = ptr::null_mut();
        // SAFETY: a live handle and a writable out-parameter.
        let status = unsafe { gcounter_take_delta(replica.handle, &mut delta) };
        self.calls += 2;
        if status != GCOUNTER_OK {
            return Err(format!("take_delta failed with {status:?}"));
        }
        let actual = json_of(delta);
        // SAFETY: the delta is ours, freed once.
        unsafe { gcounter_free(delta) };
        let actual = actual?;
        if actual != canonical(&expected) {
            return Err(format!(
                "the delta record of handle {i} is {actual}, the model's {}",
                canonical(&expected)
            ));
        }
        Ok(())
    }

    /// After a failed call on handle `i`: it still holds its model's counts, and, if asked,
    /// its delta record too (taken now, so the model's record is emptied as well).
    fn check_unchanged(&mut self, i: Option<usize>, check_delta: bool) -> Result<(), String> {
        if let Some(i) = i {
            self.check_json(i)?;
            if check_delta {
                self.check_take_delta(i)?;
            }
        }
        Ok(())
    }

    /// Applies one op to the library and to the model, and checks the library's answer.
    pub fn apply(&mut self, op: &Op) -> Result<(), String> {
        self.calls += 1;
        self.status = GCOUNTER_OK;
        self.apply_checked(op)?;
        self.outcomes
            .insert((op.function().to_string(), self.status));
        Ok(())
    }

    /// [`Session::apply`], leaving the status of the op's main call in `self.status`.
    fn apply_checked(&mut self, op: &Op) -> Result<(), String> {
        match op {
            Op::New => {
                let handle = gcounter_new();
                self.push(handle, Counts::new());
                expect_message_after(GCOUNTER_OK, "gcounter_new", 0)?;
                let last = self.replicas.len() - 1;
                self.check_json(last)
            }
            Op::Free(index) => {
                let i = self.index(*index);
                self.free(i)
            }
            Op::FreeNull => {
                // SAFETY: NULL is a no-op.
                unsafe { gcounter_free(ptr::null_mut()) };
                expect_message_after(GCOUNTER_OK, "gcounter_free(NULL)", 0)
            }
            Op::Clone(index) => {
                let (i, handle) = self.handle(*index);
                // SAFETY: NULL or a live handle.
                let copy = unsafe { gcounter_clone(handle) };
                match i {
                    None => {
                        self.status = GCOUNTER_ERR_NULL_POINTER;
                        if !copy.is_null() {
                            return Err("gcounter_clone(NULL) returned a handle".into());
                        }
                        expect_message_after(GCOUNTER_ERR_NULL_POINTER, "gcounter_clone", 0)
                    }
                    Some(i) => {
                        expect_message_after(GCOUNTER_OK, "gcounter_clone", 0)?;
                        let counts = self.replicas[i].counts.clone();
                        self.push(copy, counts);
                        let last = self.replicas.len() - 1;
                        self.check_json(last)?;
                        self.check_take_delta(last)
                    }
                }
            }
            Op::Increment {
                target,
                agent,
                by,
                check_delta,
            } => self.increment(*target, agent, *by, *check_delta),
            Op::Join { into, other } => self.join(*into, *other),
            Op::JoinJson {
                into,
                doc,
                null_json,
                check_delta,
            } => self.join_json(*into, doc, *null_json, *check_delta),
            Op::FromJson {
                doc,
                null_json,
                null_out,
            } => self.call_from_json(doc, *null_json, *null_out),
            Op::TakeDelta { target, null_out } => self.take_delta(*target, *null_out),
            Op::ToJson {
                target,
                null_out,
                null_len,
            } => self.call_to_json(*target, *null_out, *null_len),
            Op::Value { target, null_out } => self.value(*target, *null_out),
            Op::ValueFor {
                target,
                agent,
                null_out,
            } => self.value_for(*target, agent, *null_out),
            Op::AgentCount(index) => {
                let (i, handle) = self.handle(*index);
                // SAFETY: NULL or a live handle.
                let count = unsafe { gcounter_agent_count(handle) };
                let expected = i.map_or(0, |i| self.replicas[i].counts.len());
                if count != expected {
                    return Err(format!("agent_count {count}, the model {expected}"));
                }
                self.status = if i.is_some() {
                    GCOUNTER_OK
                } else {
                    GCOUNTER_ERR_NULL_POINTER
                };
                expect_message_after(self.status, "gcounter_agent_count", 0)
            }
            Op::Equivalent(a, b) => {
                let (i, ha) = self.handle(*a);
                let (j, hb) = self.handle(*b);
                // SAFETY: NULL or live handles.
                let equivalent = unsafe { gcounter_equivalent(ha, hb) };
                let expected = match (i, j) {
                    (Some(i), Some(j)) => self.replicas[i].counts == self.replicas[j].counts,
                    _ => false,
                };
                if equivalent != expected {
                    return Err(format!("equivalent {equivalent}, the model {expected}"));
                }
                self.status = if i.is_some() && j.is_some() {
                    GCOUNTER_OK
                } else {
                    GCOUNTER_ERR_NULL_POINTER
                };
                expect_message_after(self.status, "gcounter_equivalent", 0)
            }
            Op::Compare { a, b, null_out } => {
                let (i, ha) = self.handle(*a);
                let (j, hb) = self.handle(*b);
                let mut out = gcounter_order::GCOUNTER_ORDER_CONCURRENT;
                let out_ptr = if *null_out { ptr::null_mut() } else { &mut out };
                // SAFETY: NULL or live handles; NULL or a writable out-parameter.
                let status = unsafe { gcounter_compare(ha, hb, out_ptr) };
                self.status = status;
                let mut errors = Vec::new();
                if i.is_none() || j.is_none() || *null_out {
                    errors.push(GCOUNTER_ERR_NULL_POINTER);
                }
                expect_status(status, &errors, "gcounter_compare", 0)?;
                if let (Some(i), Some(j), GCOUNTER_OK) = (i, j, status) {
                    let expected = order(&self.replicas[i].counts, &self.replicas[j].counts);
                    if out != expected {
                        return Err(format!("compare {out:?}, the model {expected:?}"));
                    }
                } else if out != gcounter_order::GCOUNTER_ORDER_CONCURRENT {
                    return Err("a failed compare wrote its out-parameter".into());
                }
                Ok(())
            }
            Op::ValueExact {
                target,
                null_high,
                null_low,
            } => self.value_exact(*target, *null_high, *null_low),
            Op::DeltaFor {
                counter,
                peer,
                null_out,
            } => self.delta_for(*counter, *peer, *null_out),
            Op::SlotAt {
                target,
                index,
                null_id,
                null_len,
                null_count,
            } => self.slot_at(*target, *index, [*null_id, *null_len, *null_count]),
        }
    }

    fn value_exact(
        &mut self,
        target: Option<usize>,
        null_high: bool,
        null_low: bool,
    ) -> Result<(), String> {
        let (i, handle) = self.handle(target);
        let (mut high, mut low) = (SENTINEL_VALUE, SENTINEL_VALUE);
        let high_ptr = if null_high {
            ptr::null_mut()
        } else {
            &mut high
        };
        let low_ptr = if null_low { ptr::null_mut() } else { &mut low };
        // SAFETY: NULL or a live handle; NULL or distinct writable out-parameters.
        let status = unsafe { gcounter_value_exact(handle, high_ptr, low_ptr) };
        self.status = status;
        let errors = if i.is_none() || null_high || null_low {
            vec![GCOUNTER_ERR_NULL_POINTER]
        } else {
            vec![]
        };
        expect_status(status, &errors, "gcounter_value_exact", 0)?;
        if status != GCOUNTER_OK {
            if (high, low) != (SENTINEL_VALUE, SENTINEL_VALUE) {
                return Err("a failed value_exact wrote an out-parameter".into());
            }
            return Ok(());
        }
        let total: u128 = self.replicas[i.unwrap()]
            .counts
            .values()
            .map(|&c| u128::from(c))
            .sum();
        let exact = u128::from(high) << 64 | u128::from(low);
        if exact != total {
            return Err(format!("value_exact {exact}, the model {total}"));
        }
        Ok(())
    }

    fn delta_for(
        &mut self,
        counter: Option<usize>,
        peer: Option<usize>,
        null_out: bool,
    ) -> Result<(), String> {
        let (i, hc) = self.handle(counter);
        let (j, hp) = self.handle(peer);
        let mut out = sentinel::<gcounter_t>();
        let out_ptr = if null_out { ptr::null_mut() } else { &mut out };
        // SAFETY: NULL or live handles (possibly the same one: allowed); NULL or a writable
        // out-parameter.
        let status = unsafe { gcounter_delta_for(hc, hp, out_ptr) };
        self.status = status;
        let errors = if i.is_none() || j.is_none() || null_out {
            vec![GCOUNTER_ERR_NULL_POINTER]
        } else {
            vec![]
        };
        expect_status(status, &errors, "gcounter_delta_for", 0)?;
        if status != GCOUNTER_OK {
            if out != sentinel() {
                return Err("a failed delta_for wrote its out-parameter".into());
            }
            return Ok(());
        }
        let theirs = &self.replicas[j.unwrap()].counts;
        let lacking: Counts = self.replicas[i.unwrap()]
            .counts
            .iter()
            .filter(|(agent_id, &count)| count > theirs.get(*agent_id).copied().unwrap_or(0))
            .map(|(agent_id, &count)| (agent_id.clone(), count))
            .collect();
        // Neither argument's counts or delta record changed: the model keeps both as they
        // were, and later checks compare. The new counter's record is empty.
        self.push(out, lacking);
        let last = self.replicas.len() - 1;
        self.check_json(last)?;
        self.check_take_delta(last)
    }

    fn slot_at(
        &mut self,
        target: Option<usize>,
        index: usize,
        [null_id, null_len, null_count]: [bool; 3],
    ) -> Result<(), String> {
        let (i, handle) = self.handle(target);
        let slots = i.map_or(0, |i| self.replicas[i].counts.len());
        let index = if index == usize::MAX {
            index
        } else {
            index % (slots + 2)
        };
        let unwritten: *const c_char = sentinel::<c_char>();
        let (mut id, mut len, mut count) = (unwritten, usize::MAX, SENTINEL_VALUE);
        let id_ptr = if null_id { ptr::null_mut() } else { &mut id };
        let len_ptr = if null_len { ptr::null_mut() } else { &mut len };
        let count_ptr = if null_count {
            ptr::null_mut()
        } else {
            &mut count
        };
        // SAFETY: NULL or a live handle; NULL or distinct writable out-parameters.
        let status = unsafe { gcounter_slot_at(handle, index, id_ptr, len_ptr, count_ptr) };
        self.status = status;
        let mut errors = Vec::new();
        if i.is_none() || null_id || null_len || null_count {
            errors.push(GCOUNTER_ERR_NULL_POINTER);
        }
        if i.is_some() && index >= slots {
            errors.push(GCOUNTER_ERR_INVALID_ARGUMENT);
        }
        expect_status(status, &errors, "gcounter_slot_at", 0)?;
        if status != GCOUNTER_OK {
            if (id, len, count) != (unwritten, usize::MAX, SENTINEL_VALUE) {
                return Err("a failed slot_at wrote an out-parameter".into());
            }
            return Ok(());
        }
        // A BTreeMap of Strings iterates in the UTF-8 byte order of its keys: canonical order.
        let (agent_id, &expected) = self.replicas[i.unwrap()].counts.iter().nth(index).unwrap();
        if id.is_null() {
            return Err("slot_at wrote a NULL id".into());
        }
        // SAFETY: the library wrote a pointer to `len` bytes that live until the next
        // non-const call on the handle; none happens before this read.
        let bytes = unsafe { std::slice::from_raw_parts(id.cast::<u8>(), len) };
        if bytes != agent_id.as_bytes() || count != expected {
            return Err(format!(
                "slot_at({index}) gave ({:?}, {count}), the model ({agent_id:?}, {expected})",
                String::from_utf8_lossy(bytes)
            ));
        }
        Ok(())
    }

    fn increment(
        &mut self,
        target: Option<usize>,
        agent: &AgentArg,
        by: u64,
        check_delta: bool,
    ) -> Result<(), String> {
        let (i, handle) = self.handle(target);
        let id = prepare(agent);
        let mut errors = Vec::new();
        if i.is_none() {
            errors.push(GCOUNTER_ERR_NULL_POINTER);
        }
        if let Err(status) = id.meaning {
            errors.push(status);
        }
        if by == 0 {
            errors.push(GCOUNTER_ERR_INVALID_ARGUMENT);
        }
        if let (Some(i), Ok(agent_id)) = (i, &id.meaning) {
            let current = self.replicas[i].counts.get(agent_id).copied().unwrap_or(0);
            if current.checked_add(by).is_none() {
                errors.push(GCOUNTER_ERR_OVERFLOW);
            }
        }
        // SAFETY: NULL or a live handle; the id's bytes live in `id` during the call.
        let status = unsafe {
            match agent.form {
                IdForm::Plain | IdForm::Null => gcounter_increment(handle, id.pointer, by),
                _ => gcounter_increment_len(handle, id.pointer, id.len, by),
            }
        };
        self.status = status;
        expect_status(status, &errors, "gcounter_increment", 0)?;
        if status != GCOUNTER_OK {
            return self.check_unchanged(i, check_delta);
        }
        let (i, agent_id) = (i.unwrap(), id.meaning.unwrap());
        let replica = &mut self.replicas[i];
        *replica.counts.entry(agent_id.clone()).or_insert(0) += by;
        replica.delta.insert(agent_id);
        self.check_json(i)
    }

    fn join(&mut self, into: Option<usize>, other: Option<usize>) -> Result<(), String> {
        let (i, hi) = self.handle(into);
        let (j, hj) = self.handle(other);
        // SAFETY: NULL or live handles (possibly the same one: allowed).
        let status = unsafe { gcounter_join(hi, hj) };
        self.status = status;
        let errors = if i.is_none() || j.is_none() {
            vec![GCOUNTER_ERR_NULL_POINTER]
        } else {
            vec![]
        };
        expect_status(status, &errors, "gcounter_join", 0)?;
        if status != GCOUNTER_OK {
            return self.check_unchanged(i, false);
        }
        let other = self.replicas[j.unwrap()].counts.clone();
        self.join_model(i.unwrap(), &other);
        self.check_json(i.unwrap())
    }

    fn join_model(&mut self, i: usize, other: &Counts) {
        let replica = &mut self.replicas[i];
        for (agent_id, &count) in other {
            let slot = replica.counts.entry(agent_id.clone()).or_insert(0);
            if count > *slot {
                *slot = count;
                replica.delta.insert(agent_id.clone());
            }
        }
    }

    fn join_json(
        &mut self,
        into: Option<usize>,
        doc: &Doc,
        null_json: bool,
        check_delta: bool,
    ) -> Result<(), String> {
        let (i, handle) = self.handle(into);
        let bytes = doc.bytes();
        let (pointer, meaning) = json_argument(&bytes, doc, null_json);
        let mut errors = Vec::new();
        if i.is_none() {
            errors.push(GCOUNTER_ERR_NULL_POINTER);
        }
        if let Err(status) = meaning {
            errors.push(status);
        }
        // SAFETY: NULL or a live handle; the bytes live during the call.
        let status = unsafe { gcounter_join_json(handle, pointer, bytes.len()) };
        self.status = status;
        expect_status(status, &errors, "gcounter_join_json", bytes.len())?;
        if status != GCOUNTER_OK {
            return self.check_unchanged(i, check_delta);
        }
        self.join_model(i.unwrap(), &meaning.unwrap());
        self.check_json(i.unwrap())
    }

    fn call_from_json(&mut self, doc: &Doc, null_json: bool, null_out: bool) -> Result<(), String> {
        let bytes = doc.bytes();
        let (pointer, meaning) = json_argument(&bytes, doc, null_json);
        let mut errors = Vec::new();
        if null_out {
            errors.push(GCOUNTER_ERR_NULL_POINTER);
        }
        if let Err(status) = meaning {
            errors.push(status);
        }
        let mut out: *mut gcounter_t = sentinel();
        let out_ptr = if null_out { ptr::null_mut() } else { &mut out };
        // SAFETY: the bytes live during the call; NULL or a writable out-parameter.
        let status = unsafe { gcounter_from_json(pointer, bytes.len(), out_ptr) };
        self.status = status;
        expect_status(status, &errors, "gcounter_from_json", bytes.len())?;
        if status != GCOUNTER_OK {
            if out != sentinel() {
                return Err("a failed from_json wrote its out-parameter".into());
            }
            return Ok(());
        }
        self.push(out, meaning.unwrap());
        let last = self.replicas.len() - 1;
        self.check_json(last)?;
        self.check_take_delta(last)
    }

    fn take_delta(&mut self, target: Option<usize>, null_out: bool) -> Result<(), String> {
        let (i, handle) = self.handle(target);
        let mut out: *mut gcounter_t = sentinel();
        let out_ptr = if null_out { ptr::null_mut() } else { &mut out };
        // SAFETY: NULL or a live handle; NULL or a writable out-parameter.
        let status = unsafe { gcounter_take_delta(handle, out_ptr) };
        self.status = status;
        let errors = if i.is_none() || null_out {
            vec![GCOUNTER_ERR_NULL_POINTER]
        } else {
            vec![]
        };
        expect_status(status, &errors, "gcounter_take_delta", 0)?;
        if status != GCOUNTER_OK {
            if out != sentinel() {
                return Err("a failed take_delta wrote its out-parameter".into());
            }
            // The record must be kept: check it now.
            return self.check_unchanged(i, true);
        }
        let replica = &mut self.replicas[i.unwrap()];
        let delta: Counts = std::mem::take(&mut replica.delta)
            .into_iter()
            .map(|agent_id| {
                let count = replica.counts[&agent_id];
                (agent_id, count)
            })
            .collect();
        self.push(out, delta);
        let last = self.replicas.len() - 1;
        self.check_json(last)?;
        self.check_take_delta(last)
    }

    fn call_to_json(
        &mut self,
        target: Option<usize>,
        null_out: bool,
        null_len: bool,
    ) -> Result<(), String> {
        let (i, handle) = self.handle(target);
        let mut json: *mut c_char = sentinel();
        let mut len = SENTINEL_VALUE as usize;
        let json_ptr = if null_out { ptr::null_mut() } else { &mut json };
        let len_ptr = if null_len { ptr::null_mut() } else { &mut len };
        // SAFETY: NULL or a live handle; NULL or writable out-parameters.
        let status = unsafe { gcounter_to_json(handle, json_ptr, len_ptr) };
        self.status = status;
        let errors = if i.is_none() || null_out {
            vec![GCOUNTER_ERR_NULL_POINTER]
        } else {
            vec![]
        };
        expect_status(status, &errors, "gcounter_to_json", 0)?;
        if status != GCOUNTER_OK {
            if json != sentinel() || len != SENTINEL_VALUE as usize {
                return Err("a failed to_json wrote an out-parameter".into());
            }
            return Ok(());
        }
        // SAFETY: a NUL-terminated string from the library, freed once below.
        let text = unsafe { CStr::from_ptr(json) }.to_bytes().to_vec();
        // SAFETY: as above.
        unsafe { gcounter_string_free(json) };
        let expected = canonical(&self.replicas[i.unwrap()].counts);
        if text != expected.as_bytes() {
            return Err(format!(
                "to_json gave {}, the model {expected}",
                String::from_utf8_lossy(&text)
            ));
        }
        let expected_len = if null_len {
            SENTINEL_VALUE as usize
        } else {
            text.len()
        };
        if len != expected_len {
            return Err(format!(
                "to_json wrote length {len}, expected {expected_len}"
            ));
        }
        Ok(())
    }

    fn value(&mut self, target: Option<usize>, null_out: bool) -> Result<(), String> {
        let (i, handle) = self.handle(target);
        let mut out = SENTINEL_VALUE;
        let out_ptr = if null_out { ptr::null_mut() } else { &mut out };
        // SAFETY: NULL or a live handle; NULL or a writable out-parameter.
        let status = unsafe { gcounter_value(handle, out_ptr) };
        self.status = status;
        let total: Option<u128> = i.map(|i| {
            self.replicas[i]
                .counts
                .values()
                .map(|&c| u128::from(c))
                .sum()
        });
        let mut errors = Vec::new();
        if i.is_none() || null_out {
            errors.push(GCOUNTER_ERR_NULL_POINTER);
        }
        if total.is_some_and(|t| t > u128::from(u64::MAX)) {
            errors.push(GCOUNTER_ERR_OVERFLOW);
        }
        expect_status(status, &errors, "gcounter_value", 0)?;
        if status != GCOUNTER_OK {
            if out != SENTINEL_VALUE {
                return Err("a failed value wrote its out-parameter".into());
            }
            if status == GCOUNTER_ERR_OVERFLOW
                && !last_message().contains(&total.unwrap().to_string())
            {
                return Err(format!(
                    "the overflow message does not give the total {}: {}",
                    total.unwrap(),
                    last_message()
                ));
            }
            return Ok(());
        }
        if u128::from(out) != total.unwrap() {
            return Err(format!("value {out}, the model {}", total.unwrap()));
        }
        Ok(())
    }

    fn value_for(
        &mut self,
        target: Option<usize>,
        agent: &AgentArg,
        null_out: bool,
    ) -> Result<(), String> {
        let (i, handle) = self.handle(target);
        let id = prepare(agent);
        let mut out = SENTINEL_VALUE;
        let out_ptr = if null_out { ptr::null_mut() } else { &mut out };
        // SAFETY: NULL or a live handle; the id's bytes live in `id`; NULL or a writable
        // out-parameter.
        let status = unsafe {
            match agent.form {
                IdForm::Plain | IdForm::Null => gcounter_value_for(handle, id.pointer, out_ptr),
                _ => gcounter_value_for_len(handle, id.pointer, id.len, out_ptr),
            }
        };
        self.status = status;
        let mut errors = Vec::new();
        if i.is_none() || null_out {
            errors.push(GCOUNTER_ERR_NULL_POINTER);
        }
        if let Err(status) = id.meaning {
            errors.push(status);
        }
        expect_status(status, &errors, "gcounter_value_for", 0)?;
        if status != GCOUNTER_OK {
            if out != SENTINEL_VALUE {
                return Err("a failed value_for wrote its out-parameter".into());
            }
            return Ok(());
        }
        let agent_id = id.meaning.unwrap();
        let expected = self.replicas[i.unwrap()]
            .counts
            .get(&agent_id)
            .copied()
            .unwrap_or(0);
        if out != expected {
            return Err(format!(
                "value_for({agent_id:?}) {out}, the model {expected}"
            ));
        }
        Ok(())
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        for replica in self.replicas.drain(..) {
            // SAFETY: live handles owned by the session, freed once.
            unsafe { gcounter_free(replica.handle) };
        }
    }
}

/// The pointer to pass for a JSON argument, and what the call must make of it.
fn json_argument(
    bytes: &[u8],
    doc: &Doc,
    null_json: bool,
) -> (*const c_char, Result<Counts, gcounter_status>) {
    if null_json && !bytes.is_empty() {
        return (ptr::null(), Err(GCOUNTER_ERR_NULL_POINTER));
    }
    let pointer = if null_json {
        ptr::null()
    } else {
        bytes.as_ptr().cast()
    };
    (pointer, doc.meaning().ok_or(GCOUNTER_ERR_INVALID_JSON))
}

/// The canonical JSON of a handle, through `gcounter_to_json`.
pub fn json_of(handle: *const gcounter_t) -> Result<String, String> {
    let mut json = ptr::null_mut();
    let mut len = 0;
    // SAFETY: a live handle and writable out-parameters.
    let status = unsafe { gcounter_to_json(handle, &mut json, &mut len) };
    if status != GCOUNTER_OK {
        return Err(format!(
            "to_json failed with {status:?}: {}",
            last_message()
        ));
    }
    // SAFETY: a string of `len` bytes from the library, freed once below.
    let bytes = unsafe { std::slice::from_raw_parts(json.cast::<u8>(), len) }.to_vec();
    // SAFETY: as above.
    let terminated = unsafe { *json.add(len) } == 0;
    // SAFETY: as above.
    unsafe { gcounter_string_free(json) };
    if !terminated {
        return Err("to_json's string is not NUL-terminated at its length".into());
    }
    String::from_utf8(bytes).map_err(|_| "to_json wrote bytes that are not UTF-8".into())
}

/// The status is OK if `errors` is empty, else one of them; the thread's message agrees.
fn expect_status(
    status: gcounter_status,
    errors: &[gcounter_status],
    call: &str,
    input_len: usize,
) -> Result<(), String> {
    let fine = if errors.is_empty() {
        status == GCOUNTER_OK
    } else {
        errors.contains(&status)
    };
    if !fine {
        return Err(format!(
            "{call} returned {status:?} ({}), expected {}; message: {}",
            // SAFETY: a static string.
            unsafe { CStr::from_ptr(gcounter_status_str(status as u32)) }.to_string_lossy(),
            if errors.is_empty() {
                "GCOUNTER_OK".to_string()
            } else {
                format!("one of {errors:?}")
            },
            last_message()
        ));
    }
    expect_message_after(status, call, input_len)
}

/// The thread's message is empty after a success, and says why after a failure; for invalid
/// JSON it names a byte within the input.
fn expect_message_after(
    status: gcounter_status,
    call: &str,
    input_len: usize,
) -> Result<(), String> {
    let message = last_message();
    if status == GCOUNTER_OK {
        return if message.is_empty() {
            Ok(())
        } else {
            Err(format!("{call} succeeded but the message is {message:?}"))
        };
    }
    if message.is_empty() {
        return Err(format!(
            "{call} failed with {status:?} and an empty message"
        ));
    }
    if status == GCOUNTER_ERR_INVALID_JSON {
        let offset = message
            .strip_prefix("invalid JSON at byte ")
            .and_then(|rest| rest.split(':').next())
            .and_then(|n| n.parse::<usize>().ok());
        match offset {
            Some(offset) if offset <= input_len => {}
            _ => {
                return Err(format!(
                    "{call}: the message does not name a byte within the {input_len} of the input: {message:?}"
                ))
            }
        }
    }
    Ok(())
}

/// A reader of fuzzer bytes: each call takes what it needs, and 0s once the bytes run out.
pub struct ByteSource<'a> {
    data: &'a [u8],
}

impl<'a> ByteSource<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        ByteSource { data }
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }

    pub fn below(&mut self, n: u8) -> u8 {
        self.byte() % n
    }

    pub fn flag(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    /// Mostly small numbers, sometimes 0 and the edges of `u64`.
    pub fn amount(&mut self) -> u64 {
        match self.below(8) {
            0 => 0,
            1 => u64::MAX,
            2 => u64::MAX - u64::from(self.byte()),
            3 => u64::from(self.byte()) << 56,
            _ => u64::from(self.byte()) + 1,
        }
    }

    pub fn handle(&mut self) -> Option<usize> {
        match self.byte() {
            0..=7 => None,
            b => Some(usize::from(b)),
        }
    }

    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let len = usize::from(self.byte()) % (max + 1);
        let len = len.min(self.data.len());
        let (taken, rest) = self.data.split_at(len);
        self.data = rest;
        taken.to_vec()
    }

    pub fn agent_id(&mut self) -> String {
        let pick = self.byte();
        AGENT_IDS
            .get(usize::from(pick))
            .map(|s| s.to_string())
            .unwrap_or_else(|| String::from_utf8_lossy(&self.bytes(12)).into_owned())
    }

    pub fn agent(&mut self) -> AgentArg {
        let form = match self.below(16) {
            0 => IdForm::Null,
            1 => IdForm::EmptyNull,
            2 => IdForm::LenNull,
            3..=8 => IdForm::Plain,
            _ => IdForm::Len,
        };
        let bytes = match self.below(8) {
            0 => INVALID_UTF8[usize::from(self.byte()) % INVALID_UTF8.len()].to_vec(),
            1 => self.bytes(16),
            _ => self.agent_id().into_bytes(),
        };
        AgentArg { bytes, form }
    }

    pub fn doc(&mut self) -> Doc {
        let members: Vec<(String, u64)> = (0..self.below(6))
            .map(|_| (self.agent_id(), self.amount()))
            .collect();
        let members = distinct(members);
        let style = Style {
            spacing: self.below(3),
            escape_all: self.flag(),
            reverse: self.flag(),
        };
        match self.below(4) {
            0 => Doc::Bytes(self.bytes(64)),
            1 => {
                let defect = match self.below(11) {
                    0 => Defect::Truncate(usize::from(self.byte())),
                    1 => Defect::TrailingJunk(self.byte()),
                    2 => Defect::DuplicateKey,
                    3 => Defect::BadCount(self.byte()),
                    4 => Defect::BadUtf8(self.byte()),
                    5 => Defect::LoneSurrogate(self.byte()),
                    6 => Defect::ControlChar(self.byte()),
                    7 => Defect::MissingColon,
                    8 => Defect::MissingComma,
                    9 => Defect::TrailingComma,
                    _ => Defect::NotObject(self.byte()),
                };
                Doc::Broken {
                    members,
                    style,
                    defect,
                    at: usize::from(self.byte()),
                }
            }
            _ => Doc::Valid { members, style },
        }
    }

    /// One op, drawn from the bytes.
    pub fn op(&mut self) -> Op {
        match self.below(23) {
            0 => Op::New,
            1 => Op::Free(usize::from(self.byte())),
            2 => Op::FreeNull,
            3 => Op::Clone(self.handle()),
            4..=7 => Op::Increment {
                target: self.handle(),
                agent: self.agent(),
                by: self.amount(),
                check_delta: self.flag(),
            },
            8 | 9 => Op::Join {
                into: self.handle(),
                other: self.handle(),
            },
            10 | 11 => Op::JoinJson {
                into: self.handle(),
                doc: self.doc(),
                null_json: self.below(16) == 0,
                check_delta: self.flag(),
            },
            12 => Op::FromJson {
                doc: self.doc(),
                null_json: self.below(16) == 0,
                null_out: self.below(16) == 0,
            },
            13 => Op::TakeDelta {
                target: self.handle(),
                null_out: self.below(8) == 0,
            },
            14 => Op::ToJson {
                target: self.handle(),
                null_out: self.below(8) == 0,
                null_len: self.flag(),
            },
            15 => Op::Value {
                target: self.handle(),
                null_out: self.below(8) == 0,
            },
            16 => Op::ValueFor {
                target: self.handle(),
                agent: self.agent(),
                null_out: self.below(8) == 0,
            },
            17 => Op::AgentCount(self.handle()),
            18 => Op::Equivalent(self.handle(), self.handle()),
            19 => Op::ValueExact {
                target: self.handle(),
                null_high: self.below(16) == 0,
                null_low: self.below(16) == 0,
            },
            20 => Op::DeltaFor {
                counter: self.handle(),
                peer: self.handle(),
                null_out: self.below(8) == 0,
            },
            21 => Op::SlotAt {
                target: self.handle(),
                index: match self.byte() {
                    255 => usize::MAX,
                    b => usize::from(b),
                },
                null_id: self.below(16) == 0,
                null_len: self.below(16) == 0,
                null_count: self.below(16) == 0,
            },
            _ => Op::Compare {
                a: self.handle(),
                b: self.handle(),
                null_out: self.below(8) == 0,
            },
        }
    }

    /// Ops until the bytes run out (at most `max`).
    pub fn ops(&mut self, max: usize) -> Vec<Op> {
        let mut ops = Vec::new();
        while !self.is_empty() && ops.len() < max {
            ops.push(self.op());
        }
        ops
    }
}

/// Agent ids that meet often: short, empty, with NUL, escapes, non-ASCII, beyond the BMP.
pub const AGENT_IDS: [&str; 12] = [
    "a",
    "b",
    "",
    "agent-1",
    "agent-2",
    "é",
    "a\0b",
    "\0",
    "\u{1F600}",
    "q\"uo\\te\n",
    "\u{1}\u{1f}\u{7f}",
    "Z",
];

/// Byte strings that are not UTF-8.
pub const INVALID_UTF8: [&[u8]; 6] = [
    b"\xff",
    b"a\xc3",
    b"\xc0\x80",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"ok\x80",
];

/// The fuzz body for arbitrary bytes as JSON: `gcounter_from_json` and `gcounter_join_json`
/// (into an empty counter and into one with slots) agree with the reference reader, fail with
/// nothing changed, and what they accept writes back canonically and reads back the same.
pub fn check_json_bytes(data: &[u8]) {
    let mut session = Session::new();
    let doc = Doc::Bytes(data.to_vec());
    let steps = [
        Op::FromJson {
            doc: doc.clone(),
            null_json: false,
            null_out: false,
        },
        Op::JoinJson {
            into: Some(0),
            doc: doc.clone(),
            null_json: false,
            check_delta: true,
        },
        Op::Increment {
            target: Some(0),
            agent: AgentArg {
                bytes: b"a".to_vec(),
                form: IdForm::Len,
            },
            by: 5,
            check_delta: false,
        },
        Op::JoinJson {
            into: Some(0),
            doc,
            null_json: false,
            check_delta: true,
        },
    ];
    for op in &steps {
        if let Err(failure) = session.apply(op) {
            panic!(
                "{failure}\n  input: {:?}\n  reference: {:?}",
                String::from_utf8_lossy(data),
                reference_parse(data)
            );
        }
    }
    session.finish().unwrap_or_else(|failure| {
        panic!("{failure}\n  input: {:?}", String::from_utf8_lossy(data))
    });
}

/// The fuzz body for call sequences: the bytes, read as ops, run against the model.
pub fn check_ops_bytes(data: &[u8]) {
    let ops = ByteSource::new(data).ops(512);
    Session::run(&ops);
}

/// A CString of `bytes` up to the first NUL.
pub fn c_string(bytes: &[u8]) -> CString {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    CString::new(&bytes[..end]).unwrap()
}
