//! `[[check]]` tables: the fields of each kind, typed, with messages for
//! everything an author can get wrong.

use std::collections::BTreeMap;
use std::ops::Range;
use std::time::Duration;

use super::caps;
use super::fields::{self, At};
use super::model::{CheckKind, CheckSpec, Namespace, PathSet, Reach, SecuritySpec};
use super::size::parse_size;
use super::suggest::did_you_mean;
use super::tree::{Reporter, Table, V};

/// Fields every check has.
pub const COMMON_FIELDS: &[&str] = &["id", "title", "kind", "why", "hint", "needs", "requires"];

/// One check kind: its name, its own fields and how it is built from a
/// `[[check]]` table. The parser, the linter's field checks, the "did you
/// mean" of kind names and the documentation's list (a test keeps
/// docs/LESSON-FORMAT.md in step) all read this table.
pub struct KindDef {
    pub name: &'static str,
    pub fields: &'static [&'static str],
    build: fn(&mut K) -> CheckKind,
}

/// Every check kind.
pub const KINDS: &[KindDef] = &[
    KindDef {
        name: "image.exists",
        fields: &["image"],
        build: build_image_exists,
    },
    KindDef {
        name: "image.size",
        fields: &["image", "max", "min"],
        build: build_image_size,
    },
    KindDef {
        name: "image.size_ratio",
        fields: &["image", "of", "max"],
        build: build_image_size_ratio,
    },
    KindDef {
        name: "image.lacks",
        fields: &["image", "paths", "sets"],
        build: build_image_lacks,
    },
    KindDef {
        name: "image.has",
        fields: &["image", "paths"],
        build: build_image_has,
    },
    KindDef {
        name: "image.user",
        fields: &["image", "not_root", "user"],
        build: build_image_user,
    },
    KindDef {
        name: "image.layers",
        fields: &["image", "max"],
        build: build_image_layers,
    },
    KindDef {
        name: "image.packages",
        fields: &["image", "max"],
        build: build_image_packages,
    },
    KindDef {
        name: "image.history",
        fields: &["image", "patterns"],
        build: build_image_history,
    },
    KindDef {
        name: "image.run",
        fields: &[
            "image",
            "args",
            "stdin",
            "stdout_contains",
            "stdout_equals",
            "exit_code",
            "timeout",
        ],
        build: build_image_run,
    },
    KindDef {
        name: "dockerfile.stages",
        fields: &["file", "min"],
        build: build_dockerfile_stages,
    },
    KindDef {
        name: "dockerfile.final_base",
        fields: &["file", "any_of"],
        build: build_dockerfile_final_base,
    },
    KindDef {
        name: "container.running",
        fields: &["container", "image"],
        build: build_container_running,
    },
    KindDef {
        name: "container.network_mode",
        fields: &["container", "mode"],
        build: build_container_network_mode,
    },
    KindDef {
        name: "container.networks",
        fields: &["container", "includes", "excludes"],
        build: build_container_networks,
    },
    KindDef {
        name: "container.port",
        fields: &["container", "port", "host_port", "reachable"],
        build: build_container_port,
    },
    KindDef {
        name: "container.security",
        fields: &[
            "container",
            "read_only",
            "tmpfs",
            "cap_drop",
            "cap_add",
            "no_new_privileges",
            "user",
            "not_root",
            "memory",
            "pids",
        ],
        build: build_container_security,
    },
    KindDef {
        name: "container.shares",
        fields: &["container", "target", "namespaces"],
        build: build_container_shares,
    },
    KindDef {
        name: "network.exists",
        fields: &[
            "network",
            "driver",
            "scope",
            "internal",
            "attachable",
            "subnet",
            "gateway",
            "options",
        ],
        build: build_network_exists,
    },
    KindDef {
        name: "network.absent",
        fields: &["network"],
        build: build_network_absent,
    },
    KindDef {
        name: "network.reach",
        fields: &["from_network", "to", "port", "expect"],
        build: build_network_reach,
    },
    KindDef {
        name: "network.resolves",
        fields: &["network", "name", "expect"],
        build: build_network_resolves,
    },
    KindDef {
        name: "swarm.active",
        fields: &[],
        build: build_swarm_active,
    },
];

/// Every kind's name, in table order.
pub fn kind_names() -> Vec<&'static str> {
    KINDS.iter().map(|d| d.name).collect()
}

