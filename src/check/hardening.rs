//! Evaluation of the hardening kinds (pure): `container.security` (how a
//! running container is locked down), `container.shares` (a sidecar in
//! another container's namespaces) and `image.history` (a secret left in an
//! image's metadata).

use std::collections::BTreeSet;

use crate::check::eval::{state_text, with_container, with_image, Outcome};
use crate::check::facts::*;
use crate::check::glob;
use crate::lesson::caps::CAPABILITIES;
use crate::lesson::size::format_size;
use crate::lesson::{Namespace, SecuritySpec};

/// The capabilities a process in the container can hold (its bounding
/// set), from the engine's defaults (Docker and Podman have different
/// ones, [`crate::engine::kind::EngineKind::default_capabilities`]) and the
/// container's changes to them.
pub fn capability_set(s: &SecurityFacts, defaults: &[&str]) -> BTreeSet<String> {
    let all = || CAPABILITIES.iter().map(|c| c.to_string()).collect();
    if s.privileged || s.cap_add.iter().any(|c| c == "ALL") {
        return all();
    }
    let mut set: BTreeSet<String> = if s.cap_drop.iter().any(|c| c == "ALL") {
        BTreeSet::new()
    } else {
        defaults
            .iter()
            .filter(|c| !s.cap_drop.iter().any(|d| d == *c))
            .map(|c| c.to_string())
            .collect()
    };
    set.extend(s.cap_add.iter().cloned());
    set
}

/// `no-new-privileges`, `no-new-privileges:true` or `=true` in SecurityOpt.
pub fn has_no_new_privileges(opts: &[String]) -> bool {
    opts.iter().any(|o| {
        let o = o.trim();
        match o.strip_prefix("no-new-privileges") {
            Some("") => true,
            Some(rest) => matches!(rest.trim_start_matches([':', '=']), "true" | "1" | "yes"),
            None => false,
        }
    })
}

fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or("");
    name.is_empty() || name == "root" || name == "0"
}

/// One requirement of `container.security`: what was asked, what the
/// container has, and the `docker run` option that fixes it.
struct Req {
    expected: String,
    actual: String,
    fix: Option<String>,
}

fn caps_text(set: &BTreeSet<String>) -> String {
    if set.is_empty() {
        "none".to_string()
    } else if set.len() == CAPABILITIES.len() {
        "all".to_string()
    } else {
        set.iter().cloned().collect::<Vec<_>>().join(", ")
    }
}

