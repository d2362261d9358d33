//! Evaluation: pure functions from a check's fields and the gathered facts
//! to a status with `expected`, `actual` and a message a learner understands.

use crate::check::dockerfile;
use crate::check::facts::*;
use crate::check::glob;
use crate::check::sets;
use crate::check::Status;
use crate::lesson::size::format_size;
use crate::lesson::Reach;

/// The evaluated part of a check result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: Status,
    pub expected: String,
    pub actual: String,
    pub message: String,
}

impl Outcome {
    pub(crate) fn new(
        status: Status,
        expected: impl Into<String>,
        actual: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Outcome {
            status,
            expected: expected.into(),
            actual: actual.into(),
            message: message.into(),
        }
    }
    pub(crate) fn pass(
        expected: impl Into<String>,
        actual: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Status::Pass, expected, actual, message)
    }
    pub(crate) fn fail(
        expected: impl Into<String>,
        actual: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Status::Fail, expected, actual, message)
    }
    /// dockdojo could not evaluate the check.
    pub fn error(expected: impl Into<String>, e: &FactError) -> Self {
        Self::new(Status::Error, expected, "could not be checked", e.0.clone())
    }
    /// A check this engine cannot serve: `reason` says why.
    pub fn unsupported(reason: &str) -> Self {
        Self::new(
            Status::Unsupported,
            "a check this engine can serve",
            "not on this engine",
            reason,
        )
    }
    /// A check skipped because a check it needs did not pass.
    pub fn skipped(needed: &str, status: Status) -> Self {
        Self::new(
            Status::Skipped,
            format!("check `{needed}` passes first"),
            format!("`{needed}` is {}", status.as_str()),
            format!("Not checked yet: it needs check `{needed}` to pass first."),
        )
    }
}

/// `name` with the default tag: `calc-app` -> `calc-app:latest`.
pub fn normalize_image(name: &str) -> String {
    crate::engine::image_ref::with_tag(name)
}

/// The learner-facing "no such image" outcome.
fn missing_image(image: &str, expected: String) -> Outcome {
    Outcome::fail(
        expected,
        format!("no image named {}", normalize_image(image)),
        format!(
            "There is no image named {}; build it with `docker build -t {image} .`",
            normalize_image(image)
        ),
    )
}

/// Unwrap an image fact or return the outcome for "error" / "missing".
pub(crate) fn with_image<'a>(
    image: &str,
    expected: &str,
    f: &'a Fact<Option<ImageFacts>>,
) -> Result<&'a ImageFacts, Outcome> {
    match f {
        Err(e) => Err(Outcome::error(expected, e)),
        Ok(None) => Err(missing_image(image, expected.to_string())),
        Ok(Some(i)) => Ok(i),
    }
}

fn short_id(id: &str) -> &str {
    let s = id.strip_prefix("sha256:").unwrap_or(id);
    &s[..s.len().min(12)]
}

pub fn image_exists(image: &str, f: &Fact<Option<ImageFacts>>) -> Outcome {
    let expected = format!("an image named {}", normalize_image(image));
    let i = match with_image(image, &expected, f) {
        Ok(i) => i,
        Err(o) => return o,
    };
    Outcome::pass(
        expected,
        format!(
            "{} (id {}, {})",
            i.reference,
            short_id(&i.id),
            format_size(i.size)
        ),
        format!("{} exists.", i.reference),
    )
}

fn bounds_text(max: Option<u64>, min: Option<u64>) -> String {
    match (min, max) {
        (Some(lo), Some(hi)) => format!("between {} and {}", format_size(lo), format_size(hi)),
        (None, Some(hi)) => format!("at most {}", format_size(hi)),
        (Some(lo), None) => format!("at least {}", format_size(lo)),
        (None, None) => "any size".to_string(),
    }
}

pub fn image_size(
    image: &str,
    max: Option<u64>,
    min: Option<u64>,
    f: &Fact<Option<ImageFacts>>,
) -> Outcome {
    let expected = bounds_text(max, min);
    let i = match with_image(image, &expected, f) {
        Ok(i) => i,
        Err(o) => return o,
    };
    let actual = format!("{} (unpacked)", format_size(i.size));
    let too_big = max.is_some_and(|m| i.size > m);
    let too_small = min.is_some_and(|m| i.size < m);
    if too_big || too_small {
        Outcome::fail(
            expected.clone(),
            actual,
            format!(
                "{image} is {}; the goal is {expected}.",
                format_size(i.size)
            ),
        )
    } else {
        Outcome::pass(
            expected.clone(),
            actual,
            format!(
                "{image} is {}, within the goal of {expected}.",
                format_size(i.size)
            ),
        )
    }
}

fn ratio_text(r: f64) -> String {
    if r >= 0.1 {
        format!("{r:.2}")
    } else {
        format!("{r:.4}")
    }
}

