//! `dockdojo doctor`: is the engine reachable, which endpoint and why, API
//! and engine version, socket permission, platform, swarm, the images the
//! pack's lessons need, and lessons this engine cannot serve.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{Ctx, EXIT_CANNOT, EXIT_OK};
use crate::engine::platform::{unmet_requirements, Platform};
use crate::engine::{self, Endpoint, Engine, EngineError};
use crate::lesson::size::format_size;
use crate::lesson::Pack;
use crate::sanitize::clean_line;

/// One image the pack needs.
#[derive(Debug, Clone)]
pub struct NeededImage {
    pub name: String,
    /// Lesson ids that list it.
    pub used_by: Vec<String>,
    /// The pack's probe image.
    pub probe: bool,
}

/// Every image the pack's lessons list, plus the probe image, in order,
/// each once.
pub fn needed_images(pack: &Pack) -> Vec<NeededImage> {
    let mut out: Vec<NeededImage> = Vec::new();
    let mut add = |name: &str, lesson: Option<&str>, probe: bool| {
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        let i = match out.iter().position(|n| n.name == name) {
            Some(i) => i,
            None => {
                out.push(NeededImage {
                    name: name.to_string(),
                    used_by: Vec::new(),
                    probe: false,
                });
                out.len() - 1
            }
        };
        if let Some(l) = lesson {
            if !out[i].used_by.iter().any(|u| u == l) {
                out[i].used_by.push(l.to_string());
            }
        }
        out[i].probe |= probe;
    };
    for l in &pack.lessons {
        for img in &l.images {
            add(img, Some(&l.id), false);
        }
    }
    add(&pack.manifest.probe_image, None, true);
    out
}

/// Whether an image is present: `Ok(Some(size))`, `Ok(None)` when missing.
pub async fn image_present(engine: &Engine, name: &str) -> Result<Option<u64>, EngineError> {
    match engine.docker.inspect_image(name).await {
        Ok(i) => Ok(Some(
            i.size.and_then(|s| u64::try_from(s).ok()).unwrap_or(0),
        )),
        Err(e) => {
            let e = engine.err(e);
            if e.is_not_found() {
                Ok(None)
            } else {
                Err(e)
            }
        }
    }
}

/// Facts about a unix socket's permissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocketFacts {
    pub path: String,
    pub exists: bool,
    pub mode: Option<u32>,
    pub owner_uid: Option<u32>,
    pub group: Option<String>,
    /// Whether this process may read and write it by its mode bits.
    pub accessible: Option<bool>,
}

fn socket_facts(path: &str) -> SocketFacts {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok();
    let Some(m) = meta else {
        return SocketFacts {
            path: path.to_string(),
            exists: false,
            mode: None,
            owner_uid: None,
            group: None,
            accessible: None,
        };
    };
    let mode = m.mode() & 0o7777;
    let (uid, groups) = process_ids();
    let accessible = uid.map(|u| {
        if u == 0 {
            true
        } else if u == m.uid() {
            mode & 0o600 == 0o600
        } else if groups.contains(&m.gid()) {
            mode & 0o060 == 0o060
        } else {
            mode & 0o006 == 0o006
        }
    });
    SocketFacts {
        path: path.to_string(),
        exists: true,
        mode: Some(mode),
        owner_uid: Some(m.uid()),
        group: Some(group_name(m.gid())),
        accessible,
    }
}

/// Effective uid and supplementary groups, from /proc/self/status.
fn process_ids() -> (Option<u32>, Vec<u32>) {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return (None, Vec::new());
    };
    let mut uid = None;
    let mut groups = Vec::new();
    for line in status.lines() {
        if let Some(rest) = line.strip_prefix("Uid:") {
            // real, effective, saved, fs
            uid = rest.split_whitespace().nth(1).and_then(|s| s.parse().ok());
        } else if let Some(rest) = line.strip_prefix("Gid:") {
            if let Some(g) = rest.split_whitespace().nth(1).and_then(|s| s.parse().ok()) {
                groups.push(g);
            }
        } else if let Some(rest) = line.strip_prefix("Groups:") {
            groups.extend(
                rest.split_whitespace()
                    .filter_map(|s| s.parse::<u32>().ok()),
            );
        }
    }
    (uid, groups)
}

