//! Validation diagnostics: `path:line:col: message`.

use std::fmt;
use std::path::PathBuf;

/// One problem found in a pack. `line` and `col` are 1-based; 0 means
/// "the whole file" (e.g. a missing file) and is printed as `1:1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn new(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            line,
            col,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            crate::sanitize::clean_line(&self.path.display().to_string()),
            self.line.max(1),
            self.col.max(1),
            crate::sanitize::clean_line(&self.message)
        )
    }
}

/// A pack that could not be loaded: every problem found, in file order.
#[derive(Debug, Clone)]
pub struct PackError {
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PackError {}