pub fn image_size_ratio(
    image: &str,
    of: &str,
    max: f64,
    f_image: &Fact<Option<ImageFacts>>,
    f_of: &Fact<Option<ImageFacts>>,
) -> Outcome {
    let expected = format!("at most {} × the size of {of}", ratio_text(max));
    let a = match with_image(image, &expected, f_image) {
        Ok(i) => i,
        Err(o) => return o,
    };
    let b = match with_image(of, &expected, f_of) {
        Ok(i) => i,
        Err(o) => return o,
    };
    if b.size == 0 {
        return Outcome::error(
            expected,
            &FactError(format!(
                "{of} reports a size of 0 bytes, so there is nothing to compare against"
            )),
        );
    }
    let r = a.size as f64 / b.size as f64;
    let actual = format!(
        "{} ({} / {}, unpacked)",
        ratio_text(r),
        format_size(a.size),
        format_size(b.size)
    );
    let expected = format!("{expected} ({})", format_size((b.size as f64 * max) as u64));
    if r <= max {
        Outcome::pass(
            expected,
            actual,
            format!(
                "{image} is {} the size of {of} ({} vs {}).",
                ratio_text(r),
                format_size(a.size),
                format_size(b.size)
            ),
        )
    } else {
        Outcome::fail(
            expected,
            actual,
            format!(
                "{image} is {} the size of {of} ({} vs {}); the goal is at most {}.",
                ratio_text(r),
                format_size(a.size),
                format_size(b.size),
                ratio_text(max)
            ),
        )
    }
}

fn list_some(items: &[String], max: usize) -> String {
    if items.len() <= max {
        items.join(", ")
    } else {
        format!("{} and {} more", items[..max].join(", "), items.len() - max)
    }
}

/// What `image.lacks` asks for, in words: "no shell, no compiler or build tool, none of /etc/x".
fn lacks_expected(paths: &[String], set_names: &[crate::lesson::PathSet]) -> String {
    let mut parts: Vec<String> = set_names
        .iter()
        .map(|s| format!("no {}", sets::describe(*s).trim_start_matches("a ")))
        .collect();
    if !paths.is_empty() {
        parts.push(format!("none of {}", list_some(paths, 6)));
    }
    parts.join(", ")
}

pub fn image_lacks(
    image: &str,
    paths: &[String],
    set_names: &[crate::lesson::PathSet],
    f_image: &Fact<Option<ImageFacts>>,
    f_paths: &Fact<Vec<PathMatch>>,
) -> Outcome {
    let expected = lacks_expected(paths, set_names);
    if let Err(o) = with_image(image, &expected, f_image) {
        return o;
    }
    let matches = match f_paths {
        Ok(m) => m,
        Err(e) => return Outcome::error(expected, e),
    };
    // one file once: on merged-/usr images /bin/apt and /usr/bin/apt are the same
    let mut seen = std::collections::HashSet::new();
    let deduped: Vec<PathMatch> = matches
        .iter()
        .map(|m| {
            let mut m = m.clone();
            let keep: Vec<bool> = (0..m.present.len())
                .map(|i| seen.insert(m.canonical.get(i).unwrap_or(&m.present[i]).clone()))
                .collect();
            let mut k = keep.iter();
            m.present.retain(|_| *k.next().unwrap_or(&true));
            m
        })
        .collect();
    let found: Vec<&PathMatch> = deduped.iter().filter(|m| !m.present.is_empty()).collect();
    if found.is_empty() {
        return Outcome::pass(
            expected,
            format!("none of the {} paths looked for exists", matches.len()),
            format!("{image} has {}.", lacks_expected(paths, set_names)),
        );
    }
    let all_found: Vec<String> = found
        .iter()
        .flat_map(|m| m.present.iter().cloned())
        .collect();
    let mut groups: Vec<String> = Vec::new();
    for s in set_names {
        let hits: Vec<String> = found
            .iter()
            .filter(|m| m.set == Some(*s))
            .flat_map(|m| m.present.iter().cloned())
            .collect();
        if !hits.is_empty() {
            groups.push(format!("{} ({})", sets::describe(*s), list_some(&hits, 4)));
        }
    }
    let loose: Vec<String> = found
        .iter()
        .filter(|m| m.set.is_none())
        .flat_map(|m| m.present.iter().cloned())
        .collect();
    if !loose.is_empty() {
        groups.push(list_some(&loose, 4));
    }
    Outcome::fail(
        expected.clone(),
        format!("present: {}", list_some(&all_found, 8)),
        format!(
            "{image} still contains {}; the goal is {expected}.",
            groups.join(" and ")
        ),
    )
}

pub fn image_has(
    image: &str,
    paths: &[String],
    f_image: &Fact<Option<ImageFacts>>,
    f_paths: &Fact<Vec<PathMatch>>,
) -> Outcome {
    let expected = format!("all of {}", list_some(paths, 8));
    if let Err(o) = with_image(image, &expected, f_image) {
        return o;
    }
    let matches = match f_paths {
        Ok(m) => m,
        Err(e) => return Outcome::error(expected, e),
    };
    let missing: Vec<String> = matches
        .iter()
        .filter(|m| m.present.is_empty())
        .map(|m| m.pattern.clone())
        .collect();
    let present: Vec<String> = matches
        .iter()
        .flat_map(|m| m.present.iter().cloned())
        .collect();
    if missing.is_empty() {
        Outcome::pass(
            expected,
            format!("all present: {}", list_some(&present, 8)),
            format!("{image} has every path it needs."),
        )
    } else {
        Outcome::fail(
            expected,
            format!("missing {}", list_some(&missing, 8)),
            format!(
                "{image} lacks {}; the goal is that it has them.",
                list_some(&missing, 8)
            ),
        )
    }
}

