//! Model-based tests of the C ABI: random sequences of every exported call, made through the
//! `extern "C"` functions themselves, each checked against a `BTreeMap<String, u64>` model and
//! a model of the delta record (see `ffi_model`). Failed calls must change nothing: the
//! counter's JSON, its delta record and the out-parameters are checked after each.

mod ffi_model;

use std::collections::BTreeSet;

use ffi_model::{
    distinct, AgentArg, Defect, Doc, IdForm, Op, Session, Style, AGENT_IDS, INVALID_UTF8,
};
use gcounter::ffi::*;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRng, TestRunner};

fn agent_id() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(&AGENT_IDS[..]).prop_map(str::to_string),
        2 => "[a-c]{0,3}",
        1 => any::<String>().prop_map(|s| s.chars().take(6).collect()),
    ]
}

fn agent_arg() -> impl Strategy<Value = AgentArg> {
    let bytes = prop_oneof![
        8 => agent_id().prop_map(String::into_bytes),
        1 => prop::sample::select(&INVALID_UTF8[..]).prop_map(<[u8]>::to_vec),
        1 => prop::collection::vec(any::<u8>(), 0..6),
    ];
    let form = prop_oneof![
        6 => Just(IdForm::Plain),
        6 => Just(IdForm::Len),
        1 => Just(IdForm::Null),
        1 => Just(IdForm::EmptyNull),
        1 => Just(IdForm::LenNull),
    ];
    (bytes, form).prop_map(|(bytes, form)| AgentArg { bytes, form })
}

/// Mostly small, sometimes 0, sometimes near `u64::MAX` so that slots and totals overflow.
fn amount() -> impl Strategy<Value = u64> {
    prop_oneof![
        12 => 1..100u64,
        1 => Just(0u64),
        1 => Just(u64::MAX),
        1 => u64::MAX - 100..=u64::MAX,
        1 => 1u64 << 62..1u64 << 63,
    ]
}

/// A handle index, or NULL now and then.
fn handle() -> impl Strategy<Value = Option<usize>> {
    prop_oneof![1 => Just(None), 15 => (0..6usize).prop_map(Some)]
}

fn members() -> impl Strategy<Value = Vec<(String, u64)>> {
    let count = prop_oneof![4 => 1..200u64, 1 => Just(0u64), 1 => amount()];
    prop::collection::vec((agent_id(), count), 0..6).prop_map(distinct)
}

fn style() -> impl Strategy<Value = Style> {
    (0..3u8, any::<bool>(), any::<bool>()).prop_map(|(spacing, escape_all, reverse)| Style {
        spacing,
        escape_all,
        reverse,
    })
}

fn defect() -> impl Strategy<Value = Defect> {
    prop_oneof![
        any::<usize>().prop_map(Defect::Truncate),
        any::<u8>().prop_map(Defect::TrailingJunk),
        Just(Defect::DuplicateKey),
        any::<u8>().prop_map(Defect::BadCount),
        any::<u8>().prop_map(Defect::BadUtf8),
        any::<u8>().prop_map(Defect::LoneSurrogate),
        any::<u8>().prop_map(Defect::ControlChar),
        Just(Defect::MissingColon),
        Just(Defect::MissingComma),
        Just(Defect::TrailingComma),
        any::<u8>().prop_map(Defect::NotObject),
    ]
}

fn doc() -> impl Strategy<Value = Doc> {
    prop_oneof![
        5 => (members(), style()).prop_map(|(members, style)| Doc::Valid { members, style }),
        4 => (members(), style(), defect(), any::<usize>()).prop_map(
            |(members, style, defect, at)| Doc::Broken { members, style, defect, at }
        ),
        1 => prop::collection::vec(any::<u8>(), 0..24).prop_map(Doc::Bytes),
    ]
}

/// A slot index: reduced modulo the slot count + 2 by the session, or `usize::MAX`.
fn slot_index() -> impl Strategy<Value = usize> {
    prop_oneof![15 => 0..64usize, 1 => Just(usize::MAX)]
}

fn rarely() -> impl Strategy<Value = bool> {
    prop::bool::weighted(0.08)
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => Just(Op::New),
        1 => any::<usize>().prop_map(Op::Free),
        1 => Just(Op::FreeNull),
        2 => handle().prop_map(Op::Clone),
        12 => (handle(), agent_arg(), amount(), any::<bool>()).prop_map(
            |(target, agent, by, check_delta)| Op::Increment { target, agent, by, check_delta }
        ),
        4 => (handle(), handle()).prop_map(|(into, other)| Op::Join { into, other }),
        // A join with itself, by the same index.
        1 => handle().prop_map(|h| Op::Join { into: h, other: h }),
        6 => (handle(), doc(), rarely(), any::<bool>()).prop_map(
            |(into, doc, null_json, check_delta)| Op::JoinJson { into, doc, null_json, check_delta }
        ),
        3 => (doc(), rarely(), rarely())
            .prop_map(|(doc, null_json, null_out)| Op::FromJson { doc, null_json, null_out }),
        3 => (handle(), rarely()).prop_map(|(target, null_out)| Op::TakeDelta { target, null_out }),
        2 => (handle(), rarely(), any::<bool>())
            .prop_map(|(target, null_out, null_len)| Op::ToJson { target, null_out, null_len }),
        2 => (handle(), rarely()).prop_map(|(target, null_out)| Op::Value { target, null_out }),
        3 => (handle(), agent_arg(), rarely())
            .prop_map(|(target, agent, null_out)| Op::ValueFor { target, agent, null_out }),
        1 => handle().prop_map(Op::AgentCount),
        2 => (handle(), handle()).prop_map(|(a, b)| Op::Equivalent(a, b)),
        2 => (handle(), handle(), rarely()).prop_map(|(a, b, null_out)| Op::Compare { a, b, null_out }),
        2 => (handle(), rarely(), rarely()).prop_map(|(target, null_high, null_low)| {
            Op::ValueExact { target, null_high, null_low }
        }),
        3 => (handle(), handle(), rarely())
            .prop_map(|(counter, peer, null_out)| Op::DeltaFor { counter, peer, null_out }),
        // delta_for of a counter with itself, by the same index.
        1 => handle().prop_map(|h| Op::DeltaFor { counter: h, peer: h, null_out: false }),
        3 => (handle(), slot_index(), rarely(), rarely(), rarely()).prop_map(
            |(target, index, null_id, null_len, null_count)| Op::SlotAt {
                target, index, null_id, null_len, null_count,
            }
        ),
    ]
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(op(), 1..48)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Every call agrees with the model, step by step, and failed calls change nothing.
    #[test]
    fn random_call_sequences_agree_with_the_model(ops in ops()) {
        Session::run(&ops);
    }
}