fn group_name(gid: u32) -> String {
    std::fs::read_to_string("/etc/group")
        .ok()
        .and_then(|g| {
            g.lines().find_map(|l| {
                let mut f = l.split(':');
                let name = f.next()?;
                let _pw = f.next()?;
                let id: u32 = f.next()?.parse().ok()?;
                (id == gid).then(|| name.to_string())
            })
        })
        .unwrap_or_else(|| gid.to_string())
}

fn socket_json(s: &SocketFacts) -> Value {
    json!({
        "path": s.path,
        "exists": s.exists,
        "mode": s.mode.map(|m| format!("{m:04o}")),
        "owner_uid": s.owner_uid,
        "group": s.group,
        "accessible": s.accessible,
    })
}

fn socket_line(s: &SocketFacts, err: Option<&EngineError>) -> String {
    if !s.exists {
        return format!("{}: does not exist", s.path);
    }
    let mode = s.mode.map(|m| format!("{m:04o}")).unwrap_or_default();
    let group = s.group.clone().unwrap_or_default();
    let access = match (err, s.accessible) {
        (Some(EngineError::PermissionDenied { .. }), _) | (_, Some(false)) => format!(
            "you may not use it; join the `{group}` group (`sudo usermod -aG {group} $USER`, then log in again)"
        ),
        (_, Some(true)) => "you can read and write it".to_string(),
        (_, None) => "access unknown".to_string(),
    };
    format!("{}: mode {mode}, group {group}; {access}", s.path)
}

fn platform_json(p: &Platform) -> Value {
    let mut v = serde_json::to_value(p).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert("name".into(), Value::String(p.name()));
    }
    v
}

/// Whether `image`'s files would be read from the engine's layers on this
/// machine (`engine::layers`): the doctor's line and its JSON.
async fn image_files(eng: &Engine, image: &str) -> (String, Value) {
    let Ok(inspect) = eng.docker.inspect_image(image).await else {
        return (
            format!("unknown until {image} is there to look at (`dockdojo prepare`)"),
            json!({"read_here": null, "why_not": null}),
        );
    };
    let dirs = engine::layers::LayerDirs::of(&inspect);
    match engine::layers::LayerFs::open(eng, &dirs).await {
        Ok(_) => (
            "read from the engine's layers on this machine: an image is scanned without a container".to_string(),
            json!({"read_here": true, "why_not": null}),
        ),
        Err(why) => (
            format!("asked of the engine through a scan container, one request per path: {why}"),
            json!({"read_here": false, "why_not": why.to_string()}),
        ),
    }
}