/// True when `user` (Config.User) means root.
pub fn is_root_user(user: &str) -> bool {
    let u = user.trim();
    let name = u.split(':').next().unwrap_or(u);
    name.is_empty() || name == "0" || name == "root"
}

fn user_text(user: &str) -> String {
    if user.trim().is_empty() {
        "root (no USER set; Config.User is empty)".to_string()
    } else if is_root_user(user) {
        format!("root (Config.User is {user})")
    } else {
        format!("{user} (Config.User)")
    }
}

pub fn image_user(
    image: &str,
    not_root: bool,
    user: Option<&str>,
    f: &Fact<Option<ImageFacts>>,
) -> Outcome {
    let expected = match user {
        Some(u) => format!("user {u}"),
        None if not_root => "a user other than root".to_string(),
        None => "any user".to_string(),
    };
    let i = match with_image(image, &expected, f) {
        Ok(i) => i,
        Err(o) => return o,
    };
    let actual = user_text(&i.user);
    if let Some(want) = user {
        let have = i.user.trim();
        let matches = have == want || (!want.contains(':') && have.split(':').next() == Some(want));
        if !matches {
            return Outcome::fail(
                expected,
                actual,
                format!(
                    "{image} runs as {}; the goal is user {want} (USER {want} in the final stage).",
                    user_text(&i.user)
                ),
            );
        }
    }
    if not_root && is_root_user(&i.user) {
        return Outcome::fail(
            expected,
            actual,
            format!("{image} runs as root; the goal is a non-root user (add e.g. USER 65532 to the final stage)."),
        );
    }
    Outcome::pass(
        expected,
        actual.clone(),
        format!("{image} runs as {actual}."),
    )
}

pub fn image_layers(image: &str, max: u32, f: &Fact<Option<ImageFacts>>) -> Outcome {
    let expected = format!("at most {max} layers");
    let i = match with_image(image, &expected, f) {
        Ok(i) => i,
        Err(o) => return o,
    };
    let actual = format!("{} layers (image inspect RootFS.Layers)", i.layers);
    if i.layers as u64 <= max as u64 {
        Outcome::pass(
            expected,
            actual,
            format!("{image} has {} layers.", i.layers),
        )
    } else {
        Outcome::fail(
            expected,
            actual,
            format!(
                "{image} has {} layers; the goal is at most {max}.",
                i.layers
            ),
        )
    }
}

pub fn image_packages(
    image: &str,
    max: u32,
    f_image: &Fact<Option<ImageFacts>>,
    f: &Fact<PackageCount>,
) -> Outcome {
    let expected = format!("at most {max} OS packages");
    if let Err(o) = with_image(image, &expected, f_image) {
        return o;
    }
    let p = match f {
        Ok(p) => p,
        Err(e) => return Outcome::error(expected, e),
    };
    let actual = if p.sources.is_empty() {
        "0 packages (no dpkg or apk package database)".to_string()
    } else {
        format!("{} packages ({})", p.count, p.sources.join(", "))
    };
    if p.count <= max {
        Outcome::pass(
            expected,
            actual,
            format!("{image} has {} OS packages.", p.count),
        )
    } else {
        Outcome::fail(
            expected,
            actual,
            format!(
                "{image} has {} OS packages; the goal is at most {max}.",
                p.count
            ),
        )
    }
}

/// The fields of an `image.run` check.
#[derive(Debug, Clone, Copy)]
pub struct RunSpec<'a> {
    pub image: &'a str,
    pub args: &'a [String],
    pub stdin: Option<&'a str>,
    pub stdout_contains: Option<&'a str>,
    pub stdout_equals: Option<&'a str>,
    pub exit_code: Option<i64>,
    pub timeout: std::time::Duration,
}

fn quote_short(s: &str) -> String {
    let t = s.trim_end_matches(['\n', '\r']);
    let mut out: String = t.chars().take(200).collect();
    if t.chars().count() > 200 {
        out.push('…');
    }
    format!("{out:?}")
}

fn secs(d: std::time::Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{} s", s as u64)
    } else {
        format!("{s:.1} s")
    }
}

