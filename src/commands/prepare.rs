//! `dockdojo prepare [--save FILE | --load FILE]`: pull the images the
//! pack's lessons list (and the probe image), skipping those present, with
//! progress bars; or save them into one archive / load that archive, so an
//! instructor can hand a classroom one file.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use bollard::query_parameters::{CreateImageOptions, ImportImageOptions};
use futures_util::StreamExt;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::doctor::{image_present, needed_images, NeededImage};
use super::{Ctx, EXIT_CANNOT, EXIT_FAIL, EXIT_OK};
use crate::engine::{self, Engine, EngineError};
use crate::lesson::size::format_size;
use crate::sanitize::clean_line;

/// What to tell a learner when a pull fails.
const PULL_ADVICE: &str = "check the internet connection and registry access (`docker login` for a private registry, the daemon's proxy settings behind a proxy), or load an archive from your instructor: `dockdojo prepare --load FILE`";

pub async fn run(ctx: &Ctx, args: crate::cli::PrepareArgs) -> anyhow::Result<i32> {
    // The engine first: everything prepare does needs it.
    let engine = engine::connect().await?;
    let pack = match (ctx.pack(), &args.load) {
        (Ok(p), _) => Some(p),
        // Loading an archive does not need the pack; report against it if we can.
        (Err(e), Some(_)) => {
            eprintln!(
                "dockdojo: the lesson pack could not be loaded, so the archive is loaded without checking it against the lessons:\n{}",
                crate::sanitize::clean(&e.to_string())
            );
            None
        }
        (Err(e), None) => {
            eprintln!(
                "dockdojo: the lesson pack has problems:\n{}",
                crate::sanitize::clean(&e.to_string())
            );
            return Ok(EXIT_CANNOT);
        }
    };
    let needed = pack.as_ref().map(needed_images).unwrap_or_default();
    let ui = Ui::new();
    if let Some(file) = &args.load {
        load(&engine, &ui, file, &needed).await
    } else if let Some(file) = &args.save {
        save(&engine, &ui, file, &needed).await
    } else {
        pull_all(&engine, &ui, &needed).await
    }
}

/// Progress bars on a terminal, plain lines otherwise.
struct Ui {
    tty: bool,
    mp: MultiProgress,
}

impl Ui {
    fn new() -> Ui {
        let tty = std::io::stderr().is_terminal();
        let mp = if tty {
            MultiProgress::with_draw_target(ProgressDrawTarget::stderr())
        } else {
            MultiProgress::with_draw_target(ProgressDrawTarget::hidden())
        };
        Ui { tty, mp }
    }

    /// A line that stays (above the bars on a terminal).
    fn line(&self, s: &str) {
        if self.tty {
            let _ = self.mp.println(s);
        } else {
            outln!("{s}");
        }
    }

    fn bytes_bar(&self, prefix: &str, total: Option<u64>) -> ProgressBar {
        let pb = self.mp.add(ProgressBar::new(total.unwrap_or(0)));
        set_bytes_style(&pb, total.is_some());
        pb.set_prefix(prefix.to_string());
        pb.enable_steady_tick(Duration::from_millis(120));
        pb
    }
}

/// A bar once the total is known, a spinner before.
fn set_bytes_style(pb: &ProgressBar, known_total: bool) {
    let style = if known_total {
        "{prefix:30!} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {msg}"
    } else {
        "{prefix:30!} {spinner} {bytes} {bytes_per_sec} {msg}"
    };
    if let Ok(st) = ProgressStyle::with_template(style) {
        pb.set_style(st.progress_chars("=> "));
    }
}

/// `busybox` -> `busybox:latest`: `/images/create` with no tag pulls every tag.
pub fn with_tag(reference: &str) -> String {
    let last = reference.rsplit('/').next().unwrap_or(reference);
    if reference.contains('@') || last.contains(':') {
        reference.to_string()
    } else {
        format!("{reference}:latest")
    }
}