/// The kind-specific fields of each kind.
pub fn kind_fields(kind: &str) -> Option<&'static [&'static str]> {
    KINDS.iter().find(|d| d.name == kind).map(|d| d.fields)
}

fn all_kind_fields() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = kind_names()
        .iter()
        .filter_map(|k| kind_fields(k))
        .flat_map(|f| f.iter().copied())
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The longest timeout a check may ask for.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(600);

/// `"10s"`, `"500ms"`, `"1m"`, `"1.5s"`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num
        .parse()
        .map_err(|_| format!("`{t}` is not a duration; write e.g. \"10s\" or \"500ms\""))?;
    let secs = match unit.trim() {
        "ms" => value / 1000.0,
        "s" | "" => value,
        "m" | "min" => value * 60.0,
        other => {
            return Err(format!(
                "unknown time unit `{other}` in `{t}`; use ms, s or m, e.g. \"10s\""
            ))
        }
    };
    if !secs.is_finite() || secs <= 0.0 {
        return Err(format!("a timeout must be more than zero; found `{t}`"));
    }
    if secs > MAX_TIMEOUT.as_secs_f64() {
        return Err(format!("`{t}` is too long; a timeout may be at most 10m"));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// `"80/tcp"`, `"53/udp"`, `"80"` (tcp), normalised to `port/proto`.
pub fn parse_port(s: &str) -> Result<String, String> {
    let t = s.trim();
    let (num, proto) = t.split_once('/').unwrap_or((t, "tcp"));
    let n: u16 = num
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("`{t}` is not a port; write e.g. \"80/tcp\""))?;
    let proto = proto.to_ascii_lowercase();
    if !["tcp", "udp", "sctp"].contains(&proto.as_str()) {
        return Err(format!(
            "unknown protocol `{proto}` in `{t}`; use tcp, udp or sctp, e.g. \"80/tcp\""
        ));
    }
    Ok(format!("{n}/{proto}"))
}

/// What validation of the whole lesson needs besides the spec.
#[derive(Debug, Clone)]
pub struct ParsedCheck {
    pub id: Option<At<String>>,
    pub needs: Vec<At<String>>,
    pub needs_span: Option<Range<usize>>,
    pub head: Range<usize>,
    pub spec: Option<CheckSpec>,
}

struct K<'r, 'a, 't> {
    r: &'r mut Reporter<'a>,
    t: &'t Table,
    head: Range<usize>,
    label: String,
}