pub fn image_run(
    spec: &RunSpec<'_>,
    f_image: &Fact<Option<ImageFacts>>,
    f: &Fact<RunOutput>,
) -> Outcome {
    let want_code = spec.exit_code.unwrap_or(0);
    let mut exp = Vec::new();
    if let Some(e) = spec.stdout_equals {
        exp.push(format!("prints exactly {}", quote_short(e)));
    }
    if let Some(c) = spec.stdout_contains {
        exp.push(format!("prints {}", quote_short(c)));
    }
    exp.push(format!(
        "exits with {want_code} within {}",
        secs(spec.timeout)
    ));
    let mut expected = exp.join(", ");
    if let Some(i) = spec.stdin {
        expected = format!("given {} on stdin, {expected}", quote_short(i));
    }
    if let Err(o) = with_image(spec.image, &expected, f_image) {
        return o;
    }
    let out = match f {
        Ok(o) => o,
        Err(e) => return Outcome::error(expected, e),
    };
    let cmd = if spec.args.is_empty() {
        format!("docker run -i --rm {}", spec.image)
    } else {
        format!("docker run -i --rm {} {}", spec.image, spec.args.join(" "))
    };
    if let Some(err) = &out.start_error {
        return Outcome::fail(
            expected,
            format!("did not start: {err}"),
            format!("`{cmd}` does not start: {err}"),
        );
    }
    let mut actual = format!("printed {}", quote_short(&out.stdout));
    if out.timed_out {
        actual.push_str(&format!(
            " and was still running after {}",
            secs(spec.timeout)
        ));
        return Outcome::fail(
            expected,
            actual,
            format!(
                "`{cmd}` did not finish within {}; does the program wait for more input or run a server?",
                secs(spec.timeout)
            ),
        );
    }
    match out.exit_code {
        Some(c) => actual.push_str(&format!(", exited with {c}")),
        None => actual.push_str(", exit code unknown"),
    }
    let stderr_note = if out.stderr.trim().is_empty() {
        String::new()
    } else {
        format!(" It wrote to stderr: {}", quote_short(out.stderr.trim()))
    };
    if let Some(e) = spec.stdout_equals {
        if out.stdout.trim_end() != e.trim_end() {
            return Outcome::fail(
                expected,
                actual,
                format!(
                    "`{cmd}` printed {} instead of {}.{stderr_note}",
                    quote_short(&out.stdout),
                    quote_short(e)
                ),
            );
        }
    }
    if let Some(c) = spec.stdout_contains {
        if !out.stdout.contains(c) {
            return Outcome::fail(
                expected,
                actual,
                format!(
                    "`{cmd}` printed {}, which does not contain {}.{stderr_note}",
                    quote_short(&out.stdout),
                    quote_short(c)
                ),
            );
        }
    }
    if out.exit_code != Some(want_code) {
        return Outcome::fail(
            expected,
            actual,
            format!(
                "`{cmd}` exited with {}; the goal is {want_code}.{stderr_note}",
                out.exit_code
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "an unknown code".into())
            ),
        );
    }
    Outcome::pass(expected, actual, format!("`{cmd}` works as expected."))
}

/// Dockerfile text: `Ok(None)` when the file does not exist.
pub fn dockerfile_stages(file: &str, min: u32, f: &Fact<Option<String>>) -> Outcome {
    let expected = format!("at least {min} FROM stages in {file}");
    let text = match f {
        Err(e) => return Outcome::error(expected, e),
        Ok(None) => {
            return Outcome::fail(
                expected,
                format!("no file {file}"),
                format!("There is no {file} in the lesson folder yet; write one there."),
            )
        }
        Ok(Some(t)) => t,
    };
    let st = dockerfile::stages(text);
    let listing: Vec<String> = st
        .iter()
        .map(|s| format!("FROM {} (line {})", s.base, s.line))
        .collect();
    let actual = match st.len() {
        0 => "no FROM line".to_string(),
        1 => format!("1 stage: {}", listing.join(", ")),
        n => format!("{n} stages: {}", list_some(&listing, 4)),
    };
    if st.len() as u64 >= min as u64 {
        Outcome::pass(expected, actual, format!("{file} has {} stages.", st.len()))
    } else {
        Outcome::fail(
            expected,
            actual,
            format!(
                "{file} has {} stage{}; the goal is at least {min}: build in one stage, then start a new FROM for the final image.",
                st.len(),
                if st.len() == 1 { "" } else { "s" }
            ),
        )
    }
}

pub fn dockerfile_final_base(file: &str, any_of: &[String], f: &Fact<Option<String>>) -> Outcome {
    let expected = format!("the final stage starts FROM {}", any_of.join(" or "));
    let text = match f {
        Err(e) => return Outcome::error(expected, e),
        Ok(None) => {
            return Outcome::fail(
                expected,
                format!("no file {file}"),
                format!("There is no {file} in the lesson folder yet; write one there."),
            )
        }
        Ok(Some(t)) => t,
    };
    let st = dockerfile::stages(text);
    let Some((written, resolved)) = dockerfile::final_base(&st) else {
        return Outcome::fail(
            expected,
            "no FROM line",
            format!("{file} has no FROM line."),
        );
    };
    let line = st.last().map(|s| s.line).unwrap_or(0);
    let actual = if written == resolved {
        format!("FROM {written} (line {line})")
    } else {
        format!("FROM {written} (line {line}), which starts FROM {resolved}")
    };
    let spellings = dockerfile::reference_spellings(&resolved);
    let ok = any_of
        .iter()
        .any(|p| spellings.iter().any(|s| glob::wildcard(p, s)));
    if ok {
        Outcome::pass(
            expected,
            actual,
            format!("The final stage of {file} starts FROM {resolved}."),
        )
    } else {
        Outcome::fail(
            expected.clone(),
            actual,
            format!(
                "The final stage of {file} starts FROM {resolved}; the goal is {}.",
                expected.trim_start_matches("the goal is ")
            ),
        )
    }
}

