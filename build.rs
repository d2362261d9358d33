//! Rebuild when the built-in lesson pack changes: it is embedded in the binary.
//!
//! On Linux with glibc, the program is linked with packed relative relocations
//! (`-z pack-relative-relocs`, DT_RELR). A position-independent executable
//! otherwise carries one 24-byte relocation per pointer in its read-only data
//! (about 45,000 here: 1.1 MB, all read at every start and so resident); packed,
//! they take 12 KB. binutils 2.38 (and lld 15) know the option, and an older
//! GNU linker ignores it with a warning. The linker records that the program
//! needs a C library that reads the format (glibc 2.36's `GLIBC_ABI_DT_RELR`),
//! so an older one refuses to start it by name rather than misbehave.

fn main() {
    println!("cargo:rerun-if-changed=lessons");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
