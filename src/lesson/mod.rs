//! Lesson packs: loading (built-in or from a directory), front matter,
//! validation with `path:line:col` diagnostics.

pub mod diag;
pub mod model;
pub mod size;

pub use diag::{Diagnostic, PackError};
pub use model::*;

use std::path::Path;

/// Load the built-in pack (`dir = None`) or the pack in `dir`.
/// Every problem is reported, not just the first.
pub fn load(dir: Option<&Path>) -> Result<Pack, PackError> {
    let path = dir
        .map(|d| d.join("pack.toml"))
        .unwrap_or_else(|| Path::new("<built-in>/pack.toml").to_path_buf());
    Err(PackError {
        diagnostics: vec![Diagnostic::new(path, 1, 1, "pack loading is not built yet")],
    })
}