fn missing_container(container: &str, expected: String) -> Outcome {
    Outcome::fail(
        expected,
        format!("no container named {container}"),
        format!("There is no container named {container}; create it with `docker run --name {container} ...`."),
    )
}

pub(crate) fn with_container<'a>(
    container: &str,
    expected: &str,
    f: &'a Fact<Option<ContainerFacts>>,
) -> Result<&'a ContainerFacts, Outcome> {
    match f {
        Err(e) => Err(Outcome::error(expected, e)),
        Ok(None) => Err(missing_container(container, expected.to_string())),
        Ok(Some(c)) => Ok(c),
    }
}

pub(crate) fn state_text(c: &ContainerFacts) -> String {
    match (c.status.as_str(), c.exit_code) {
        ("exited", Some(code)) => format!("exited (exit code {code})"),
        (s, _) => s.to_string(),
    }
}

pub fn container_running(
    container: &str,
    image: Option<&str>,
    f: &Fact<Option<ContainerFacts>>,
    f_image: Option<&Fact<Option<ImageFacts>>>,
) -> Outcome {
    let expected = match image {
        Some(i) => format!(
            "container {container} running from image {}",
            normalize_image(i)
        ),
        None => format!("container {container} running"),
    };
    let c = match with_container(container, &expected, f) {
        Ok(c) => c,
        Err(o) => return o,
    };
    let actual = format!("{} (image {})", state_text(c), c.image_ref);
    if !c.running {
        return Outcome::fail(
            expected,
            actual,
            format!(
                "{container} exists but is {}; start it with `docker start {container}` (see `docker logs {container}` if it stops again).",
                state_text(c)
            ),
        );
    }
    if let (Some(img), Some(fi)) = (image, f_image) {
        match fi {
            Err(e) => return Outcome::error(expected, e),
            Ok(None) => {
                return Outcome::fail(
                    expected,
                    actual,
                    format!(
                        "{container} runs, but there is no image named {} to compare with.",
                        normalize_image(img)
                    ),
                )
            }
            Ok(Some(i)) if i.id != c.image_id => {
                return Outcome::fail(
                    expected,
                    actual,
                    format!(
                        "{container} runs image {} ({}), not {} ({}); recreate it from {img}.",
                        c.image_ref,
                        short_id(&c.image_id),
                        i.reference,
                        short_id(&i.id)
                    ),
                )
            }
            Ok(Some(_)) => {}
        }
    }
    Outcome::pass(expected, actual, format!("{container} is running."))
}

fn canonical_mode(m: &str) -> &str {
    if m == "default" {
        "bridge"
    } else {
        m
    }
}

pub fn container_network_mode(
    container: &str,
    mode: &str,
    f: &Fact<Option<ContainerFacts>>,
) -> Outcome {
    let expected = format!("network mode {mode}");
    let c = match with_container(container, &expected, f) {
        Ok(c) => c,
        Err(o) => return o,
    };
    let have = canonical_mode(&c.network_mode);
    let actual = match &c.network_mode_name {
        Some(n) => format!("{have} (network {n}, HostConfig.NetworkMode)"),
        None => format!("{have} (HostConfig.NetworkMode)"),
    };
    let want = canonical_mode(mode);
    let ok = have == want || c.network_mode_name.as_deref() == Some(want);
    if ok {
        Outcome::pass(
            expected,
            actual,
            format!("{container} uses network mode {want}."),
        )
    } else {
        Outcome::fail(
            expected,
            actual,
            format!("{container} uses network mode {have}; the goal is {want} (docker run --network {want} ...)."),
        )
    }
}

pub fn container_networks(
    container: &str,
    includes: &[String],
    excludes: &[String],
    f: &Fact<Option<ContainerFacts>>,
) -> Outcome {
    let mut exp = Vec::new();
    if !includes.is_empty() {
        exp.push(format!("attached to {}", includes.join(", ")));
    }
    if !excludes.is_empty() {
        exp.push(format!("not attached to {}", excludes.join(", ")));
    }
    let expected = exp.join("; ");
    let c = match with_container(container, &expected, f) {
        Ok(c) => c,
        Err(o) => return o,
    };
    let attached: Vec<String> = c.networks.keys().cloned().collect();
    let actual = if attached.is_empty() {
        "attached to no network".to_string()
    } else {
        format!("attached to {}", attached.join(", "))
    };
    let missing: Vec<String> = includes
        .iter()
        .filter(|n| !c.networks.contains_key(*n))
        .cloned()
        .collect();
    let extra: Vec<String> = excludes
        .iter()
        .filter(|n| c.networks.contains_key(*n))
        .cloned()
        .collect();
    if missing.is_empty() && extra.is_empty() {
        return Outcome::pass(
            expected,
            actual,
            format!("{container} is on the right networks."),
        );
    }
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!(
            "is not attached to {} (docker network connect {} {container})",
            missing.join(", "),
            missing[0]
        ));
    }
    if !extra.is_empty() {
        parts.push(format!(
            "is still attached to {} (docker network disconnect {} {container})",
            extra.join(", "),
            extra[0]
        ));
    }
    Outcome::fail(
        expected,
        actual,
        format!("{container} {}.", parts.join(" and ")),
    )
}