impl K<'_, '_, '_> {
    fn missing(&mut self, key: &str, example: &str) {
        let msg = format!("{} needs `{key}`, e.g. {example}", self.label);
        self.r.at(&self.head, msg);
    }

    fn req_str(&mut self, key: &str, example: &str) -> String {
        let msg = format!("{} needs `{key}`, e.g. {example}", self.label);
        fields::required_string(self.r, self.t, key, example, &msg, &self.head)
            .map(|a| a.v)
            .unwrap_or_default()
    }

    fn opt_str(&mut self, key: &str, example: &str) -> Option<String> {
        let s = fields::string(self.r, self.t, key, example)?;
        if s.v.trim().is_empty() {
            self.r
                .at(&s.span, format!("`{key}` cannot be empty, e.g. {example}"));
        }
        Some(s.v)
    }

    fn list(&mut self, key: &str, example: &str) -> Option<Vec<At<String>>> {
        fields::string_list(self.r, self.t, key, example)
    }

    fn image_paths(&mut self, key: &str) -> Option<Vec<String>> {
        self.image_paths_as(key, "paths = [\"/bin/sh\"]")
    }

    fn image_paths_as(&mut self, key: &str, example: &str) -> Option<Vec<String>> {
        let items = self.list(key, example)?;
        for p in &items {
            if !p.v.starts_with('/') {
                self.r.at(
                    &p.span,
                    format!(
                        "`{}` is not an absolute path; paths in an image start with `/`, e.g. \"/bin/sh\"",
                        p.v
                    ),
                );
            }
        }
        Some(items.into_iter().map(|a| a.v).collect())
    }

    fn size(&mut self, key: &str) -> Option<u64> {
        let e = self.t.get(key)?;
        match &e.node.v {
            V::Str(s) => match parse_size(s) {
                Ok(n) => Some(n),
                Err(msg) => {
                    self.r.at(&e.node.span, format!("`{key}`: {msg}"));
                    None
                }
            },
            V::Int(i) if *i >= 0 => Some(*i as u64),
            V::Int(i) => {
                self.r.at(
                    &e.node.span,
                    format!("`{key}` cannot be negative; found {i}"),
                );
                None
            }
            other => {
                self.r.at(
                    &e.node.span,
                    format!(
                        "`{key}` must be a size like \"20MB\" or a number of bytes; found {}",
                        other.describe()
                    ),
                );
                None
            }
        }
    }

    fn u32_req(&mut self, key: &str, lo: i64, example: &str) -> u32 {
        if self.t.get(key).is_none() {
            self.missing(key, example);
            return 0;
        }
        fields::integer(self.r, self.t, key, lo, i64::from(u32::MAX))
            .and_then(|a| u32::try_from(a.v).ok())
            .unwrap_or(0)
    }

    fn port_num(&mut self, key: &str) -> Option<u16> {
        fields::integer(self.r, self.t, key, 1, 65535).and_then(|a| u16::try_from(a.v).ok())
    }

    fn boolean(&mut self, key: &str) -> Option<bool> {
        fields::boolean(self.r, self.t, key).map(|a| a.v)
    }

    fn file(&mut self) -> String {
        let Some(f) = fields::string(self.r, self.t, "file", "file = \"Dockerfile\"") else {
            return "Dockerfile".to_string();
        };
        let bad = f.v.trim().is_empty()
            || f.v.starts_with('/')
            || f.v.starts_with('\\')
            || f.v.split(['/', '\\']).any(|c| c == "..");
        if bad {
            self.r.at(
                &f.span,
                format!(
                    "`file` must be a path inside the lesson workspace, without `..`, e.g. \"Dockerfile\"; found `{}`",
                    f.v
                ),
            );
        }
        f.v
    }
}

/// Parse one `[[check]]` table. `n` is its 1-based position in the lesson.
pub fn parse_check(r: &mut Reporter, t: &Table, head: Range<usize>, n: usize) -> ParsedCheck {
    let id = fields::required_string(
        r,
        t,
        "id",
        "id = \"small\"",
        &format!("check #{n} has no `id`; add e.g. id = \"small\" (unique in this lesson)"),
        &head,
    );
    if let Some(id) = &id {
        let ok =
            id.v.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !ok {
            r.at(
                &id.span,
                format!(
                    "check id `{}` may only contain letters, digits, `-`, `_` and `.`",
                    id.v
                ),
            );
        }
    }
    let name = id
        .as_ref()
        .map_or_else(|| format!("#{n}"), |i| format!("`{}`", i.v));
    let title = fields::required_string(
        r,
        t,
        "title",
        "title = \"calc-app-small is under 20 MB\"",
        &format!("check {name} has no `title`; add a one-line goal, e.g. title = \"calc-app-small is under 20 MB\""),
        &head,
    );
    let why = fields::string(
        r,
        t,
        "why",
        "why = \"Every megabyte is pulled on every deploy.\"",
    );
    let hint = fields::string(r, t, "hint", "hint = \"Try FROM scratch\"");
    let needs_entry = t.get("needs").map(|e| e.node.span.clone());
    let needs = fields::string_list(r, t, "needs", "needs = [\"exists\"]").unwrap_or_default();
    let mut requires = Vec::new();
    for cap in fields::string_list(
        r,
        t,
        "requires",
        "requires = [\"default-bridge-isolation\"]",
    )
    .unwrap_or_default()
    {
        if super::parse::CAPABILITIES.contains(&cap.v.as_str()) {
            requires.push(cap.v);
        } else {
            r.at(
                &cap.span,
                format!(
                    "unknown capability `{}` in `requires` of check {name} (known: {}){}",
                    cap.v,
                    super::parse::CAPABILITIES.join(", "),
                    did_you_mean(&cap.v, super::parse::CAPABILITIES),
                ),
            );
        }
    }

    let kind = match t.get("kind") {
        None => {
            r.at(
                &head,
                format!(
                    "check {name} has no `kind`; add e.g. kind = \"image.size\" (kinds: {})",
                    kind_names().join(", ")
                ),
            );
            None
        }
        Some(_) => fields::string(r, t, "kind", "kind = \"image.size\""),
    };
    let mut spec = None;
    if let Some(kind) = kind {
        match kind_fields(&kind.v) {
            None => {
                let hint = did_you_mean(&kind.v, &kind_names());
                let msg = if hint.is_empty() {
                    format!(
                        "unknown check kind `{}`; the kinds are: {}",
                        kind.v,
                        kind_names().join(", ")
                    )
                } else {
                    format!("unknown check kind `{}`{hint}", kind.v)
                };
                r.at(&kind.span, msg);
            }
            Some(own) => {
                let allowed: Vec<&str> = COMMON_FIELDS.iter().chain(own.iter()).copied().collect();
                let others = all_kind_fields();
                fields::unknown_fields(
                    r,
                    t,
                    &allowed,
                    &format!("in check {name} ({})", kind.v),
                    &others,
                );
                let mut k = K {
                    r,
                    t,
                    head: head.clone(),
                    label: format!("check {name} ({})", kind.v),
                };
                let ck = build_kind(&mut k, &kind.v);
                spec = Some(CheckSpec {
                    id: id.as_ref().map(|i| i.v.clone()).unwrap_or_default(),
                    title: title.map(|t| t.v).unwrap_or_default(),
                    why: why.map(|w| w.v),
                    hint: hint.map(|h| h.v),
                    needs: needs.iter().map(|n| n.v.clone()).collect(),
                    requires,
                    kind: ck,
                });
            }
        }
    }
    ParsedCheck {
        id,
        needs,
        needs_span: needs_entry,
        head,
        spec,
    }
}