fn requirements(spec: &SecuritySpec, s: &SecurityFacts, defaults: &[&str]) -> Vec<Req> {
    let mut out = Vec::new();
    if let Some(want) = spec.read_only {
        let word = |b: bool| if b { "read-only" } else { "writable" };
        out.push(Req {
            expected: format!("{} root filesystem", word(want)),
            actual: format!("{} root filesystem", word(s.read_only)),
            fix: (s.read_only != want).then(|| {
                if want {
                    "add --read-only".to_string()
                } else {
                    "leave out --read-only".to_string()
                }
            }),
        });
    }
    for p in &spec.tmpfs {
        let p = glob::normalize(p);
        let ok = s.tmpfs.contains(&p);
        out.push(Req {
            expected: format!("tmpfs at {p}"),
            actual: if ok {
                format!("tmpfs at {p}")
            } else {
                format!("no tmpfs at {p}")
            },
            fix: (!ok).then(|| format!("add --tmpfs {p}")),
        });
    }
    if !spec.cap_drop.is_empty() || !spec.cap_add.is_empty() {
        let have = capability_set(s, defaults);
        let allowed: BTreeSet<&str> = spec.cap_add.iter().map(String::as_str).collect();
        let drop_all = spec.cap_drop.iter().any(|c| c == "ALL");
        let bad: BTreeSet<String> = have
            .iter()
            .filter(|c| !allowed.contains(c.as_str()))
            .filter(|c| drop_all || spec.cap_drop.contains(c) || !defaults.contains(&c.as_str()))
            .cloned()
            .collect();
        let expected = if drop_all {
            if allowed.is_empty() {
                "capabilities: none".to_string()
            } else {
                format!(
                    "capabilities: at most {}",
                    allowed.iter().copied().collect::<Vec<_>>().join(", ")
                )
            }
        } else {
            let mut parts = Vec::new();
            if !spec.cap_drop.is_empty() {
                parts.push(format!("without {}", spec.cap_drop.join(", ")));
            }
            if !allowed.is_empty() {
                parts.push(format!(
                    "nothing added but {}",
                    allowed.iter().copied().collect::<Vec<_>>().join(", ")
                ));
            }
            format!("capabilities {}", parts.join(", "))
        };
        let actual = if s.privileged {
            "capabilities: all (--privileged)".to_string()
        } else {
            format!("capabilities: {}", caps_text(&have))
        };
        let fix = (!bad.is_empty()).then(|| {
            let keep: Vec<&str> = allowed.iter().copied().collect();
            let add = if keep.is_empty() {
                String::new()
            } else {
                format!(" --cap-add {}", keep.join(" --cap-add "))
            };
            if s.privileged {
                format!("leave out --privileged; drop {}", caps_text(&bad))
            } else if drop_all {
                format!("drop {} with --cap-drop ALL{add}", caps_text(&bad))
            } else {
                let v: Vec<&str> = bad.iter().map(String::as_str).collect();
                format!(
                    "drop {} (--cap-drop {})",
                    v.join(", "),
                    v.join(" --cap-drop ")
                )
            }
        });
        out.push(Req {
            expected,
            actual,
            fix,
        });
    }
    if let Some(want) = spec.no_new_privileges {
        let have = has_no_new_privileges(&s.security_opt);
        let word = |b: bool| {
            if b {
                "no-new-privileges"
            } else {
                "new privileges allowed"
            }
        };
        out.push(Req {
            expected: word(want).to_string(),
            actual: word(have).to_string(),
            fix: (have != want).then(|| "add --security-opt no-new-privileges".to_string()),
        });
    }
    let user_text = if s.user.is_empty() {
        "user root (none set)".to_string()
    } else {
        format!("user {}", s.user)
    };
    if let Some(u) = &spec.user {
        let name = s.user.split(':').next().unwrap_or("");
        let ok = s.user == *u || name == u;
        out.push(Req {
            expected: format!("user {u}"),
            actual: user_text.clone(),
            fix: (!ok).then(|| format!("add --user {u}")),
        });
    }
    if spec.not_root {
        let ok = !is_root(&s.user);
        out.push(Req {
            expected: "a user other than root".to_string(),
            actual: user_text,
            fix: (!ok).then(|| "add --user 65532 (or a USER in the image)".to_string()),
        });
    }
    if let Some(max) = spec.memory {
        let ok = s.memory > 0 && (s.memory as u64) <= max;
        out.push(Req {
            expected: format!("memory limit at most {}", format_size(max)),
            actual: if s.memory > 0 {
                format!("memory limit {}", format_size(s.memory as u64))
            } else {
                "no memory limit".to_string()
            },
            fix: (!ok).then(|| format!("add --memory {}", docker_size(max))),
        });
    }
    if let Some(max) = spec.pids {
        let have = s.pids_limit.filter(|n| *n > 0);
        let ok = have.is_some_and(|n| n <= i64::from(max));
        out.push(Req {
            expected: format!("process limit at most {max}"),
            actual: match have {
                Some(n) => format!("process limit {n}"),
                None => "no process limit".to_string(),
            },
            fix: (!ok).then(|| format!("add --pids-limit {max}")),
        });
    }
    out
}

/// A byte count as `docker run --memory` takes it (`256m`).
fn docker_size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes % MIB == 0 {
        format!("{}m", bytes / MIB)
    } else {
        format!("{}b", bytes)
    }
}