/// `80` -> `80/tcp`.
pub fn normalize_port(port: &str) -> String {
    let p = port.trim();
    if p.contains('/') {
        p.to_ascii_lowercase()
    } else {
        format!("{p}/tcp")
    }
}

/// Which published binding a `container.port` check looks at.
pub fn chosen_binding(
    c: &ContainerFacts,
    port: &str,
    host_port: Option<u16>,
) -> Option<(String, u16)> {
    let b = c.ports.get(&normalize_port(port))?;
    match host_port {
        Some(h) => b.iter().find(|(_, p)| *p == h).cloned(),
        None => b.first().cloned(),
    }
}

pub fn container_port(
    container: &str,
    port: &str,
    host_port: Option<u16>,
    reachable: bool,
    f: &Fact<Option<ContainerFacts>>,
    reach: Option<&PortReach>,
) -> Outcome {
    let port = normalize_port(port);
    let mut expected = match host_port {
        Some(h) => format!("port {port} published on host port {h}"),
        None => format!("port {port} published on a host port"),
    };
    if reachable {
        expected.push_str(", accepting TCP connections");
    }
    let c = match with_container(container, &expected, f) {
        Ok(c) => c,
        Err(o) => return o,
    };
    let bindings = c.ports.get(&port).cloned().unwrap_or_default();
    let listed: Vec<String> = bindings
        .iter()
        .map(|(ip, p)| {
            if ip.is_empty() {
                p.to_string()
            } else {
                format!("{ip}:{p}")
            }
        })
        .collect();
    let mut actual = if listed.is_empty() {
        format!("port {port} is not published")
    } else {
        format!("{port} published on {}", listed.join(", "))
    };
    let container_port_num = port.split('/').next().unwrap_or(&port).to_string();
    if bindings.is_empty() {
        return Outcome::fail(
            expected,
            actual,
            format!(
                "{container} does not publish port {port}; run it with `-p {}:{container_port_num}`.",
                host_port.map(|h| h.to_string()).unwrap_or_else(|| "8080".into())
            ),
        );
    }
    if let Some(h) = host_port {
        if !bindings.iter().any(|(_, p)| *p == h) {
            return Outcome::fail(
                expected,
                actual,
                format!(
                    "{container} publishes {port} on host port {}; the goal is host port {h} (`-p {h}:{container_port_num}`).",
                    list_some(&bindings.iter().map(|(_, p)| p.to_string()).collect::<Vec<_>>(), 4)
                ),
            );
        }
    }
    if reachable {
        match reach {
            None => {
                return Outcome::error(
                    expected,
                    &FactError("the TCP connection was not tried".into()),
                );
            }
            Some(r) => match &r.result {
                Ok(()) => actual.push_str(&format!("; {} accepted a connection", r.address)),
                Err(why) => {
                    actual.push_str(&format!(
                        "; {} did not accept a connection ({why})",
                        r.address
                    ));
                    return Outcome::fail(
                        expected,
                        actual,
                        format!(
                            "Nothing answered on {} ({why}); is the program in {container} listening on {port} on all interfaces (0.0.0.0)?",
                            r.address
                        ),
                    );
                }
            },
        }
    }
    Outcome::pass(
        expected,
        actual,
        format!("{container} publishes {port} as asked."),
    )
}

/// The optional properties of a `network.exists` check.
#[derive(Debug, Clone, Default)]
pub struct NetworkSpec<'a> {
    pub driver: Option<&'a str>,
    pub scope: Option<&'a str>,
    pub internal: Option<bool>,
    pub attachable: Option<bool>,
    pub subnet: Option<&'a str>,
    pub gateway: Option<&'a str>,
    pub options: Vec<(&'a str, &'a str)>,
}

fn network_actual(n: &NetworkFacts) -> String {
    let mut parts = vec![
        format!("driver {}", n.driver),
        format!("scope {}", n.scope),
        format!("internal {}", n.internal),
        format!("attachable {}", n.attachable),
    ];
    for (s, g) in &n.ipam {
        if !s.is_empty() {
            parts.push(format!("subnet {s}"));
        }
        if !g.is_empty() {
            parts.push(format!("gateway {g}"));
        }
    }
    for (k, v) in &n.options {
        parts.push(format!("option {k}={v}"));
    }
    parts.join(", ")
}

