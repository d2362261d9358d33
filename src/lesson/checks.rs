//! `[[check]]` tables: the fields of each kind, typed, with messages for
//! everything an author can get wrong.

use std::collections::BTreeMap;
use std::ops::Range;
use std::time::Duration;

use super::fields::{self, At};
use super::model::{CheckKind, CheckSpec, PathSet, Reach, CHECK_KINDS};
use super::size::parse_size;
use super::suggest::did_you_mean;
use super::tree::{Reporter, Table, V};

/// Fields every check has.
pub const COMMON_FIELDS: &[&str] = &["id", "title", "kind", "why", "hint", "needs"];

/// The kind-specific fields of each kind.
pub fn kind_fields(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "image.exists" => &["image"],
        "image.size" => &["image", "max", "min"],
        "image.size_ratio" => &["image", "of", "max"],
        "image.lacks" => &["image", "paths", "sets"],
        "image.has" => &["image", "paths"],
        "image.user" => &["image", "not_root", "user"],
        "image.layers" => &["image", "max"],
        "image.packages" => &["image", "max"],
        "image.run" => &[
            "image",
            "args",
            "stdin",
            "stdout_contains",
            "stdout_equals",
            "exit_code",
            "timeout",
        ],
        "dockerfile.stages" => &["file", "min"],
        "dockerfile.final_base" => &["file", "any_of"],
        "container.running" => &["container", "image"],
        "container.network_mode" => &["container", "mode"],
        "container.networks" => &["container", "includes", "excludes"],
        "container.port" => &["container", "port", "host_port", "reachable"],
        "network.exists" => &[
            "network",
            "driver",
            "scope",
            "internal",
            "attachable",
            "subnet",
            "gateway",
            "options",
        ],
        "network.absent" => &["network"],
        "network.reach" => &["from_network", "to", "port", "expect"],
        "network.resolves" => &["network", "name", "expect"],
        "swarm.active" => &[],
        _ => return None,
    })
}

/// Every kind-specific field of any kind (for "belongs to other kinds").
fn all_kind_fields() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = CHECK_KINDS
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
        let items = self.list(key, "paths = [\"/bin/sh\"]")?;
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

    let kind = match t.get("kind") {
        None => {
            r.at(
                &head,
                format!(
                    "check {name} has no `kind`; add e.g. kind = \"image.size\" (kinds: {})",
                    CHECK_KINDS.join(", ")
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
                let hint = did_you_mean(&kind.v, CHECK_KINDS);
                let msg = if hint.is_empty() {
                    format!(
                        "unknown check kind `{}`; the kinds are: {}",
                        kind.v,
                        CHECK_KINDS.join(", ")
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

fn build_kind(k: &mut K, kind: &str) -> CheckKind {
    const IMG: &str = "image = \"calc-app-small\"";
    match kind {
        "image.exists" => CheckKind::ImageExists {
            image: k.req_str("image", IMG),
        },
        "image.size" => {
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
        "image.size_ratio" => {
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
        "image.lacks" => {
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
        "image.has" => {
            let image = k.req_str("image", IMG);
            if k.t.get("paths").is_none() {
                k.missing("paths", "paths = [\"/app\"]");
            }
            let paths = k.image_paths("paths").unwrap_or_default();
            CheckKind::ImageHas { image, paths }
        }
        "image.user" => {
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
        "image.layers" => CheckKind::ImageLayers {
            image: k.req_str("image", IMG),
            max: k.u32_req("max", 0, "max = 5"),
        },
        "image.packages" => CheckKind::ImagePackages {
            image: k.req_str("image", IMG),
            max: k.u32_req("max", 0, "max = 0"),
        },
        "image.run" => {
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
        "dockerfile.stages" => CheckKind::DockerfileStages {
            file: k.file(),
            min: k.u32_req("min", 1, "min = 2"),
        },
        "dockerfile.final_base" => {
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
        "container.running" => CheckKind::ContainerRunning {
            container: k.req_str("container", "container = \"web\""),
            image: k.opt_str("image", IMG),
        },
        "container.network_mode" => CheckKind::ContainerNetworkMode {
            container: k.req_str("container", "container = \"web\""),
            mode: k.req_str("mode", "mode = \"host\""),
        },
        "container.networks" => {
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
        "container.port" => {
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
        "network.exists" => {
            let network = k.req_str("network", "network = \"secure-network\"");
            let driver = k.opt_str("driver", "driver = \"bridge\"");
            let scope = k.opt_str("scope", "scope = \"local\"");
            let internal = k.boolean("internal");
            let attachable = k.boolean("attachable");
            let subnet = k.opt_str("subnet", "subnet = \"172.30.0.0/16\"");
            let gateway = k.opt_str("gateway", "gateway = \"172.30.0.1\"");
            let mut options = BTreeMap::new();
            if let Some((t, _)) =
                fields::table(k.r, k.t, "options", "options = { parent = \"eth0\" }")
            {
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
        "network.absent" => CheckKind::NetworkAbsent {
            network: k.req_str("network", "network = \"old-network\""),
        },
        "network.reach" => {
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
        "network.resolves" => {
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
        _ => CheckKind::SwarmActive,
    }
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
    fn every_kind_has_fields() {
        for k in CHECK_KINDS {
            assert!(kind_fields(k).is_some(), "{k}");
        }
        assert!(kind_fields("image.bogus").is_none());
    }
}