const IMG: &str = "image = \"calc-app-small\"";

/// Build the kind named `kind` (known to be in [`KINDS`]).
fn build_kind(k: &mut K, kind: &str) -> CheckKind {
    match KINDS.iter().find(|d| d.name == kind) {
        Some(d) => (d.build)(k),
        None => CheckKind::SwarmActive,
    }
}

fn build_image_exists(k: &mut K) -> CheckKind {
    CheckKind::ImageExists {
        image: k.req_str("image", IMG),
    }
}

fn build_image_size(k: &mut K) -> CheckKind {
    let image = k.req_str("image", IMG);
    let has_max = k.t.get("max").is_some();
    let has_min = k.t.get("min").is_some();
    let max = k.size("max");
    let min = k.size("min");
    if !has_max && !has_min {
        let msg = format!("{} needs `max` and/or `min`, e.g. max = \"20MB\"", k.label);
        k.r.at(&k.head, msg);
    }
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo > hi {
            if let Some(e) = k.t.get("min") {
                k.r.at(
                    &e.node.span,
                    "`min` is larger than `max`; no image could pass",
                );
            }
        }
    }
    CheckKind::ImageSize { image, max, min }
}

fn build_image_size_ratio(k: &mut K) -> CheckKind {
    let image = k.req_str("image", IMG);
    let of = k.req_str("of", "of = \"calc-app-large\"");
    let max = match k.t.get("max") {
        None => {
            k.missing("max", "max = 0.1");
            0.0
        }
        Some(e) => match e.node.v {
            V::Float(f) if f.is_finite() && f > 0.0 => f,
            V::Int(i) if i > 0 => i as f64,
            V::Float(_) | V::Int(_) => {
                k.r.at(
                    &e.node.span,
                    "`max` must be a ratio above 0, e.g. max = 0.1",
                );
                0.0
            }
            ref other => {
                let msg = format!(
                    "`max` must be a number (no quotes), e.g. max = 0.1; found {}",
                    other.describe()
                );
                k.r.at(&e.node.span, msg);
                0.0
            }
        },
    };
    CheckKind::ImageSizeRatio { image, of, max }
}

fn build_image_lacks(k: &mut K) -> CheckKind {
    let image = k.req_str("image", IMG);
    let paths = k.image_paths("paths");
    let sets_raw = k.list("sets", "sets = [\"shell\", \"compilers\"]");
    let names: Vec<&str> = PathSet::ALL.iter().map(|s| s.name()).collect();
    let mut sets = Vec::new();
    for s in sets_raw.iter().flatten() {
        match PathSet::from_name(&s.v) {
            Some(p) => sets.push(p),
            None => {
                let msg = format!(
                    "unknown set `{}` (the sets are: {}){}",
                    s.v,
                    names.join(", "),
                    did_you_mean(&s.v, &names),
                );
                k.r.at(&s.span, msg);
            }
        }
    }
    if k.t.get("paths").is_none() && k.t.get("sets").is_none() {
        let msg = format!(
            "{} needs `paths` and/or `sets`, e.g. sets = [\"shell\"]",
            k.label
        );
        k.r.at(&k.head, msg);
    }
    CheckKind::ImageLacks {
        image,
        paths: paths.unwrap_or_default(),
        sets,
    }
}