pub fn network_exists(
    network: &str,
    spec: &NetworkSpec<'_>,
    f: &Fact<Option<NetworkFacts>>,
) -> Outcome {
    let mut want = Vec::new();
    if let Some(d) = spec.driver {
        want.push(format!("driver {d}"));
    }
    if let Some(s) = spec.scope {
        want.push(format!("scope {s}"));
    }
    if let Some(i) = spec.internal {
        want.push(format!("internal {i}"));
    }
    if let Some(a) = spec.attachable {
        want.push(format!("attachable {a}"));
    }
    if let Some(s) = spec.subnet {
        want.push(format!("subnet {s}"));
    }
    if let Some(g) = spec.gateway {
        want.push(format!("gateway {g}"));
    }
    for (k, v) in &spec.options {
        want.push(format!("option {k}={v}"));
    }
    let expected = if want.is_empty() {
        format!("a network named {network}")
    } else {
        format!("a network named {network} with {}", want.join(", "))
    };
    let n = match f {
        Err(e) => return Outcome::error(expected, e),
        Ok(None) => {
            let driver = spec
                .driver
                .map(|d| format!("--driver {d} "))
                .unwrap_or_default();
            return Outcome::fail(
                expected,
                format!("no network named {network}"),
                format!("There is no network named {network}; create it with `docker network create {driver}{network}`."),
            );
        }
        Ok(Some(n)) => n,
    };
    let mut wrong = Vec::new();
    if let Some(d) = spec.driver {
        if n.driver != d {
            wrong.push(format!("its driver is {} (wanted {d})", n.driver));
        }
    }
    if let Some(s) = spec.scope {
        if n.scope != s {
            wrong.push(format!("its scope is {} (wanted {s})", n.scope));
        }
    }
    if let Some(i) = spec.internal {
        if n.internal != i {
            wrong.push(format!(
                "internal is {} (wanted {i}; `--internal`)",
                n.internal
            ));
        }
    }
    if let Some(a) = spec.attachable {
        if n.attachable != a {
            wrong.push(format!(
                "attachable is {} (wanted {a}; `--attachable`)",
                n.attachable
            ));
        }
    }
    // IPAM values: (subnet, gateway) per config
    let mut ipam_mismatch =
        |wanted: Option<&str>, what: &str, pick: fn(&(String, String)) -> &str| {
            let Some(w) = wanted else { return };
            if n.ipam.iter().any(|c| pick(c) == w) {
                return;
            }
            let have: Vec<&str> = n.ipam.iter().map(pick).filter(|s| !s.is_empty()).collect();
            wrong.push(format!(
                "its {what} is {} (wanted {w}; `--{what} {w}`)",
                if have.is_empty() {
                    "not set".to_string()
                } else {
                    have.join(", ")
                }
            ));
        };
    ipam_mismatch(spec.subnet, "subnet", |c| c.0.as_str());
    ipam_mismatch(spec.gateway, "gateway", |c| c.1.as_str());
    for (k, v) in &spec.options {
        match n.options.get(*k) {
            Some(have) if have == v => {}
            Some(have) => wrong.push(format!("option {k} is {have} (wanted {v}; `-o {k}={v}`)")),
            None => wrong.push(format!("option {k} is not set (wanted {v}; `-o {k}={v}`)")),
        }
    }
    let actual = network_actual(n);
    if wrong.is_empty() {
        Outcome::pass(
            expected,
            actual,
            format!("Network {network} exists as asked."),
        )
    } else {
        Outcome::fail(
            expected,
            actual,
            format!(
                "Network {network} exists, but {}. Remove it and create it again with the right options.",
                wrong.join("; ")
            ),
        )
    }
}

pub fn network_absent(network: &str, f: &Fact<Option<NetworkFacts>>) -> Outcome {
    let expected = format!("no network named {network}");
    match f {
        Err(e) => Outcome::error(expected, e),
        Ok(None) => Outcome::pass(
            expected,
            "no such network",
            format!("There is no network named {network}."),
        ),
        Ok(Some(n)) => Outcome::fail(
            expected,
            format!(
                "network {network} exists ({}, id {})",
                n.driver,
                short_id(&n.id)
            ),
            format!(
                "Network {network} still exists; remove it with `docker network rm {network}`."
            ),
        ),
    }
}

