//! The fuzz targets' bodies (`fuzz/fuzz_targets`), run on the stable toolchain: over the
//! committed seeds and regressions (`fuzz/seeds`, `fuzz/regressions`), and over inputs
//! generated from them by a seeded mutator, so that `cargo test` replays what `make fuzz`
//! explores and keeps every crash it ever found fixed.

mod ffi_model;

use std::fs;
use std::path::{Path, PathBuf};

/// Generated inputs per target; each JSON input makes 4 calls, each op input up to 512.
const JSON_INPUTS: usize = 60_000;
const OPS_INPUTS: usize = 4_000;

/// The files of `fuzz/<dir>/<target>`, sorted (an absent directory has none).
fn files(dir: &str, target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(dir)
        .join(target);
    let mut paths: Vec<PathBuf> = match fs::read_dir(&dir) {
        Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    };
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let bytes = fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect()
}

/// xorshift64*: a fixed seed gives the same inputs on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// JSON fragments that move a document between valid and invalid.
const TOKENS: [&[u8]; 28] = [
    b"{",
    b"}",
    b"\"",
    b":",
    b",",
    b" ",
    b"\\",
    b"\\u",
    b"\\ud800",
    b"\\udc00",
    b"\\u0041",
    b"0",
    b"1",
    b"-",
    b".",
    b"e",
    b"18446744073709551615",
    b"18446744073709551616",
    b"\"a\"",
    b"\"a\":1",
    b"null",
    b"true",
    b"[",
    b"]",
    b"\0",
    b"\xff",
    b"\xc3\xa9",
    b"\xf0\x9f\x98\x80",
];

/// One to three mutations of `input`: byte flips, token insertions, cuts, splices, repeats.
fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(out.len() + 1);
        match rng.below(6) {
            0 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            1 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                out.splice(at..at, token.iter().copied());
            }
            2 if !out.is_empty() => {
                let end = (at + 1 + rng.below(8)).min(out.len());
                out.drain(at.min(end)..end);
            }
            3 => out.truncate(at),
            4 => {
                let from = rng.below(other.len() + 1);
                out.splice(at..at, other[from..].iter().copied());
            }
            _ => {
                let piece = out[at..].to_vec();
                out.extend(piece);
            }
        }
    }
    out
}

#[test]
fn json_seeds_and_regressions_replay() {
    let seeds = files("seeds", "json");
    assert!(
        seeds.len() >= 20,
        "the JSON seed corpus is missing: {seeds:?}"
    );
    let mut accepted = 0;
    for (path, bytes) in seeds.iter().chain(files("regressions", "json").iter()) {
        eprintln!("{}", path.display());
        ffi_model::check_json_bytes(bytes);
        accepted += usize::from(ffi_model::reference_parse(bytes).is_ok());
    }
    // The seeds hold both kinds, so both paths ran.
    assert!(accepted > 5 && accepted < seeds.len() - 5, "{accepted}");
}

#[test]
fn generated_json_inputs_agree_with_the_reference_reader() {
    let seeds: Vec<Vec<u8>> = files("seeds", "json").into_iter().map(|(_, b)| b).collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..JSON_INPUTS {
        let input = if rng.below(3) == 0 {
            // A document from the model's generator (valid, broken or raw), as it is.
            let source: Vec<u8> = (0..64).map(|_| rng.next() as u8).collect();
            ffi_model::ByteSource::new(&source).doc().bytes()
        } else {
            let (first, second) = (rng.below(seeds.len()), rng.below(seeds.len()));
            mutate(&mut rng, &seeds[first], &seeds[second])
        };
        ffi_model::check_json_bytes(&input);
        match ffi_model::reference_parse(&input) {
            Ok(_) => accepted += 1,
            Err(_) => refused += 1,
        }
    }
    eprintln!("{JSON_INPUTS} generated documents: {accepted} accepted, {refused} refused");
    // A mutator that only ever broke documents would not test the accepting path.
    assert!(accepted > JSON_INPUTS / 20, "{accepted} accepted");
    assert!(refused > JSON_INPUTS / 4, "{refused} refused");
}

#[test]
fn op_seeds_regressions_and_generated_sequences_replay() {
    let mut inputs: Vec<Vec<u8>> = files("seeds", "ops")
        .into_iter()
        .chain(files("regressions", "ops"))
        .map(|(_, bytes)| bytes)
        .collect();
    assert!(inputs.len() >= 10, "the op seed corpus is missing");
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for _ in 0..OPS_INPUTS {
        let len = 1 + rng.below(600);
        inputs.push((0..len).map(|_| rng.next() as u8).collect());
    }
    let mut calls = 0;
    for input in &inputs {
        let ops = ffi_model::ByteSource::new(input).ops(512);
        calls += ffi_model::Session::run(&ops).calls;
    }
    eprintln!("{} op sequences, {calls} calls", inputs.len());
}
