//! Reports for an instructor or a grader: JSON, JUnit XML, Markdown.
//!
//! Every report carries a SHA-256 digest over a canonical serialisation of
//! the per-lesson results (the compact JSON of the `lessons` array, fields in
//! the order they are declared here). It makes accidental edits detectable;
//! it is NOT tamper-proof: anyone can edit the results and recompute it.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{LessonStatus, Progress};
use crate::check::{CheckResult, Status};
use crate::lesson::Pack;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub dockdojo_version: String,
    pub generated_at: String,
    pub pack: PackInfo,
    pub engine: EngineInfo,
    pub summary: Summary,
    pub lessons: Vec<LessonReport>,
    pub digest: DigestInfo,
}

#[derive(Debug, Clone, Serialize)]
pub struct PackInfo {
    pub title: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EngineInfo {
    pub reachable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// Why the engine could not be asked (when not reachable).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub lessons: usize,
    pub passed: usize,
    pub failing: usize,
    pub not_started: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LessonReport {
    pub number: usize,
    pub id: String,
    pub title: String,
    pub status: LessonStatus,
    pub passed_at: Option<String>,
    pub last_checked_at: Option<String>,
    pub hints_shown: usize,
    /// The latest result of every check (empty when never checked).
    pub checks: Vec<CheckReport>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CheckReport {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub expected: String,
    pub actual: String,
    pub message: String,
}

impl From<&CheckResult> for CheckReport {
    fn from(c: &CheckResult) -> Self {
        CheckReport {
            id: c.id.clone(),
            title: c.title.clone(),
            status: c.status,
            expected: c.expected.clone(),
            actual: c.actual.clone(),
            message: c.message.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DigestInfo {
    pub algorithm: &'static str,
    pub covers: &'static str,
    pub value: String,
    pub note: &'static str,
}

pub const DIGEST_NOTE: &str =
    "SHA-256 of the canonical JSON of `lessons` (keys sorted, no whitespace: \
     `jq -cS .lessons report.json | tr -d '\\n' | sha256sum`); detects accidental edits, \
     is not tamper-proof (anyone can recompute it)";

/// Per-lesson rows from the pack and the saved progress.
pub fn lesson_reports(pack: &Pack, progress: &Progress) -> Vec<LessonReport> {
    pack.lessons
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let lp = progress.lessons.get(&l.id);
            LessonReport {
                number: i + 1,
                id: l.id.clone(),
                title: l.title.clone(),
                status: progress.status(&l.id),
                passed_at: lp.and_then(|p| p.passed_at.clone()),
                last_checked_at: lp.and_then(|p| p.last_checked_at.clone()),
                hints_shown: lp.map(|p| p.hints_shown).unwrap_or(0),
                checks: lp
                    .and_then(|p| p.last_result.as_ref())
                    .map(|r| r.checks.iter().map(CheckReport::from).collect())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// The digest of the lesson rows: hex SHA-256 of their canonical JSON
/// (object keys sorted, no whitespace; what `jq -cS .lessons` prints).
pub fn digest(lessons: &[LessonReport]) -> String {
    let value = serde_json::to_value(lessons).unwrap_or(serde_json::Value::Null);
    let mut bytes = String::new();
    canonical_json(&value, &mut bytes);
    let hash = Sha256::digest(bytes.as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compact JSON with object keys sorted at every level.
pub fn canonical_json(v: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical_json(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical_json(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

pub fn build(pack: &Pack, progress: &Progress, engine: EngineInfo, generated_at: String) -> Report {
    let lessons = lesson_reports(pack, progress);
    let count = |s: LessonStatus| lessons.iter().filter(|l| l.status == s).count();
    let summary = Summary {
        lessons: lessons.len(),
        passed: count(LessonStatus::Passed),
        failing: count(LessonStatus::Failing),
        not_started: count(LessonStatus::NotStarted),
    };
    let value = digest(&lessons);
    Report {
        dockdojo_version: env!("CARGO_PKG_VERSION").to_string(),
        generated_at,
        pack: PackInfo {
            title: pack.manifest.title.clone(),
            source: match &pack.source {
                crate::lesson::PackSource::BuiltIn => "built-in".to_string(),
                crate::lesson::PackSource::Dir(d) => d.display().to_string(),
            },
        },
        engine,
        summary,
        lessons,
        digest: DigestInfo {
            algorithm: "sha256",
            covers: "lessons",
            value,
            note: DIGEST_NOTE,
        },
    }
}

pub fn to_json(r: &Report) -> String {
    let mut s =
        serde_json::to_string_pretty(r).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

/// XML-escape text and drop characters XML 1.0 cannot carry.
pub fn xml_escape(s: &str) -> String {
    crate::check::junit::escape(s)
}

/// JUnit XML ([`crate::check::junit`]), with the report's facts as properties.
pub fn to_junit(r: &Report) -> String {
    let engine = engine_line(&r.engine);
    let properties = [
        ("dockdojo.version", r.dockdojo_version.as_str()),
        ("generated_at", r.generated_at.as_str()),
        ("engine", engine.as_str()),
        ("digest.sha256", r.digest.value.as_str()),
    ];
    let suites: Vec<crate::check::junit::Suite<'_>> = r
        .lessons
        .iter()
        .map(|l| crate::check::junit::Suite {
            name: std::borrow::Cow::Borrowed(&l.id),
            cases: l
                .checks
                .iter()
                .map(|c| crate::check::junit::Case {
                    id: &c.id,
                    title: &c.title,
                    status: c.status,
                    message: &c.message,
                    expected: &c.expected,
                    actual: &c.actual,
                    hint: None,
                    duration_ms: None,
                })
                .collect(),
        })
        .collect();
    crate::check::junit::xml(&suites, &properties, Some(&r.generated_at))
}

fn engine_line(e: &EngineInfo) -> String {
    if e.reachable {
        format!(
            "Docker {} (API {}) at {}, {}",
            e.version.as_deref().unwrap_or("?"),
            e.api_version.as_deref().unwrap_or("?"),
            e.endpoint.as_deref().unwrap_or("?"),
            e.platform.as_deref().unwrap_or("platform unknown")
        )
    } else {
        format!(
            "not reachable: {}",
            e.error.as_deref().unwrap_or("unknown reason")
        )
    }
}

fn md_cell(s: &str) -> String {
    crate::sanitize::clean_line(s)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
}

fn status_mark(s: Status) -> &'static str {
    match s {
        Status::Pass => "✔ pass",
        Status::Fail => "✘ fail",
        Status::Error => "! error",
        Status::Skipped => "skipped",
        Status::Unsupported => "~ not on this engine",
    }
}

pub fn to_markdown(r: &Report) -> String {
    let mut m = String::new();
    m.push_str(&format!(
        "# dockdojo report: {}\n\n",
        md_cell(&r.pack.title)
    ));
    m.push_str(&format!(
        "- generated: {}\n- dockdojo: {}\n- engine: {}\n- progress: {} of {} lessons passed, {} failing, {} not started\n\n",
        r.generated_at,
        r.dockdojo_version,
        md_cell(&engine_line(&r.engine)),
        r.summary.passed,
        r.summary.lessons,
        r.summary.failing,
        r.summary.not_started
    ));
    m.push_str("| # | lesson | status | passed at | last checked | hints |\n");
    m.push_str("|---|---|---|---|---|---|\n");
    for l in &r.lessons {
        m.push_str(&format!(
            "| {} | {} ({}) | {} | {} | {} | {} |\n",
            l.number,
            md_cell(&l.title),
            md_cell(&l.id),
            l.status.as_str(),
            l.passed_at.as_deref().unwrap_or("-"),
            l.last_checked_at.as_deref().unwrap_or("-"),
            l.hints_shown
        ));
    }
    for l in r.lessons.iter().filter(|l| !l.checks.is_empty()) {
        m.push_str(&format!(
            "\n## {}. {}\n\n| check | status | expected | actual |\n|---|---|---|---|\n",
            l.number,
            md_cell(&l.title)
        ));
        for c in &l.checks {
            m.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                md_cell(&c.title),
                status_mark(c.status),
                md_cell(&c.expected),
                md_cell(&c.actual)
            ));
        }
    }
    m.push_str(&format!(
        "\nDigest (sha256 over the lesson results): `{}`. It detects accidental edits; it is not tamper-proof.\n",
        r.digest.value
    ));
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<LessonReport> {
        vec![LessonReport {
            number: 1,
            id: "a".into(),
            title: "A <b> & \"c\"".into(),
            status: LessonStatus::Failing,
            passed_at: None,
            last_checked_at: Some("2026-01-01T00:00:00Z".into()),
            hints_shown: 1,
            checks: vec![CheckReport {
                id: "small".into(),
                title: "is | small".into(),
                status: Status::Fail,
                expected: "at most 20 MB".into(),
                actual: "462 MB".into(),
                message: "too big\u{1b}[2J".into(),
            }],
        }]
    }

    fn report(lessons: Vec<LessonReport>) -> Report {
        Report {
            dockdojo_version: "0.1.0".into(),
            generated_at: "2026-01-01T00:00:00Z".into(),
            pack: PackInfo {
                title: "T".into(),
                source: "built-in".into(),
            },
            engine: EngineInfo {
                reachable: false,
                endpoint: None,
                version: None,
                api_version: None,
                platform: None,
                error: Some("no socket".into()),
            },
            summary: Summary {
                lessons: 1,
                passed: 0,
                failing: 1,
                not_started: 0,
            },
            digest: DigestInfo {
                algorithm: "sha256",
                covers: "lessons",
                value: digest(&lessons),
                note: DIGEST_NOTE,
            },
            lessons,
        }
    }

    #[test]
    fn digest_changes_with_any_edit() {
        let a = rows();
        let mut b = rows();
        assert_eq!(digest(&a), digest(&b));
        assert_eq!(digest(&a).len(), 64);
        b[0].checks[0].status = Status::Pass;
        assert_ne!(digest(&a), digest(&b));
        let mut c = rows();
        c[0].passed_at = Some("2026-01-01T00:00:01Z".into());
        assert_ne!(digest(&a), digest(&c));
    }

    #[test]
    fn junit_is_escaped_and_counts_failures() {
        let x = to_junit(&report(rows()));
        assert!(x.contains("failures=\"1\""), "{x}");
        assert!(
            x.contains("<failure message=\"too big\u{fffd}[2J (expected: "),
            "{x}"
        );
        assert!(x.contains("name=\"small: is | small\""), "{x}");
        assert!(!x.contains('\u{1b}'));
        assert!(x.contains("not reachable: no socket"));
        let mut r = rows();
        r[0].checks.clear();
        let x = to_junit(&report(r));
        assert!(x.contains("<skipped message=\"not checked yet\"/>"), "{x}");
    }

    #[test]
    fn markdown_escapes_pipes_and_escapes() {
        let m = to_markdown(&report(rows()));
        assert!(m.contains("is \\| small"), "{m}");
        assert!(m.contains("| ✘ fail | at most 20 MB | 462 MB |"), "{m}");
        assert!(!m.contains('\u{1b}'));
        assert!(m.contains("not tamper-proof"));
    }

    #[test]
    fn json_has_digest_of_lessons() {
        let r = report(rows());
        let v: serde_json::Value = serde_json::from_str(&to_json(&r)).expect("json");
        let mut canon = String::new();
        canonical_json(&v["lessons"], &mut canon);
        assert!(canon.starts_with("[{\"checks\":[{\"actual\":"), "{canon}");
        let hash: String = Sha256::digest(canon.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(v["digest"]["value"], hash.as_str());
        assert_eq!(v["lessons"][0]["status"], "failing");
    }
}
