//! `.devcontainer/devcontainer.json`, the classroom kit for Codespaces and
//! other devcontainer hosts. Nothing here builds the container (that needs a
//! registry and a Docker engine); the file is checked for what a host reads:
//!
//! - strict JSON (no comments or trailing commas, so every tool reads it);
//! - only properties the Dev Container specification defines, each of the
//!   type the spec gives it (the names and types below are those of the
//!   spec's `schemas/devContainer.base.schema.json`, for an image-based
//!   container);
//! - what matters for a learner: a Docker engine from the docker-in-docker
//!   feature, dockdojo installed from this checkout, and `dockdojo prepare`
//!   then `dockdojo doctor` once the engine answers, with arguments that
//!   dockdojo's own command line accepts.

use std::path::PathBuf;

use serde_json::{Map, Value};

const DIND: &str = "ghcr.io/devcontainers/features/docker-in-docker";

fn config_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".devcontainer/devcontainer.json")
}

fn config() -> Map<String, Value> {
    let text =
        std::fs::read_to_string(config_path()).expect("read .devcontainer/devcontainer.json");
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(m)) => m,
        Ok(other) => panic!("devcontainer.json is not an object: {other}"),
        Err(e) => panic!("devcontainer.json is not strict JSON: {e}"),
    }
}

/// The JSON types a property may have.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Str,
    Bool,
    Obj,
    Arr,
    /// A lifecycle command: a string (run by a shell), an array of strings
    /// (run without a shell), or an object of those (run in parallel).
    Command,
    /// Several types are allowed (e.g. `forwardPorts`, `hostRequirements`): any.
    Any,
}

/// Top-level properties of an image-based devcontainer.json, from the spec's
/// base schema (`devContainerCommon`, `nonComposeBase`, `imageContainer` and
/// `dockerfileContainer`).
const PROPERTIES: &[(&str, Kind)] = &[
    ("$schema", Kind::Str),
    ("name", Kind::Str),
    ("image", Kind::Str),
    ("build", Kind::Obj),
    ("dockerFile", Kind::Str),
    ("context", Kind::Str),
    ("features", Kind::Obj),
    ("overrideFeatureInstallOrder", Kind::Arr),
    ("secrets", Kind::Obj),
    ("forwardPorts", Kind::Arr),
    ("portsAttributes", Kind::Obj),
    ("otherPortsAttributes", Kind::Obj),
    ("updateRemoteUserUID", Kind::Bool),
    ("containerEnv", Kind::Obj),
    ("containerUser", Kind::Str),
    ("mounts", Kind::Arr),
    ("init", Kind::Bool),
    ("privileged", Kind::Bool),
    ("capAdd", Kind::Arr),
    ("securityOpt", Kind::Arr),
    ("remoteEnv", Kind::Obj),
    ("remoteUser", Kind::Str),
    ("initializeCommand", Kind::Command),
    ("onCreateCommand", Kind::Command),
    ("updateContentCommand", Kind::Command),
    ("postCreateCommand", Kind::Command),
    ("postStartCommand", Kind::Command),
    ("postAttachCommand", Kind::Command),
    ("waitFor", Kind::Str),
    ("userEnvProbe", Kind::Str),
    ("hostRequirements", Kind::Obj),
    ("customizations", Kind::Obj),
    ("additionalProperties", Kind::Obj),
    ("appPort", Kind::Any),
    ("runArgs", Kind::Arr),
    ("shutdownAction", Kind::Str),
    ("overrideCommand", Kind::Bool),
    ("workspaceFolder", Kind::Str),
    ("workspaceMount", Kind::Str),
];

const WAIT_FOR: &[&str] = &[
    "initializeCommand",
    "onCreateCommand",
    "updateContentCommand",
    "postCreateCommand",
    "postStartCommand",
];

fn is_strings(v: &Value) -> bool {
    v.as_array()
        .is_some_and(|a| a.iter().all(|x| x.is_string()))
}

fn kind_ok(kind: Kind, v: &Value) -> bool {
    match kind {
        Kind::Str => v.is_string(),
        Kind::Bool => v.is_boolean(),
        Kind::Obj => v.is_object(),
        Kind::Arr => v.is_array(),
        Kind::Command => {
            v.is_string()
                || is_strings(v)
                || v.as_object()
                    .is_some_and(|o| o.values().all(|c| c.is_string() || is_strings(c)))
        }
        Kind::Any => true,
    }
}

/// Every problem the spec's schema would report for these properties.
fn spec_problems(cfg: &Map<String, Value>) -> Vec<String> {
    let mut problems = Vec::new();
    for (key, value) in cfg {
        match PROPERTIES.iter().find(|(k, _)| k == key) {
            None => problems.push(format!("`{key}` is not a devcontainer.json property")),
            Some((_, kind)) if !kind_ok(*kind, value) => {
                problems.push(format!("`{key}` must be {kind:?}, not {value}"))
            }
            Some(_) => {}
        }
    }
    if cfg.contains_key("image") == cfg.contains_key("build") {
        problems.push("an image-based container has `image` (and no `build`)".into());
    }
    if let Some(features) = cfg.get("features").and_then(Value::as_object) {
        for (id, options) in features {
            if !(options.is_object() || options.is_string() || options.is_boolean()) {
                problems.push(format!("feature `{id}`: options must be an object"));
            }
        }
    }
    if let Some(w) = cfg.get("waitFor").and_then(Value::as_str) {
        if !WAIT_FOR.contains(&w) {
            problems.push(format!("`waitFor` must be one of {WAIT_FOR:?}"));
        }
    }
    problems
}