pub async fn run(ctx: &Ctx, json: bool) -> anyhow::Result<i32> {
    let mut doc = serde_json::Map::new();
    let mut lines: Vec<String> = Vec::new();
    let mut exit = EXIT_OK;

    // 1. Endpoint and connection.
    let endpoint: Result<Endpoint, EngineError> = engine::resolve_endpoint();
    let connected = match &endpoint {
        Ok(ep) => engine::connect_to(ep.clone()).await,
        Err(e) => Err(e.clone()),
    };
    match &endpoint {
        Ok(ep) => {
            lines.push(format!(
                "Endpoint   {} (chosen by: {})",
                clean_line(&ep.url),
                clean_line(&ep.source)
            ));
            doc.insert(
                "endpoint".into(),
                json!({"url": ep.url, "source": ep.source, "tls": ep.tls.is_some()}),
            );
        }
        Err(e) => {
            lines.push(format!(
                "Endpoint   cannot be chosen: {}",
                clean_line(&e.to_string())
            ));
            doc.insert("endpoint".into(), Value::Null);
        }
    }
    let mut detected = None;
    let engine = match connected {
        Ok(eng) => {
            // `info` and `version` once: the platform, and with it which engine this is.
            detected = Some(engine::platform::detect(&eng).await);
            let kind = engine::kind::known(&eng.endpoint.url);
            lines.push(format!(
                "Engine     reachable: {} {} (API {})",
                kind.map_or("Docker", |k| k.product()),
                clean_line(eng.version.as_deref().unwrap_or("unknown")),
                clean_line(eng.api_version.as_deref().unwrap_or("unknown"))
            ));
            if let Some(k) = kind {
                lines.push(format!(
                    "Images     {} image store; dockdojo reports image sizes unpacked, the same figure on every engine",
                    k.store()
                ));
            }
            doc.insert(
                "engine".into(),
                json!({"reachable": true, "product": kind.map(|k| k.product()), "kind": kind, "version": eng.version, "api_version": eng.api_version, "error": null}),
            );
            Some(eng)
        }
        Err(e) => {
            exit = EXIT_CANNOT;
            if endpoint.is_ok() {
                lines.push(format!(
                    "Engine     NOT reachable: {}",
                    clean_line(&e.to_string())
                ));
            } else {
                lines.push("Engine     NOT reachable: no usable endpoint (see above)".to_string());
            }
            doc.insert(
                "engine".into(),
                json!({"reachable": false, "version": null, "api_version": null, "error": e.to_string()}),
            );
            // On stderr in both modes: stdout stays pure JSON with --json.
            eprintln!("dockdojo: {}", clean_line(&e.to_string()));
            // Socket facts help most when it failed.
            if let Ok(ep) = &endpoint {
                if let Some(path) = ep.unix_path() {
                    let s = socket_facts(path);
                    lines.push(format!(
                        "Socket     {}",
                        clean_line(&socket_line(&s, Some(&e)))
                    ));
                    doc.insert("socket".into(), socket_json(&s));
                }
            }
            None
        }
    };

    // 2. Platform and swarm.
    let mut platform: Option<Platform> = None;
    if let Some(eng) = &engine {
        if let Some(path) = eng.endpoint.unix_path() {
            let s = socket_facts(path);
            lines.push(format!("Socket     {}", clean_line(&socket_line(&s, None))));
            doc.insert("socket".into(), socket_json(&s));
        }
        let result = match detected {
            Some(r) => r,
            None => engine::platform::detect(eng).await,
        };
        match result {
            Ok(p) => {
                lines.push(format!("Platform   {}", clean_line(&p.name())));
                let swarm_note = if p.swarm.is_manager() {
                    "this engine is a swarm manager: overlay networks work"
                } else if p.unmet(engine::platform::SWARM).is_none() {
                    "not in a swarm; the overlay lesson can initialise one"
                } else {
                    "overlay networks will not work here (see below)"
                };
                lines.push(format!(
                    "Swarm      {} ({swarm_note})",
                    clean_line(&p.swarm.describe())
                ));
                doc.insert("platform".into(), platform_json(&p));
                platform = Some(p);
            }
            Err(e) => {
                lines.push(format!(
                    "Platform   unknown: {}",
                    clean_line(&e.to_string())
                ));
                doc.insert("platform".into(), Value::Null);
            }
        }
        // How an image's files are read: from the engine's layers here, or
        // through a scan container (one request per path), and why.
        if let Ok(pack) = ctx.pack() {
            let (line, value) = image_files(eng, &pack.manifest.probe_image).await;
            lines.push(format!("Files      {}", clean_line(&line)));
            doc.insert("image_files".into(), value);
        }
    }

    // 3. The pack: images and requirements.
    match ctx.pack() {
        Err(e) => {
            let text = e.to_string();
            lines.push(format!(
                "Pack       could not be loaded (run `dockdojo lint` for details):\n{}",
                crate::sanitize::clean(&text)
            ));
            doc.insert("pack".into(), json!({"loaded": false, "error": text}));
            doc.insert("images".into(), Value::Null);
            doc.insert("requirements".into(), Value::Null);
        }
        Ok(pack) => {
            lines.push(format!(
                "Pack       \"{}\", {} lessons",
                clean_line(&pack.manifest.title),
                pack.lessons.len()
            ));
            doc.insert(
                "pack".into(),
                json!({"loaded": true, "title": pack.manifest.title, "lessons": pack.lessons.len(), "error": null}),
            );
            // The language: asked where, which translation answered, and the interface's.
            let asked_by = if ctx.global.lang.is_some() {
                "--lang (or DOCKDOJO_LANG)"
            } else if ctx.settings.lang.is_some() {
                "config.toml"
            } else {
                "the default"
            };
            let t = &pack.translation;
            let lessons_in = match &t.applied {
                Some(tag) => format!(
                    "lessons in {} ({} of {} translated, the others in {})",
                    clean_line(tag),
                    t.lessons.len(),
                    pack.lessons.len(),
                    clean_line(&pack.manifest.lang)
                ),
                None => format!("lessons in {}", clean_line(&pack.manifest.lang)),
            };
            lines.push(format!(
                "Language   {}, from {asked_by}: {lessons_in}; interface in {}{}",
                clean_line(ctx.settings.lang.as_deref().unwrap_or(&pack.manifest.lang)),
                crate::ui::text::lang(),
                if t.available.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; translations here: {}",
                        clean_line(&t.available.join(", "))
                    )
                }
            ));
            if let Some(note) = &t.note {
                lines.push(format!("           {}", clean_line(note)));
            }
            doc.insert(
                "language".into(),
                json!({
                    "asked": ctx.settings.lang,
                    "decided_by": asked_by,
                    "lessons": pack.lang(),
                    "translated_lessons": t.lessons,
                    "translations": t.available,
                    "interface": crate::ui::text::lang(),
                    "note": t.note,
                }),
            );
            let needed = needed_images(&pack);
            let mut imgs = Vec::new();
            let mut missing = 0usize;
            lines.push("Images the lessons need:".to_string());
            for n in &needed {
                let (present, size, error) = match &engine {
                    None => (None, None, Some("engine unreachable".to_string())),
                    Some(eng) => match image_present(eng, &n.name).await {
                        Ok(Some(sz)) => (Some(true), Some(sz), None),
                        Ok(None) => (Some(false), None, None),
                        Err(e) => (None, None, Some(e.to_string())),
                    },
                };
                let what = if n.probe && n.used_by.is_empty() {
                    "probe image".to_string()
                } else if n.probe {
                    format!("probe image; {}", n.used_by.join(", "))
                } else {
                    n.used_by.join(", ")
                };
                let status = match (present, &error) {
                    (Some(true), _) => {
                        format!("present  {}", size.map(format_size).unwrap_or_default())
                    }
                    (Some(false), _) => {
                        missing += 1;
                        "MISSING: run `dockdojo prepare`".to_string()
                    }
                    (None, Some(e)) => format!("unknown: {e}"),
                    (None, None) => "unknown".to_string(),
                };
                let mark = match present {
                    Some(true) => "✔",
                    Some(false) => "✘",
                    None => "!",
                };
                lines.push(format!(
                    "  {mark} {}  {}  ({})",
                    clean_line(&n.name),
                    clean_line(&status),
                    clean_line(&what)
                ));
                imgs.push(json!({
                    "name": n.name,
                    "present": present,
                    "size": size,
                    "used_by": n.used_by,
                    "probe": n.probe,
                    "error": error,
                }));
            }
            if missing > 0 {
                lines.push(format!(
                    "  {missing} image(s) missing: `dockdojo prepare` pulls them (or `dockdojo prepare --load FILE` from an instructor's archive)."
                ));
            }
            doc.insert("images".into(), Value::Array(imgs));

            let mut reqs = BTreeMap::new();
            if let Some(p) = &platform {
                let mut any = false;
                for l in &pack.lessons {
                    let unmet = unmet_requirements(&l.requires, p);
                    if !unmet.is_empty() {
                        if !any {
                            lines.push("Lessons this engine cannot fully serve:".to_string());
                            any = true;
                        }
                        for s in &unmet {
                            lines.push(format!("  {}: {}", clean_line(&l.id), clean_line(s)));
                        }
                        reqs.insert(l.id.clone(), unmet);
                    }
                }
                if !any {
                    lines.push("Lessons    every lesson's requirements are met here".to_string());
                }
                doc.insert("requirements".into(), json!(reqs));
            } else {
                doc.insert("requirements".into(), Value::Null);
            }
        }
    }

    // 4. The palette and what decided it (auto asks the terminal).
    let (theme, decided) = ctx.theme();
    lines.push(format!(
        "Theme      {} ({} colours), from {}",
        decided.kind.name(),
        match theme.mode {
            crate::theme::ColorMode::TrueColor => "24-bit",
            crate::theme::ColorMode::Palette256 => "256",
        },
        clean_line(&decided.source.describe())
    ));
    doc.insert(
        "theme".into(),
        json!({
            "palette": decided.kind.name(),
            "truecolor": theme.mode == crate::theme::ColorMode::TrueColor,
            "decided_by": decided.source.describe(),
            "waited_ms": decided.waited.as_millis() as u64,
        }),
    );

    if json {
        outln!("{}", serde_json::to_string_pretty(&Value::Object(doc))?);
    } else {
        for l in lines {
            outln!("{l}");
        }
    }
    Ok(exit)
}
