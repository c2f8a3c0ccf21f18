//! A Grow-only Counter (G-Counter) CRDT, usable from Rust directly and, through a C ABI,
//! from any language.
//!
//! Each agent increments its own slot; the counter's value is the sum of the slots; replicas
//! converge by [`GCounter::join`], the per-slot maximum. States travel as JSON
//! `{agent_id: count}` ([`GCounter::to_json`], [`GCounter::from_json`]), or as deltas
//! ([`GCounter::take_delta`]) that carry only what rose since the last one.
//!
//! ```
//! use gcounter::GCounter;
//!
//! let mut here = GCounter::new();
//! here.increment("worker-1", 2)?;
//! let mut there = GCounter::from_json(br#"{"worker-2": 5}"#)?;
//!
//! there.join_json(here.to_json().as_bytes())?;
//! here.join(&there);
//! assert_eq!(here.value(), 7);
//! assert_eq!(here, there);
//! # Ok::<(), gcounter::Error>(())
//! ```
//!
//! The C ABI (`include/gcounter.h`) is the module [`ffi`]; nothing else in the crate knows C.

mod counter;
mod error;
mod escape;
pub mod ffi;
mod serde;
mod slots;
mod wire;

pub use counter::{GCounter, Slots};
pub use error::{Error, JsonError};

/// The README's Rust example, compiled and run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