fn build_image_has(k: &mut K) -> CheckKind {
    let image = k.req_str("image", IMG);
    if k.t.get("paths").is_none() {
        k.missing("paths", "paths = [\"/app\"]");
    }
    let paths = k.image_paths("paths").unwrap_or_default();
    CheckKind::ImageHas { image, paths }
}

fn build_image_user(k: &mut K) -> CheckKind {
    let image = k.req_str("image", IMG);
    let not_root = k.boolean("not_root");
    let user = k.opt_str("user", "user = \"65532\"");
    let not_root_typed =
        k.t.get("not_root")
            .map_or(true, |e| matches!(e.node.v, V::Bool(_)));
    if not_root != Some(true) && k.t.get("user").is_none() && not_root_typed {
        let msg = format!("{} needs `not_root = true` or `user = \"65532\"`", k.label);
        k.r.at(&k.head, msg);
    }
    CheckKind::ImageUser {
        image,
        not_root: not_root.unwrap_or(false),
        user,
    }
}

fn build_image_layers(k: &mut K) -> CheckKind {
    CheckKind::ImageLayers {
        image: k.req_str("image", IMG),
        max: k.u32_req("max", 0, "max = 5"),
    }
}

fn build_image_packages(k: &mut K) -> CheckKind {
    CheckKind::ImagePackages {
        image: k.req_str("image", IMG),
        max: k.u32_req("max", 0, "max = 0"),
    }
}

fn build_image_run(k: &mut K) -> CheckKind {
    let image = k.req_str("image", IMG);
    let args = k
        .list("args", "args = [\"--version\"]")
        .unwrap_or_default()
        .into_iter()
        .map(|a| a.v)
        .collect();
    let stdin = fields::string(k.r, k.t, "stdin", "stdin = \"2 * 2\"").map(|a| a.v);
    let stdout_contains =
        fields::string(k.r, k.t, "stdout_contains", "stdout_contains = \"4\"").map(|a| a.v);
    let stdout_equals =
        fields::string(k.r, k.t, "stdout_equals", "stdout_equals = \"4\"").map(|a| a.v);
    let exit_code = fields::integer(k.r, k.t, "exit_code", 0, 255).map(|a| a.v);
    let timeout = match k.t.get("timeout") {
        None => Duration::from_secs(10),
        Some(e) => {
            let parsed = match &e.node.v {
                V::Str(s) => parse_duration(s),
                V::Int(i) if *i > 0 => parse_duration(&format!("{i}s")),
                V::Int(i) => Err(format!("a timeout must be more than zero; found {i}")),
                other => Err(format!(
                    "`timeout` must be a duration like \"10s\" or \"500ms\"; found {}",
                    other.describe()
                )),
            };
            match parsed {
                Ok(d) => d,
                Err(msg) => {
                    let msg = if msg.starts_with('`') {
                        msg
                    } else {
                        format!("`timeout`: {msg}")
                    };
                    k.r.at(&e.node.span, msg);
                    Duration::from_secs(10)
                }
            }
        }
    };
    CheckKind::ImageRun {
        image,
        args,
        stdin,
        stdout_contains,
        stdout_equals,
        exit_code,
        timeout,
    }
}

fn build_dockerfile_stages(k: &mut K) -> CheckKind {
    CheckKind::DockerfileStages {
        file: k.file(),
        min: k.u32_req("min", 1, "min = 2"),
    }
}

fn build_dockerfile_final_base(k: &mut K) -> CheckKind {
    let file = k.file();
    let any_of = match k.list("any_of", "any_of = [\"scratch\", \"gcr.io/distroless/*\"]") {
        None if k.t.get("any_of").is_none() => {
            k.missing("any_of", "any_of = [\"scratch\", \"gcr.io/distroless/*\"]");
            Vec::new()
        }
        None => Vec::new(),
        Some(v) if v.is_empty() => {
            if let Some(e) = k.t.get("any_of") {
                k.r.at(
                    &e.node.span,
                    "`any_of` is empty; list at least one base, e.g. [\"scratch\"]",
                );
            }
            Vec::new()
        }
        Some(v) => v.into_iter().map(|a| a.v).collect(),
    };
    CheckKind::DockerfileFinalBase { file, any_of }
}

