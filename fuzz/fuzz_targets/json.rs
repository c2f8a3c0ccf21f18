//! `gcounter_from_json` and `gcounter_join_json` on arbitrary bytes: they accept exactly what
//! the reference reader accepts, mean the same counts, and change nothing when they refuse.
#![no_main]

#[path = "../../tests/ffi_model/mod.rs"]
mod ffi_model;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    ffi_model::check_json_bytes(data);
});
