//! Rebuild when the built-in lesson pack changes: it is embedded in the binary.

fn main() {
    println!("cargo:rerun-if-changed=lessons");
}
