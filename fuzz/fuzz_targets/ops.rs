//! Sequences of C ABI calls decoded from the bytes, each checked against the model of the
//! counts and of the delta record.
#![no_main]

#[path = "../../tests/ffi_model/mod.rs"]
mod ffi_model;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    ffi_model::check_ops_bytes(data);
});
