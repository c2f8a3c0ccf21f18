//! A program as a Rust user writes it with the crate as a plain dependency: two replicas count,
//! exchange their state as JSON and a delta, converge, and refuse a bad document without
//! changing. Prints "converged: <json> value <n>" and exits 0 when every check holds.

use gcounter::{Error, GCounter};

fn main() -> Result<(), Error> {
    let mut a = GCounter::new();
    let mut b = GCounter::new();
    a.increment("agent-a", 3)?;
    b.increment("agent-b", 5)?;

    b.join_json(a.to_json().as_bytes())?;
    let delta = b.take_delta();
    a.join(&delta);

    let refused = a.join_json(br#"{"agent-a": 9, "agent-c": -1}"#);
    assert!(matches!(refused, Err(Error::InvalidJson(_))), "a bad document is refused: {refused:?}");
    assert_eq!(a.value(), 8, "the refused document changed nothing");
    assert!(a == b, "the replicas converged");
    let json = a.to_json();
    assert_eq!(json, r#"{"agent-a":3,"agent-b":5}"#);
    println!("converged: {json} value {}", a.value());
    Ok(())
}