/// `defaults`: the engine's default capabilities.
pub fn container_security(
    container: &str,
    spec: &SecuritySpec,
    defaults: &[&str],
    f: &Fact<Option<ContainerFacts>>,
) -> Outcome {
    // what is asked does not depend on what the container has
    let expected = std::iter::once(format!("{container} running"))
        .chain(
            requirements(spec, &SecurityFacts::default(), defaults)
                .into_iter()
                .map(|r| r.expected),
        )
        .collect::<Vec<_>>()
        .join("; ");
    let c = match with_container(container, &expected, f) {
        Ok(c) => c,
        Err(o) => return o,
    };
    let reqs = requirements(spec, &c.security, defaults);
    let actual = {
        let mut v = vec![state_text(c)];
        v.extend(reqs.iter().map(|r| r.actual.clone()));
        v.join("; ")
    };
    if !c.running {
        return Outcome::fail(
            expected,
            actual,
            format!(
                "{container} is {}. A locked-down container that stops at once usually tried to write where it may not, or to use a capability it no longer has: read `docker logs {container}`.",
                state_text(c)
            ),
        );
    }
    let fixes: Vec<String> = reqs.iter().filter_map(|r| r.fix.clone()).collect();
    if fixes.is_empty() {
        return Outcome::pass(
            expected,
            actual,
            format!("{container} runs with the settings asked for."),
        );
    }
    Outcome::fail(
        expected,
        actual,
        format!(
            "{container}: {}. These are set when a container is created: remove it (`docker rm -f {container}`) and run it again with them.",
            fixes.join("; ")
        ),
    )
}

/// Does a mode like `container:ID` name the target?
fn names_target(mode: &str, target: &ContainerFacts) -> bool {
    let Some(r) = mode.strip_prefix("container:") else {
        return false;
    };
    let r = r.trim_start_matches('/');
    !r.is_empty()
        && (r == target.name || r == target.id || (r.len() >= 12 && target.id.starts_with(r)))
}

fn mode_of(c: &ContainerFacts, ns: Namespace) -> &str {
    match ns {
        Namespace::Pid => &c.pid_mode,
        Namespace::Network => &c.network_mode,
        Namespace::Ipc => &c.ipc_mode,
    }
}

fn host_config_field(ns: Namespace) -> &'static str {
    match ns {
        Namespace::Pid => "PidMode",
        Namespace::Network => "NetworkMode",
        Namespace::Ipc => "IpcMode",
    }
}