fn build_container_running(k: &mut K) -> CheckKind {
    CheckKind::ContainerRunning {
        container: k.req_str("container", "container = \"web\""),
        image: k.opt_str("image", IMG),
    }
}

fn build_container_network_mode(k: &mut K) -> CheckKind {
    CheckKind::ContainerNetworkMode {
        container: k.req_str("container", "container = \"web\""),
        mode: k.req_str("mode", "mode = \"host\""),
    }
}

fn build_container_networks(k: &mut K) -> CheckKind {
    let container = k.req_str("container", "container = \"finance\"");
    let includes = k.list("includes", "includes = [\"secure-network\"]");
    let excludes = k.list("excludes", "excludes = [\"bridge\"]");
    if k.t.get("includes").is_none() && k.t.get("excludes").is_none() {
        let msg = format!(
            "{} needs `includes` and/or `excludes`, e.g. includes = [\"secure-network\"]",
            k.label
        );
        k.r.at(&k.head, msg);
    }
    CheckKind::ContainerNetworks {
        container,
        includes: includes
            .unwrap_or_default()
            .into_iter()
            .map(|a| a.v)
            .collect(),
        excludes: excludes
            .unwrap_or_default()
            .into_iter()
            .map(|a| a.v)
            .collect(),
    }
}

fn build_container_port(k: &mut K) -> CheckKind {
    let container = k.req_str("container", "container = \"web\"");
    let port = match k.t.get("port") {
        None => {
            k.missing("port", "port = \"80/tcp\"");
            String::new()
        }
        Some(e) => {
            let parsed = match &e.node.v {
                V::Str(s) => parse_port(s),
                V::Int(i) => parse_port(&i.to_string()),
                other => Err(format!(
                    "`port` must be a port like \"80/tcp\"; found {}",
                    other.describe()
                )),
            };
            parsed.unwrap_or_else(|msg| {
                k.r.at(&e.node.span, msg);
                String::new()
            })
        }
    };
    let host_port = k.port_num("host_port");
    let reachable = k.boolean("reachable").unwrap_or(false);
    CheckKind::ContainerPort {
        container,
        port,
        host_port,
        reachable,
    }
}

fn build_image_history(k: &mut K) -> CheckKind {
    let image = k.req_str("image", IMG);
    let example = "patterns = [\"dojo-token-*\"]";
    let patterns = match k.list("patterns", example) {
        None => {
            if k.t.get("patterns").is_none() {
                k.missing("patterns", example);
            }
            Vec::new()
        }
        Some(v) => {
            if v.is_empty() {
                if let Some(e) = k.t.get("patterns") {
                    k.r.at(
                        &e.node.span,
                        format!("`patterns` is empty; list at least one, e.g. {example}"),
                    );
                }
            }
            let mut out = Vec::new();
            for p in v {
                if p.v.trim_matches('*').trim().is_empty() {
                    k.r.at(
                        &p.span,
                        format!(
                            "`{}` would match every step; name part of the secret, e.g. {example}",
                            p.v
                        ),
                    );
                } else {
                    out.push(p.v);
                }
            }
            out
        }
    };
    CheckKind::ImageHistory { image, patterns }
}

/// Capability names of `key`, normalised; unknown names are reported.
fn capabilities(k: &mut K, key: &str, example: &str) -> Vec<String> {
    let Some(items) = k.list(key, example) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let cap = caps::normalize(&item.v);
        if caps::is_known(&cap) {
            out.push(cap);
        } else {
            let mut known = caps::CAPABILITIES.to_vec();
            known.push("ALL");
            let msg = format!(
                "`{}` is not a Linux capability{}",
                item.v,
                did_you_mean(&cap, &known)
            );
            k.r.at(&item.span, msg);
        }
    }
    out
}

