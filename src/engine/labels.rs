//! Labels on everything dockdojo creates.

/// `dev.dockdojo.managed=true` on every probe, scan and helper object.
pub const MANAGED: &str = "dev.dockdojo.managed";
/// The lesson id the object was created for.
pub const LESSON: &str = "dev.dockdojo.lesson";
/// A per-install random value: a label alone does not prove dockdojo made an
/// object (image labels are inherited), this value plus recorded ids does.
pub const INSTALL: &str = "dev.dockdojo.install";
/// What the object is for: `scan`, `probe`, `run`.
pub const PURPOSE: &str = "dev.dockdojo.purpose";

/// Labels for a helper object created while evaluating `lesson`.
pub fn helper_labels(lesson: &str, purpose: &str) -> std::collections::HashMap<String, String> {
    let mut m = std::collections::HashMap::new();
    m.insert(MANAGED.to_string(), "true".to_string());
    m.insert(LESSON.to_string(), lesson.to_string());
    m.insert(PURPOSE.to_string(), purpose.to_string());
    m
}

/// A name for a helper container that no learner would choose.
pub fn helper_name(purpose: &str) -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "dockdojo-{purpose}-{:x}{:x}",
        std::process::id(),
        nanos & 0xffff_ffff
    )
}
