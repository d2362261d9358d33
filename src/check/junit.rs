//! JUnit XML, the one writer for `check --junit` and `report --format junit`:
//! one `testsuite` per lesson, one `testcase` per check. A lesson with no
//! checks yet is one skipped testcase, so graders see it. `unsupported`
//! checks are reported as skipped, with their reason.

use super::Status;

/// One check as JUnit sees it.
pub struct Case<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub status: Status,
    pub message: &'a str,
    pub expected: &'a str,
    pub actual: &'a str,
    pub hint: Option<&'a str>,
    pub duration_ms: Option<u64>,
}

/// One lesson (for a class export, one learner's lesson).
pub struct Suite<'a> {
    pub name: std::borrow::Cow<'a, str>,
    pub cases: Vec<Case<'a>>,
}

impl<'a> Suite<'a> {
    /// A lesson's check results, named after the lesson.
    pub fn of(r: &'a super::LessonResult) -> Suite<'a> {
        Suite {
            name: std::borrow::Cow::Borrowed(&r.lesson),
            cases: r
                .checks
                .iter()
                .map(|c| Case {
                    id: &c.id,
                    title: &c.title,
                    status: c.status,
                    message: &c.message,
                    expected: &c.expected,
                    actual: &c.actual,
                    hint: c.hint.as_deref(),
                    duration_ms: Some(c.duration_ms),
                })
                .collect(),
        }
    }
}

/// The document. `properties` and `timestamp` describe the run (dockdojo's
/// version, the engine, when the report was made).
pub fn xml(suites: &[Suite<'_>], properties: &[(&str, &str)], timestamp: Option<&str>) -> String {
    let count = |cases: &[Case<'_>], pick: &dyn Fn(Status) -> bool| {
        cases.iter().filter(|c| pick(c.status)).count()
    };
    let fail = |s: Status| s == Status::Fail;
    let error = |s: Status| s == Status::Error;
    let skip = |s: Status| matches!(s, Status::Skipped | Status::Unsupported);
    let tests: usize = suites.iter().map(|s| s.cases.len().max(1)).sum();
    let total = |pick: &dyn Fn(Status) -> bool| -> usize {
        suites.iter().map(|s| count(&s.cases, pick)).sum()
    };
    let skipped_total: usize = suites
        .iter()
        .map(|s| {
            if s.cases.is_empty() {
                1
            } else {
                count(&s.cases, &skip)
            }
        })
        .sum();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(&format!(
        "<testsuites name=\"dockdojo\" tests=\"{tests}\" failures=\"{}\" errors=\"{}\" skipped=\"{skipped_total}\"{}>\n",
        total(&fail),
        total(&error),
        timestamp
            .map(|t| format!(" timestamp=\"{}\"", escape(t)))
            .unwrap_or_default()
    ));
    if !properties.is_empty() {
        x.push_str("  <properties>\n");
        for (k, v) in properties {
            x.push_str(&format!(
                "    <property name=\"{}\" value=\"{}\"/>\n",
                escape(k),
                escape(v)
            ));
        }
        x.push_str("  </properties>\n");
    }
    for s in suites {
        let ms: u64 = s.cases.iter().filter_map(|c| c.duration_ms).sum();
        x.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3}\">\n",
            escape(&s.name),
            s.cases.len().max(1),
            count(&s.cases, &fail),
            count(&s.cases, &error),
            if s.cases.is_empty() { 1 } else { count(&s.cases, &skip) },
            ms as f64 / 1000.0
        ));
        if s.cases.is_empty() {
            x.push_str(&format!(
                "    <testcase classname=\"{0}\" name=\"{0}\"><skipped message=\"not checked yet\"/></testcase>\n",
                escape(&s.name)
            ));
        }
        for c in &s.cases {
            x.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
                escape(&s.name),
                escape(&format!("{}: {}", c.id, c.title)),
                c.duration_ms.unwrap_or(0) as f64 / 1000.0
            ));
            let summary = format!(
                "{} (expected: {}; actual: {})",
                c.message, c.expected, c.actual
            );
            let detail = format!(
                "{}\nexpected: {}\nactual: {}{}",
                c.message,
                c.expected,
                c.actual,
                c.hint.map(|h| format!("\nhint: {h}")).unwrap_or_default()
            );
            match c.status {
                Status::Pass => x.push_str("/>\n"),
                Status::Fail => x.push_str(&format!(
                    "><failure message=\"{}\" type=\"fail\">{}</failure></testcase>\n",
                    escape(&summary),
                    escape(&detail)
                )),
                Status::Error => x.push_str(&format!(
                    "><error message=\"{}\" type=\"error\">{}</error></testcase>\n",
                    escape(&summary),
                    escape(&detail)
                )),
                Status::Skipped | Status::Unsupported => x.push_str(&format!(
                    "><skipped message=\"{}\"/></testcase>\n",
                    escape(c.message)
                )),
            }
        }
        x.push_str("  </testsuite>\n");
    }
    x.push_str("</testsuites>\n");
    x
}

/// XML text and attribute escaping; characters XML 1.0 cannot hold become
/// U+FFFD, so a reader sees that something was there.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' | '\n' | '\r' => o.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => o.push('\u{fffd}'),
            c => o.push(c),
        }
    }
    o
}