/// The command of a lifecycle hook as one shell string (the form used here).
fn hook(cfg: &Map<String, Value>, name: &str) -> String {
    match cfg.get(name) {
        Some(Value::String(s)) => s.clone(),
        Some(other) => panic!("`{name}` should be one shell string here, not {other}"),
        None => panic!("devcontainer.json has no `{name}`"),
    }
}

/// Split a shell command line into its `;`/`&&`/`||`-separated commands,
/// honouring single and double quotes (enough for the hooks here).
fn commands(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                cur.push(c);
            }
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                cur.push(c);
            }
            (None, ';') => out.push(std::mem::take(&mut cur)),
            (None, '&' | '|') if chars.peek() == Some(&c) => {
                chars.next();
                out.push(std::mem::take(&mut cur));
            }
            (None, c) => cur.push(c),
        }
    }
    assert!(quote.is_none(), "unbalanced quote in {line:?}");
    out.push(cur);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The `dockdojo` invocations in a hook, each checked against dockdojo's
/// own command line (a flag that does not exist fails here).
fn dockdojo_invocations(line: &str) -> Vec<(usize, Vec<String>)> {
    commands(line)
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let words: Vec<String> = c.split_whitespace().map(str::to_string).collect();
            (words.first().map(String::as_str) == Some("dockdojo")).then_some((i, words))
        })
        .inspect(|(_, words)| {
            if let Err(e) = <dockdojo::cli::Cli as clap::Parser>::try_parse_from(words) {
                panic!(
                    "`{}` is not a valid dockdojo command line: {e}",
                    words.join(" ")
                );
            }
        })
        .collect()
}

#[test]
fn devcontainer_json_has_only_spec_properties_of_the_right_types() {
    let cfg = config();
    let problems = spec_problems(&cfg);
    assert!(problems.is_empty(), "devcontainer.json: {problems:#?}");
    // The checker finds what it must: a typo'd hook, a wrong type, a
    // command of the wrong shape and a feature without options.
    let mut bad = cfg.clone();
    bad.insert("postStartCommands".into(), Value::String("x".into()));
    bad.insert("image".into(), Value::from(5));
    bad.insert("postCreateCommand".into(), serde_json::json!({"a": 1}));
    bad.insert("features".into(), serde_json::json!({"x": 1}));
    let found = spec_problems(&bad);
    assert_eq!(found.len(), 4, "{found:#?}");
}

#[test]
fn devcontainer_gives_a_docker_engine_through_docker_in_docker() {
    let cfg = config();
    let features = cfg["features"].as_object().expect("features");
    let (id, options) = features
        .iter()
        .find(|(id, _)| id.split(':').next() == Some(DIND))
        .unwrap_or_else(|| panic!("no {DIND} feature in {features:?}"));
    // Major 3 and later start containerd with its erofs snapshotter off:
    // with major 2, dockerd does not start on hosts with containerd 2.3 and
    // a kernel that has erofs (Codespaces among them).
    let major: u32 = id
        .rsplit(':')
        .next()
        .and_then(|v| v.split('.').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{id}: pin the feature's major version"));
    assert!(major >= 3, "{id}: use major version 3 or later");
    // The Moby packages do not exist for Debian 13, which newer devcontainer
    // images are built on; Docker CE installs on Debian 12 and 13 alike.
    assert_eq!(
        options.get("moby"),
        Some(&Value::Bool(false)),
        "{id}: set \"moby\": false"
    );
    let image = cfg["image"].as_str().expect("image");
    assert!(
        image.starts_with("mcr.microsoft.com/devcontainers/rust:"),
        "an image with Rust and a C compiler to build dockdojo: {image}"
    );
}

#[test]
fn devcontainer_installs_dockdojo_then_prepares_and_checks_the_engine() {
    let cfg = config();
    let create = hook(&cfg, "postCreateCommand");
    let install = commands(&create);
    assert!(
        install.iter().any(|c| {
            let w: Vec<&str> = c.split_whitespace().collect();
            w.starts_with(&["cargo", "install"])
                && w.contains(&"--locked")
                && w.windows(2).any(|p| p == ["--path", "."])
        }),
        "postCreateCommand installs dockdojo from this checkout (cargo install --locked --path .): {create}"
    );

    // dockerd starts with the container (the feature's entrypoint), in the
    // background: postStartCommand runs after postCreateCommand on the first
    // start and on every start after, so it waits for the engine first.
    let start = hook(&cfg, "postStartCommand");
    let steps = commands(&start);
    let wait = steps
        .iter()
        .position(|c| c.contains("until docker info") && c.starts_with("timeout "))
        .unwrap_or_else(|| panic!("postStartCommand waits (bounded) for `docker info`: {start}"));
    let calls = dockdojo_invocations(&start);
    let find = |sub: &str| {
        calls
            .iter()
            .find(|(_, w)| w.get(1).map(String::as_str) == Some(sub))
            .map(|(i, _)| *i)
            .unwrap_or_else(|| panic!("postStartCommand runs `dockdojo {sub}`: {start}"))
    };
    let (prepare, doctor) = (find("prepare"), find("doctor"));
    assert!(
        wait < prepare && prepare < doctor,
        "wait for the engine, then prepare, then doctor: {start}"
    );
    // doctor runs even when a pull failed: it says what is missing.
    assert!(
        !start.contains("prepare &&"),
        "`dockdojo doctor` must run even when `prepare` fails: {start}"
    );
}

#[test]
fn hook_splitting_honours_quotes() {
    assert_eq!(
        commands("timeout 5 sh -c 'a; b' ; dockdojo prepare && dockdojo doctor"),
        vec![
            "timeout 5 sh -c 'a; b'",
            "dockdojo prepare",
            "dockdojo doctor"
        ]
    );
    let bad = std::panic::catch_unwind(|| dockdojo_invocations("dockdojo prepare --no-such-flag"));
    assert!(bad.is_err(), "an unknown flag is refused");
}