/// The generator is not vacuous: a fixed sample of sequences reaches every error of every
/// function that can fail, and the success of each.
#[test]
fn the_sequences_reach_every_outcome_of_every_call() {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(proptest::test_runner::RngAlgorithm::ChaCha),
    );
    let mut reached = BTreeSet::new();
    for _ in 0..1000 {
        let ops = ops().new_tree(&mut runner).unwrap().current();
        reached.append(&mut Session::run(&ops).outcomes);
    }
    let mut expected = BTreeSet::new();
    let mut expect = |function: &str, statuses: &[gcounter_status]| {
        for &status in statuses {
            expected.insert((function.to_string(), status));
        }
    };
    const OK: gcounter_status = GCOUNTER_OK;
    const NULL: gcounter_status = GCOUNTER_ERR_NULL_POINTER;
    let increment = [
        OK,
        NULL,
        GCOUNTER_ERR_INVALID_ARGUMENT,
        GCOUNTER_ERR_INVALID_UTF8,
        GCOUNTER_ERR_OVERFLOW,
    ];
    expect("gcounter_increment", &increment);
    expect("gcounter_increment_len", &increment);
    expect("gcounter_join", &[OK, NULL]);
    expect("gcounter_join_json", &[OK, NULL, GCOUNTER_ERR_INVALID_JSON]);
    expect("gcounter_from_json", &[OK, NULL, GCOUNTER_ERR_INVALID_JSON]);
    expect("gcounter_take_delta", &[OK, NULL]);
    expect("gcounter_to_json", &[OK, NULL]);
    expect("gcounter_value", &[OK, NULL, GCOUNTER_ERR_OVERFLOW]);
    expect("gcounter_value_for", &[OK, NULL, GCOUNTER_ERR_INVALID_UTF8]);
    expect(
        "gcounter_value_for_len",
        &[OK, NULL, GCOUNTER_ERR_INVALID_UTF8],
    );
    expect("gcounter_agent_count", &[OK, NULL]);
    expect("gcounter_equivalent", &[OK, NULL]);
    expect("gcounter_compare", &[OK, NULL]);
    expect("gcounter_clone", &[OK, NULL]);
    expect("gcounter_value_exact", &[OK, NULL]);
    expect("gcounter_delta_for", &[OK, NULL]);
    expect(
        "gcounter_slot_at",
        &[OK, NULL, GCOUNTER_ERR_INVALID_ARGUMENT],
    );
    expect("gcounter_new", &[OK]);
    expect("gcounter_free", &[OK]);
    let missing: Vec<_> = expected.difference(&reached).collect();
    assert!(missing.is_empty(), "never reached: {missing:?}");
}

fn by_len(target: usize, agent_id: &str, by: u64) -> Op {
    Op::Increment {
        target: Some(target),
        agent: AgentArg {
            bytes: agent_id.as_bytes().to_vec(),
            form: IdForm::Len,
        },
        by,
        check_delta: false,
    }
}

/// A join_json whose last member is bad applies none of the others, and leaves the delta
/// record as it was.
#[test]
fn a_document_with_a_bad_last_member_applies_nothing() {
    let members = vec![("a".to_string(), 50), ("b".to_string(), 60)];
    for defect in [
        Defect::BadCount(0),
        Defect::DuplicateKey,
        Defect::BadUtf8(0),
        Defect::LoneSurrogate(0),
    ] {
        Session::run(&[
            by_len(0, "a", 1),
            Op::JoinJson {
                into: Some(0),
                doc: Doc::Broken {
                    members: members.clone(),
                    style: Style::default(),
                    defect,
                    at: members.len(),
                },
                null_json: false,
                check_delta: true,
            },
            Op::Value {
                target: Some(0),
                null_out: false,
            },
        ]);
    }
}

/// Two slots near `u64::MAX`: the total overflows `value` while each slot is exact, and an
/// increment past the maximum fails without touching the slot.
#[test]
fn overflow_paths_change_nothing() {
    Session::run(&[
        by_len(0, "a", u64::MAX),
        by_len(0, "b", u64::MAX - 1),
        Op::Value {
            target: Some(0),
            null_out: false,
        },
        by_len(0, "b", 2),
        by_len(0, "b", 1),
        Op::ValueFor {
            target: Some(0),
            agent: AgentArg {
                bytes: b"b".to_vec(),
                form: IdForm::Plain,
            },
            null_out: false,
        },
        Op::TakeDelta {
            target: Some(0),
            null_out: false,
        },
    ]);
}