fn ns_list(v: &[Namespace]) -> String {
    let names: Vec<&str> = v.iter().map(|n| n.as_str()).collect();
    match names.len() {
        0 => String::new(),
        1 => names[0].to_string(),
        n => format!("{} and {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

pub fn container_shares(
    container: &str,
    target: &str,
    namespaces: &[Namespace],
    f: &Fact<Option<ContainerFacts>>,
    f_target: &Fact<Option<ContainerFacts>>,
) -> Outcome {
    let plural = if namespaces.len() == 1 { "" } else { "s" };
    let expected = format!(
        "{container} running in the {} namespace{plural} of {target}",
        ns_list(namespaces)
    );
    let c = match with_container(container, &expected, f) {
        Ok(c) => c,
        Err(o) => return o,
    };
    let t = match f_target {
        Err(e) => return Outcome::error(expected, e),
        Ok(None) => {
            return Outcome::fail(
                expected,
                format!("no container named {target}"),
                format!("There is no container named {target} to share with; start it first, then start {container} beside it."),
            )
        }
        Ok(Some(t)) => t,
    };
    let describe = |ns: Namespace| {
        let mode = mode_of(c, ns);
        let shown = if names_target(mode, t) {
            format!("container:{target}")
        } else if mode.is_empty() {
            "its own".to_string()
        } else {
            mode.to_string()
        };
        format!("{}: {shown}", ns.as_str())
    };
    let actual = {
        let mut v = vec![state_text(c)];
        v.extend(namespaces.iter().map(|n| describe(*n)));
        v.join("; ")
    };
    if !c.running {
        return Outcome::fail(
            expected,
            actual,
            format!(
                "{container} is {}; a debugging sidecar has to run while you use it (e.g. `docker run -d --name {container} ... sleep 3600`).",
                state_text(c)
            ),
        );
    }
    let missing: Vec<Namespace> = namespaces
        .iter()
        .copied()
        .filter(|n| !names_target(mode_of(c, *n), t))
        .collect();
    if missing.is_empty() {
        return Outcome::pass(
            expected,
            actual,
            format!(
                "{container} sees {target}'s {} namespace{plural}.",
                ns_list(namespaces)
            ),
        );
    }
    let fields: Vec<String> = missing
        .iter()
        .map(|n| {
            format!(
                "HostConfig.{} is `{}`",
                host_config_field(*n),
                mode_of(c, *n)
            )
        })
        .collect();
    let flags: Vec<String> = missing
        .iter()
        .map(|n| format!("--{} container:{target}", n.as_str()))
        .collect();
    Outcome::fail(
        expected,
        actual,
        format!(
            "{container} does not share {target}'s {} namespace ({}). Namespaces are chosen when a container is created: remove it and run it again with {}.",
            ns_list(&missing),
            fields.join(", "),
            flags.join(" ")
        ),
    )
}

/// Does `pattern` (`*` wildcards) occur anywhere in `text`?
fn occurs(pattern: &str, text: &str) -> bool {
    glob::wildcard(&format!("*{pattern}*"), text)
}

/// The instruction of a history step (`RUN`, `ENV`...), whichever builder
/// wrote it: BuildKit (`RUN |1 TOKEN=x /bin/sh -c ...`), the classic
/// builder and Buildah (`/bin/sh -c #(nop)  ENV ...`, `|1 TOKEN=x /bin/sh -c ...`).
pub fn instruction(created_by: &str) -> &str {
    let t = created_by.trim();
    if let Some(rest) = t.strip_prefix("/bin/sh -c #(nop)") {
        return rest.split_whitespace().next().unwrap_or("RUN");
    }
    match t.split_whitespace().next() {
        Some(w) if !w.is_empty() && w.chars().all(|c| c.is_ascii_uppercase()) => w,
        _ => "RUN",
    }
}

pub fn image_history(
    image: &str,
    patterns: &[String],
    fi: &Fact<Option<ImageFacts>>,
    fh: &Fact<Vec<String>>,
) -> Outcome {
    let n = patterns.len();
    let expected = format!(
        "no build step, environment variable or label of {} holding the secret ({n} pattern{})",
        crate::check::eval::normalize_image(image),
        if n == 1 { "" } else { "s" }
    );
    let i = match with_image(image, &expected, fi) {
        Ok(i) => i,
        Err(o) => return o,
    };
    let steps = match fh {
        Ok(s) => s,
        Err(e) => return Outcome::error(expected, e),
    };
    let hit = |text: &str| patterns.iter().any(|p| occurs(p, text));
    // Where the secret is, never the secret itself.
    let mut found: Vec<String> = steps
        .iter()
        .enumerate()
        .filter(|(_, s)| hit(s))
        .map(|(k, s)| format!("build step {} ({})", k + 1, instruction(s)))
        .collect();
    found.extend(
        i.env
            .iter()
            .filter(|e| hit(e))
            .map(|e| format!("ENV {}", e.split('=').next().unwrap_or(""))),
    );
    found.extend(
        i.labels
            .iter()
            .filter(|(k, v)| hit(&format!("{k}={v}")))
            .map(|(k, _)| format!("LABEL {k}")),
    );
    if found.is_empty() {
        return Outcome::pass(
            expected,
            format!(
                "{} build steps, {} environment variables and {} labels, none holding it",
                steps.len(),
                i.env.len(),
                i.labels.len()
            ),
            "The secret is not in the image's history or configuration.",
        );
    }
    Outcome::fail(
        expected,
        format!("the secret is in {}", found.join(", ")),
        format!(
            "Anyone who can pull {} can read it with `docker history --no-trunc` or `docker image inspect`. A build argument or ENV is recorded in the image; mount the token as a build secret instead (RUN --mount=type=secret) and build again.",
            crate::check::eval::normalize_image(image)
        ),
    )
}

#[cfg(test)]
#[path = "hardening_tests.rs"]
mod tests;