fn build_container_security(k: &mut K) -> CheckKind {
    let container = k.req_str("container", "container = \"api\"");
    let tmpfs = k
        .image_paths_as("tmpfs", "tmpfs = [\"/tmp\"]")
        .unwrap_or_default();
    let cap_drop = capabilities(k, "cap_drop", "cap_drop = [\"ALL\"]");
    let cap_add = capabilities(k, "cap_add", "cap_add = [\"NET_BIND_SERVICE\"]");
    if let Some(e) = k.t.get("cap_add") {
        if cap_add.iter().any(|c| c == "ALL") {
            k.r.at(
                &e.node.span,
                "`cap_add` cannot allow ALL; name the capabilities the program needs",
            );
        }
    }
    let memory = k.size("memory");
    if memory == Some(0) {
        if let Some(e) = k.t.get("memory") {
            k.r.at(
                &e.node.span,
                "`memory` must be more than zero, e.g. memory = \"256MB\"",
            );
        }
    }
    let pids = fields::integer(k.r, k.t, "pids", 1, i64::from(u32::MAX))
        .and_then(|a| u32::try_from(a.v).ok());
    let spec = SecuritySpec {
        read_only: k.boolean("read_only"),
        tmpfs,
        cap_drop,
        cap_add,
        no_new_privileges: k.boolean("no_new_privileges"),
        user: k.opt_str("user", "user = \"65532\""),
        not_root: k.boolean("not_root").unwrap_or(false),
        memory,
        pids,
    };
    let asks = kind_fields("container.security")
        .unwrap_or_default()
        .iter()
        .any(|f| *f != "container" && k.t.get(f).is_some());
    if !asks {
        let msg = format!(
            "{} asks nothing of the container; set at least one of read_only, tmpfs, cap_drop, cap_add, no_new_privileges, user, not_root, memory, pids",
            k.label
        );
        k.r.at(&k.head, msg);
    }
    CheckKind::ContainerSecurity { container, spec }
}

fn build_container_shares(k: &mut K) -> CheckKind {
    let container = k.req_str("container", "container = \"debugger\"");
    let target = k.req_str("target", "target = \"api\"");
    let example = "namespaces = [\"pid\", \"network\"]";
    let mut namespaces = Vec::new();
    match k.list("namespaces", example) {
        None if k.t.get("namespaces").is_none() => k.missing("namespaces", example),
        None => {}
        Some(v) if v.is_empty() => {
            if let Some(e) = k.t.get("namespaces") {
                k.r.at(
                    &e.node.span,
                    format!("`namespaces` is empty, e.g. {example}"),
                );
            }
        }
        Some(v) => {
            for item in v {
                match Namespace::parse(&item.v) {
                    Some(n) if !namespaces.contains(&n) => namespaces.push(n),
                    Some(_) => {}
                    None => {
                        let names: Vec<&str> = Namespace::ALL.iter().map(|n| n.as_str()).collect();
                        let msg = format!(
                            "`{}` is not a namespace a container can share; use {}{}",
                            item.v,
                            names.join(", "),
                            did_you_mean(&item.v, &names)
                        );
                        k.r.at(&item.span, msg);
                    }
                }
            }
        }
    }
    namespaces.sort();
    if !container.is_empty() && container == target {
        let msg = format!(
            "{}: `container` and `target` are the same container",
            k.label
        );
        k.r.at(&k.head, msg);
    }
    CheckKind::ContainerShares {
        container,
        target,
        namespaces,
    }
}

fn build_network_exists(k: &mut K) -> CheckKind {
    let network = k.req_str("network", "network = \"secure-network\"");
    let driver = k.opt_str("driver", "driver = \"bridge\"");
    let scope = k.opt_str("scope", "scope = \"local\"");
    let internal = k.boolean("internal");
    let attachable = k.boolean("attachable");
    let subnet = k.opt_str("subnet", "subnet = \"172.30.0.0/16\"");
    let gateway = k.opt_str("gateway", "gateway = \"172.30.0.1\"");
    let mut options = BTreeMap::new();
    if let Some((t, _)) = fields::table(k.r, k.t, "options", "options = { parent = \"eth0\" }") {
        for e in &t.entries {
            match &e.node.v {
                V::Str(s) => {
                    options.insert(e.key.clone(), s.clone());
                }
                other => {
                    let msg = format!(
                        "driver option `{}` must be a string in quotes (Docker stores options as text); found {}",
                        e.key,
                        other.describe()
                    );
                    k.r.at(&e.node.span, msg);
                }
            }
        }
    }
    CheckKind::NetworkExists {
        network,
        driver,
        scope,
        internal,
        attachable,
        subnet,
        gateway,
        options,
    }
}