async fn pull_all(engine: &Engine, ui: &Ui, needed: &[NeededImage]) -> anyhow::Result<i32> {
    let mut to_pull = Vec::new();
    for n in needed {
        match image_present(engine, &n.name).await? {
            Some(size) => ui.line(&format!(
                "✔ {}  present ({})",
                clean_line(&n.name),
                format_size(size)
            )),
            None => to_pull.push(n),
        }
    }
    if to_pull.is_empty() {
        ui.line(&format!(
            "All {} images the lessons need are present.",
            needed.len()
        ));
        return Ok(EXIT_OK);
    }
    let overall = ui.mp.add(ProgressBar::new(to_pull.len() as u64));
    if let Ok(st) = ProgressStyle::with_template("{prefix:30!} [{bar:30}] {pos}/{len} images") {
        overall.set_style(st.progress_chars("=> "));
    }
    overall.set_prefix("overall");
    let mut failed: Vec<(String, String)> = Vec::new();
    for n in to_pull {
        if !ui.tty {
            outln!("pulling {} ...", clean_line(&n.name));
        }
        match pull_one(engine, ui, &n.name).await {
            Ok(()) => ui.line(&format!("✔ {}  pulled", clean_line(&n.name))),
            Err(e) if e.is_connection() => {
                overall.abandon();
                return Err(e.into());
            }
            Err(e) => {
                let why = match &e {
                    EngineError::Api { message, .. } => message.clone(),
                    other => other.to_string(),
                };
                ui.line(&format!(
                    "✘ {}  could not be pulled: {}",
                    clean_line(&n.name),
                    clean_line(&why)
                ));
                failed.push((n.name.clone(), why));
            }
        }
        overall.inc(1);
    }
    overall.finish_and_clear();
    if failed.is_empty() {
        ui.line("All images the lessons need are present.");
        Ok(EXIT_OK)
    } else {
        ui.line(&format!(
            "{} image(s) could not be pulled ({}): {PULL_ADVICE}.",
            failed.len(),
            failed
                .iter()
                .map(|(n, _)| clean_line(n))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        Ok(EXIT_FAIL)
    }
}

async fn pull_one(engine: &Engine, ui: &Ui, name: &str) -> Result<(), EngineError> {
    let reference = with_tag(name);
    let pb = ui.bytes_bar(&clean_line(name), None);
    let mut known_total = false;
    let docker = engine.docker_long();
    let mut stream = docker.create_image(
        Some(CreateImageOptions {
            from_image: Some(reference),
            ..Default::default()
        }),
        None,
        None,
    );
    let mut layers: HashMap<String, (u64, u64)> = HashMap::new();
    let result = loop {
        match stream.next().await {
            None => break Ok(()),
            Some(Err(e)) => break Err(engine.err(e)),
            Some(Ok(info)) => {
                if let Some(err) = info.error_detail.and_then(|d| d.message) {
                    break Err(EngineError::Api {
                        endpoint: engine.endpoint.url.clone(),
                        status: 500,
                        message: err,
                    });
                }
                let status = info.status.unwrap_or_default();
                if let Some(id) = info.id {
                    let entry = layers.entry(id).or_insert((0, 0));
                    if let Some(d) = info.progress_detail {
                        if status == "Downloading" {
                            entry.0 = d.current.and_then(|c| u64::try_from(c).ok()).unwrap_or(0);
                            entry.1 = d.total.and_then(|c| u64::try_from(c).ok()).unwrap_or(0);
                        }
                    }
                    if matches!(
                        status.as_str(),
                        "Download complete" | "Pull complete" | "Already exists"
                    ) {
                        entry.0 = entry.1;
                    }
                    let total: u64 = layers.values().map(|l| l.1).sum();
                    let cur: u64 = layers.values().map(|l| l.0).sum();
                    if total > 0 && !known_total {
                        known_total = true;
                        set_bytes_style(&pb, true);
                    }
                    pb.set_length(total);
                    pb.set_position(cur);
                }
                pb.set_message(clean_line(&status));
            }
        }
    };
    pb.finish_and_clear();
    result?;
    // The pull stream can end without an error and without the image (a
    // registry that answered oddly): believe only the engine's inventory.
    match image_present(engine, name).await? {
        Some(_) => Ok(()),
        None => Err(EngineError::Api {
            endpoint: engine.endpoint.url.clone(),
            status: 404,
            message: "the pull ended but the image is not there".into(),
        }),
    }
}

async fn save(
    engine: &Engine,
    ui: &Ui,
    file: &Path,
    needed: &[NeededImage],
) -> anyhow::Result<i32> {
    let mut present = Vec::new();
    let mut missing = Vec::new();
    let mut total = 0u64;
    for n in needed {
        match image_present(engine, &n.name).await? {
            Some(sz) => {
                total += sz;
                present.push(n.name.clone());
            }
            None => missing.push(n.name.clone()),
        }
    }
    if !missing.is_empty() {
        ui.line(&format!(
            "Not saving: {} image(s) the lessons need are missing here ({}). Run `dockdojo prepare` first, then save again.",
            missing.len(),
            missing.iter().map(|m| clean_line(m)).collect::<Vec<_>>().join(", ")
        ));
        return Ok(EXIT_FAIL);
    }
    if present.is_empty() {
        ui.line("The lessons list no images: nothing to save.");
        return Ok(EXIT_FAIL);
    }
    // Write beside the target, then rename: a failed save never leaves a
    // truncated archive under the name a classroom will use.
    let dir = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let tmp = tempfile::Builder::new()
        .prefix(".dockdojo-save-")
        .tempfile_in(dir)
        .map_err(|e| anyhow::anyhow!("cannot write in {}: {e}", dir.display()))?;
    let (std_file, tmp_path) = tmp.into_parts();
    let mut out = tokio::fs::File::from_std(std_file);
    ui.line(&format!(
        "Saving {} images (about {}; layers they share are stored once) into {} ...",
        present.len(),
        format_size(total),
        file.display()
    ));
    let pb = ui.bytes_bar("archive", None);
    let docker = engine.docker_long();
    let names: Vec<&str> = present.iter().map(|s| s.as_str()).collect();
    let mut stream = docker.export_images(&names);
    let mut written = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| engine.err(e))?;
        out.write_all(&chunk)
            .await
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", tmp_path.display()))?;
        written += chunk.len() as u64;
        pb.set_position(written);
    }
    out.flush().await?;
    out.sync_all().await?;
    drop(out);
    pb.finish_and_clear();
    // A temporary file is private; the archive is meant to be handed out.
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&tmp_path, std::fs::Permissions::from_mode(0o644));
    }
    tmp_path
        .persist(file)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", file.display()))?;
    ui.line(&format!(
        "Saved {} images into {} ({}): {}",
        present.len(),
        file.display(),
        format_size(written),
        present
            .iter()
            .map(|m| clean_line(m))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    ui.line(&format!(
        "Learners run: dockdojo prepare --load {}",
        file.display()
    ));
    Ok(EXIT_OK)
}

async fn load(
    engine: &Engine,
    ui: &Ui,
    file: &Path,
    needed: &[NeededImage],
) -> anyhow::Result<i32> {
    let f = tokio::fs::File::open(file)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open {}: {e}", file.display()))?;
    let len = f.metadata().await.map(|m| m.len()).ok();
    let pb = ui.bytes_bar("archive", len);
    let pb_read = pb.clone();
    let body = futures_util::stream::unfold(Some(f), move |state| {
        let pb = pb_read.clone();
        async move {
            let mut f = state?;
            let mut buf = vec![0u8; 1 << 20];
            match f.read(&mut buf).await {
                Ok(0) => None,
                Ok(n) => {
                    buf.truncate(n);
                    pb.inc(n as u64);
                    Some((Ok(bytes::Bytes::from(buf)), Some(f)))
                }
                Err(e) => Some((Err(e), None)),
            }
        }
    });
    let docker = engine.docker_long();
    let mut stream = docker.import_image_stream(
        ImportImageOptions {
            quiet: true,
            ..Default::default()
        },
        body,
        None,
    );
    let mut loaded: Vec<String> = Vec::new();
    let mut error: Option<String> = None;
    while let Some(item) = stream.next().await {
        match item {
            Ok(info) => {
                if let Some(msg) = info.error_detail.and_then(|d| d.message) {
                    error = Some(msg);
                }
                if let Some(s) = info.stream {
                    for l in s.lines() {
                        let l = l.trim();
                        if let Some(name) = l
                            .strip_prefix("Loaded image: ")
                            .or_else(|| l.strip_prefix("Loaded image ID: "))
                        {
                            loaded.push(name.to_string());
                        }
                    }
                }
            }
            Err(e) => {
                let e = engine.err(e);
                if e.is_connection() {
                    pb.abandon();
                    return Err(e.into());
                }
                error = Some(match e {
                    EngineError::Api { message, .. } => message,
                    other => other.to_string(),
                });
                break;
            }
        }
    }
    pb.finish_and_clear();
    if let Some(err) = error {
        ui.line(&format!(
            "✘ the engine could not load {}: {}. Is it an archive made with `dockdojo prepare --save` (or `docker save`)? Ask for a fresh copy if it was cut short.",
            file.display(),
            clean_line(&err)
        ));
        return Ok(EXIT_FAIL);
    }
    ui.line(&format!(
        "Loaded {} image(s) from {}: {}",
        loaded.len(),
        file.display(),
        loaded
            .iter()
            .map(|m| clean_line(m))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if needed.is_empty() {
        return Ok(EXIT_OK);
    }
    let mut missing = 0;
    for n in needed {
        match image_present(engine, &n.name).await? {
            Some(sz) => ui.line(&format!(
                "✔ {}  present ({})",
                clean_line(&n.name),
                format_size(sz)
            )),
            None => {
                missing += 1;
                ui.line(&format!("✘ {}  still missing", clean_line(&n.name)));
            }
        }
    }
    if missing == 0 {
        ui.line("All images the lessons need are present.");
        Ok(EXIT_OK)
    } else {
        ui.line(&format!(
            "{missing} image(s) the lessons need are not in this archive: run `dockdojo prepare` to pull them, or ask for an archive made with this pack."
        ));
        Ok(EXIT_FAIL)
    }
}

#[cfg(test)]
mod tests {
    use super::with_tag;

    #[test]
    fn untagged_references_get_latest() {
        assert_eq!(with_tag("busybox"), "busybox:latest");
        assert_eq!(with_tag("busybox:1.36"), "busybox:1.36");
        assert_eq!(
            with_tag("localhost:5000/team/app"),
            "localhost:5000/team/app:latest"
        );
        assert_eq!(
            with_tag("gcr.io/distroless/static-debian12"),
            "gcr.io/distroless/static-debian12:latest"
        );
        assert_eq!(with_tag("alpine@sha256:abcd"), "alpine@sha256:abcd");
    }
}