pub fn network_reach(
    from: &str,
    to: &str,
    port: Option<u16>,
    expect: Reach,
    f: &Fact<ReachFacts>,
) -> Outcome {
    let how = match port {
        Some(p) => format!("TCP port {p}"),
        None => "ping".to_string(),
    };
    let expected = match expect {
        Reach::Reachable => format!("{to} reachable from network {from} ({how})"),
        Reach::Unreachable => format!("{to} unreachable from network {from} ({how})"),
    };
    let facts = match f {
        Err(e) => return Outcome::error(expected, e),
        Ok(r) => r,
    };
    match facts {
        ReachFacts::NoSuchNetwork => Outcome::fail(
            expected,
            format!("no network named {from}"),
            format!("There is no network named {from}; create it with `docker network create {from}`."),
        ),
        ReachFacts::NoSuchTarget => missing_container(to, expected),
        ReachFacts::TargetNotRunning { status } => Outcome::fail(
            expected,
            format!("{to} is {status}"),
            format!("{to} is not running ({status}); start it with `docker start {to}` so it can be tested."),
        ),
        ReachFacts::TargetWithoutAddress { network_mode } => {
            let actual = format!("{to} has no IP address (network mode {network_mode})");
            let fix = if network_mode == "host" {
                format!("{to} shares the host's network and has no address of its own; from a bridge network it is reached at the host's address (the network's gateway), and {from} is not a bridge network. Run {to} on a network of its own, or test it from a bridge network.")
            } else {
                format!("{to} has no IP address (network mode {network_mode}); attach it to a network.")
            };
            match expect {
                Reach::Unreachable => Outcome::pass(
                    expected,
                    actual,
                    format!("{to} has no address a container on {from} could reach."),
                ),
                Reach::Reachable => Outcome::fail(expected, actual, fix),
            }
        }
        ReachFacts::Probed {
            attempts,
            timed_out,
            via_host,
        } => {
            let reached: Vec<&ReachAttempt> = attempts.iter().filter(|a| a.ok).collect();
            let tried: Vec<String> = attempts.iter().map(|a| format!("{} ({})", a.address, a.method)).collect();
            let actual = if !reached.is_empty() {
                format!(
                    "a probe on {from} reached {to} at {}",
                    reached.iter().map(|a| a.address.as_str()).collect::<Vec<_>>().join(", ")
                )
            } else if *timed_out && attempts.is_empty() {
                format!("the probe on {from} did not finish within its time bound")
            } else {
                format!("a probe on {from} could not reach {to} at {} within 2 s", list_some(&tried, 4))
            };
            let actual = if *via_host {
                format!("{actual} (the host's address on {from}: {to} shares the host's network)")
            } else {
                actual
            };
            if *via_host {
                return match (expect, reached.is_empty()) {
                    (Reach::Reachable, false) => Outcome::pass(expected, actual, format!("{to} shares the host's network and is reachable from {from} at the host's address.")),
                    (Reach::Unreachable, true) => Outcome::pass(expected, actual, format!("{to} shares the host's network, and containers on {from} cannot reach it there.")),
                    (Reach::Reachable, true) => Outcome::fail(
                        expected,
                        actual,
                        format!("{to} shares the host's network, so containers on {from} reach it at the host's address; check that it listens on {how} on all of the host's interfaces (0.0.0.0), not only 127.0.0.1, and that the host's firewall lets containers in."),
                    ),
                    (Reach::Unreachable, false) => Outcome::fail(
                        expected,
                        actual,
                        format!("{to} shares the host's network, and every container on a bridge network such as {from} can reach the host's ports; run {to} on a network of its own instead of `--network host`."),
                    ),
                };
            }
            match (expect, reached.is_empty()) {
                (Reach::Reachable, false) => Outcome::pass(expected, actual, format!("{to} is reachable from {from}.")),
                (Reach::Unreachable, true) => Outcome::pass(expected, actual, format!("{to} cannot be reached from {from}.")),
                (Reach::Reachable, true) => Outcome::fail(
                    expected,
                    actual,
                    format!(
                        "{to} cannot be reached from network {from}; connect them to a common network, and check that {to} listens on {how}."
                    ),
                ),
                (Reach::Unreachable, false) => Outcome::fail(
                    expected,
                    actual,
                    format!(
                        "{to} can still be reached from network {from}; put it only on its own network (docker network disconnect {from} {to})."
                    ),
                ),
            }
        }
    }
}

pub fn network_resolves(
    network: &str,
    name: &str,
    expect: bool,
    f: &Fact<ResolveFacts>,
) -> Outcome {
    let expected = if expect {
        format!("{name} resolves on network {network}")
    } else {
        format!("{name} does not resolve on network {network}")
    };
    let facts = match f {
        Err(e) => return Outcome::error(expected, e),
        Ok(r) => r,
    };
    match facts {
        ResolveFacts::NoSuchNetwork => Outcome::fail(
            expected,
            format!("no network named {network}"),
            format!("There is no network named {network}; create it with `docker network create {network}`."),
        ),
        ResolveFacts::Probed { addresses, timed_out } => {
            let actual = if !addresses.is_empty() {
                format!("{name} resolves to {}", addresses.join(", "))
            } else if *timed_out {
                format!("{name} did not resolve within 2 s")
            } else {
                format!("{name} does not resolve")
            };
            match (expect, addresses.is_empty()) {
                (true, false) | (false, true) => {
                    Outcome::pass(expected, actual.clone(), format!("On {network}, {actual}."))
                }
                (true, true) => Outcome::fail(
                    expected,
                    actual,
                    format!(
                        "A container on {network} cannot resolve {name}. Docker's DNS answers only on user-defined networks, for containers attached to them: `docker network connect {network} {name}`."
                    ),
                ),
                (false, false) => Outcome::fail(
                    expected,
                    actual,
                    format!("{name} still resolves on {network}; the goal is that it does not."),
                ),
            }
        }
    }
}

pub fn swarm_active(f: &Fact<SwarmFacts>) -> Outcome {
    let expected = "this engine is a swarm manager".to_string();
    let s = match f {
        Err(e) => return Outcome::error(expected, e),
        Ok(s) => s,
    };
    let actual = format!(
        "swarm state {}{}",
        if s.state.is_empty() {
            "inactive"
        } else {
            &s.state
        },
        if s.control_available { ", manager" } else { "" }
    );
    if s.state == "active" && s.control_available {
        Outcome::pass(
            expected,
            actual,
            "Swarm mode is active and this engine is a manager.",
        )
    } else if s.state == "active" {
        Outcome::fail(expected, actual, "This engine is a swarm worker, not a manager; promote it or run the lesson on a manager.")
    } else {
        Outcome::fail(
            expected,
            actual,
            "Swarm mode is not active; start it with `docker swarm init --advertise-addr 127.0.0.1`.",
        )
    }
}