fn build_network_absent(k: &mut K) -> CheckKind {
    CheckKind::NetworkAbsent {
        network: k.req_str("network", "network = \"old-network\""),
    }
}

fn build_network_reach(k: &mut K) -> CheckKind {
    let from_network = k.req_str("from_network", "from_network = \"bridge\"");
    let to = k.req_str("to", "to = \"finance\"");
    let port = k.port_num("port");
    let expect = match k.t.get("expect") {
        None => Reach::Reachable,
        Some(e) => match &e.node.v {
            V::Str(s) if s == "reachable" => Reach::Reachable,
            V::Str(s) if s == "unreachable" => Reach::Unreachable,
            V::Bool(true) => Reach::Reachable,
            V::Bool(false) => Reach::Unreachable,
            V::Str(s) => {
                let msg = format!(
                    "`expect` must be \"reachable\" or \"unreachable\"{}; found `{s}`",
                    did_you_mean(s, &["reachable", "unreachable"])
                );
                k.r.at(&e.node.span, msg);
                Reach::Reachable
            }
            other => {
                let msg = format!(
                    "`expect` must be \"reachable\" or \"unreachable\"; found {}",
                    other.describe()
                );
                k.r.at(&e.node.span, msg);
                Reach::Reachable
            }
        },
    };
    CheckKind::NetworkReach {
        from_network,
        to,
        port,
        expect,
    }
}

fn build_network_resolves(k: &mut K) -> CheckKind {
    let network = k.req_str("network", "network = \"secure-network\"");
    let name = k.req_str("name", "name = \"finance\"");
    let expect = match k.t.get("expect") {
        None => true,
        Some(e) => match &e.node.v {
            V::Bool(b) => *b,
            other => {
                let found = match other {
                    V::Str(s) => format!("\"{s}\""),
                    o => o.describe().to_string(),
                };
                let msg = format!(
                    "`expect` must be true (the name resolves) or false (it does not), without quotes; found {found}"
                );
                k.r.at(&e.node.span, msg);
                true
            }
        },
    };
    CheckKind::NetworkResolves {
        network,
        name,
        expect,
    }
}

fn build_swarm_active(_: &mut K) -> CheckKind {
    CheckKind::SwarmActive
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("1m"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("10h")
            .expect_err("error")
            .contains("unknown time unit"));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("1e400s").is_err());
        assert!(parse_duration("11m")
            .expect_err("error")
            .contains("too long"));
    }

    #[test]
    fn ports() {
        assert_eq!(parse_port("80/tcp"), Ok("80/tcp".into()));
        assert_eq!(parse_port("80"), Ok("80/tcp".into()));
        assert_eq!(parse_port("53/UDP"), Ok("53/udp".into()));
        assert!(parse_port("0/tcp").is_err());
        assert!(parse_port("70000").is_err());
        assert!(parse_port("80/icmp")
            .expect_err("error")
            .contains("unknown protocol"));
    }

    #[test]
    fn the_documented_kinds_are_the_table() {
        let doc = include_str!("../../docs/LESSON-FORMAT.md");
        let mut documented = Vec::new();
        for line in doc.lines() {
            let Some(rest) = line.strip_prefix("| `") else {
                continue;
            };
            let Some((name, row)) = rest.split_once('`') else {
                continue;
            };
            if !name.contains('.') {
                continue;
            }
            documented.push(name);
            let def = KINDS.iter().find(|d| d.name == name);
            let def = def.unwrap_or_else(|| panic!("docs list `{name}`, which is not a kind"));
            for f in def.fields {
                assert!(
                    row.contains(&format!("`{f}`")) || row.contains(&format!("`{f} ")),
                    "docs/LESSON-FORMAT.md does not name field `{f}` of `{name}`: {line}"
                );
            }
        }
        assert_eq!(
            documented,
            kind_names(),
            "the docs' table lists every kind, in table order"
        );
    }

    #[test]
    fn every_kind_has_fields() {
        for k in kind_names() {
            assert!(kind_fields(k).is_some(), "{k}");
        }
        assert!(kind_fields("image.bogus").is_none());
    }
}
