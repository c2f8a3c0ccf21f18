//! Gives the shared library its ELF soname, `libgcounter.so.<MAJOR>`, and makes the build tree
//! usable as it is.
//!
//! A program linked against a library with a soname records the soname, not the file name, as
//! the library it needs (`DT_NEEDED`). So a program linked with `-L target/release -lgcounter`
//! asks the dynamic loader for `libgcounter.so.0`, and that name must exist next to
//! `libgcounter.so`. Cargo writes only `libgcounter.so`, and a build script runs before the
//! library is linked, so this script leaves a relative symbolic link
//! `target/<profile>/libgcounter.so.<MAJOR> -> libgcounter.so`, dangling until the link step
//! writes its target. `make install` installs the usual chain instead:
//! `libgcounter.so -> libgcounter.so.<MAJOR> -> libgcounter.so.<MAJOR>.<MINOR>.<PATCH>`.
//!
//! The soname's number is the crate's major version: every release with the same major
//! version keeps the C ABI of the previous ones (docs/install.md gives the rules).

use std::env;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");

    if !target_uses_elf_sonames() {
        return;
    }
    let major = env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets CARGO_PKG_VERSION_MAJOR");
    let soname = format!("libgcounter.so.{major}");
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{soname}");

    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    match profile_dir(&out_dir) {
        Some(dir) => link_soname(&dir, &soname),
        None => println!(
            "cargo:warning=cannot find the output directory from OUT_DIR={}; \
             create {soname} beside libgcounter.so yourself to run programs from the build tree",
            out_dir.display()
        ),
    }
}

/// Whether the target links shared objects as ELF files with a `DT_SONAME` (Linux, the BSDs,
/// illumos), rather than Mach-O (macOS) or PE (Windows).
fn target_uses_elf_sonames() -> bool {
    let family = env::var("CARGO_CFG_TARGET_FAMILY").unwrap_or_default();
    let vendor = env::var("CARGO_CFG_TARGET_VENDOR").unwrap_or_default();
    family.split(',').any(|f| f == "unix") && vendor != "apple"
}

/// The directory where Cargo puts the final artifacts of this build (`target/release`,
/// `target/debug`, `target/<triple>/release`, ...): `OUT_DIR` is
/// `<that directory>/build/gcounter-<hash>/out`.
fn profile_dir(out_dir: &Path) -> Option<PathBuf> {
    let build = out_dir.parent()?.parent()?;
    if build.file_name()? != "build" {
        return None;
    }
    build.parent().map(Path::to_path_buf)
}

/// Makes `<dir>/<soname>` a relative link to `libgcounter.so`, replacing whatever is there.
#[cfg(unix)]
fn link_soname(dir: &Path, soname: &str) {
    let link = dir.join(soname);
    let target = Path::new("libgcounter.so");
    if std::fs::read_link(&link).is_ok_and(|current| current == target) {
        return;
    }
    let _ = std::fs::remove_file(&link);
    if let Err(err) = std::os::unix::fs::symlink(target, &link) {
        println!("cargo:warning=cannot create {}: {err}", link.display());
    }
}

#[cfg(not(unix))]
fn link_soname(dir: &Path, soname: &str) {
    println!(
        "cargo:warning=this host has no symbolic links: create {} as a copy of libgcounter.so \
         to run programs from the build tree",
        dir.join(soname).display()
    );
}
