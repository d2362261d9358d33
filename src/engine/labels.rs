//! Labels on everything dockdojo creates.

use std::collections::HashMap;
use std::sync::OnceLock;

/// `dev.dockdojo.managed=true` on every probe, scan and helper object.
pub const MANAGED: &str = "dev.dockdojo.managed";
/// The lesson id the object was created for.
pub const LESSON: &str = "dev.dockdojo.lesson";
/// A per-install random value: a label alone does not prove dockdojo made an
/// object (image labels are inherited), this value plus recorded ids does.
pub const INSTALL: &str = "dev.dockdojo.install";
/// What the object is for: `scan`, `probe`, `run`.
pub const PURPOSE: &str = "dev.dockdojo.purpose";
/// The id of the dockdojo process that created the object: a helper whose
/// process no longer runs is a leftover of a killed or cut-off run.
pub const PID: &str = "dev.dockdojo.pid";

/// The purposes of short-lived helper containers (removed when a check ends).
pub const HELPER_PURPOSES: &[&str] = &["scan", "probe", "run"];

/// `dockdojo-<purpose>-<hex>`: the name of one of dockdojo's own short-lived
/// helper containers (probes, scans), not something the learner made.
pub fn is_helper_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("dockdojo-") else {
        return false;
    };
    match rest.rsplit_once('-') {
        Some((purpose, hex)) => {
            !purpose.is_empty() && !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit())
        }
        None => false,
    }
}

/// This install's `dev.dockdojo.install` value (from `DOCKDOJO_HOME`), read
/// once per process. `None` when the home directory cannot be written: the
/// helpers are then labelled without it (and only `reset` finds them).
pub fn this_install() -> Option<&'static str> {
    static VALUE: OnceLock<Option<String>> = OnceLock::new();
    VALUE
        .get_or_init(
            || match super::cleanup::install_id(&crate::paths::dockdojo_home()) {
                Ok(id) => Some(id),
                Err(e) => {
                    tracing::warn!("no install id for helper labels: {e}");
                    None
                }
            },
        )
        .as_deref()
}

/// Labels for a helper object created while evaluating `lesson`: managed,
/// lesson, purpose, this install's value and this process's id.
pub fn helper_labels(lesson: &str, purpose: &str) -> HashMap<String, String> {
    let mut m = base_labels(lesson, purpose);
    if let Some(id) = this_install() {
        m.insert(INSTALL.to_string(), id.to_string());
    }
    m
}

/// The labels that need no I/O: managed, lesson, purpose, pid.
pub(crate) fn base_labels(lesson: &str, purpose: &str) -> HashMap<String, String> {
    let mut m = HashMap::new();
    m.insert(MANAGED.to_string(), "true".to_string());
    m.insert(LESSON.to_string(), lesson.to_string());
    m.insert(PURPOSE.to_string(), purpose.to_string());
    m.insert(PID.to_string(), std::process::id().to_string());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_labels_carry_purpose_and_pid() {
        let l = base_labels("ms", "scan");
        assert_eq!(l[MANAGED], "true");
        assert_eq!(l[LESSON], "ms");
        assert_eq!(l[PURPOSE], "scan");
        assert_eq!(l[PID], std::process::id().to_string());
        assert!(helper_name("probe").starts_with("dockdojo-probe-"));
    }
}
