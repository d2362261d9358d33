//! Image filesystem facts through a created-but-never-started, labelled
//! container: one archive stat per path, archive reads of single files or
//! directories, and a streamed export only when a pattern spans the root.

use std::io::Read;

use bollard::models::{ContainerCreateBody, HostConfig};
use bollard::query_parameters::{ContainerArchiveInfoOptions, DownloadFromContainerOptions};
use bytes::Bytes;
use futures_util::{Stream, StreamExt};

use super::probe::{remove_helper, remove_in_background};
use super::{Endpoint, Engine, EngineError};

/// How long one stat may take. A stat is a HEAD request answered from the
/// container's filesystem metadata in about a millisecond; an engine that
/// takes longer is stuck (Podman blocks stats while an export is open).
pub const STAT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);
/// How long an archive or export stream may stay silent before it counts
/// as stuck (each chunk restarts the clock; the whole transfer may be long).
pub const STREAM_IDLE: std::time::Duration = std::time::Duration::from_secs(30);
/// Tries of a request that the engine answered with a transient error.
const TRIES: u32 = 3;

/// Regular files read from an image: each one's absolute path in the image
/// and its bytes.
pub type ImageFiles = Vec<(String, Vec<u8>)>;

/// A path's stat, as the archive endpoint reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathStat {
    pub name: String,
    pub size: i64,
    pub mode: u32,
    /// The fully resolved target when the path is a symbolic link, else empty.
    pub link_target: String,
}

impl PathStat {
    pub fn is_dir(&self) -> bool {
        // Go's os.ModeDir
        self.mode & (1 << 31) != 0
    }
}

/// A created (never started) container whose filesystem answers questions
/// about an image. Remove it with [`ScanContainer::remove`]; if it is
/// dropped without that, removal is started in the background.
pub struct ScanContainer {
    /// For stats ([`STAT_TIMEOUT`]).
    docker: bollard::Docker,
    /// For archive reads and exports: their answers may start late on big
    /// images; the streams themselves are bounded by [`STREAM_IDLE`].
    docker_stream: bollard::Docker,
    endpoint: Endpoint,
    pub id: String,
    removed: bool,
    /// Stats already answered (a link target such as `/bin/busybox` is asked
    /// for by many paths). The container never runs, so answers do not change.
    stats: std::sync::Mutex<std::collections::HashMap<String, Option<PathStat>>>,
    /// Ask a path reported missing a second time (see [`Self::trust_missing`]).
    confirm_missing: std::sync::atomic::AtomicBool,
}

impl ScanContainer {
    /// Create the container. `image` must exist (callers inspect it first).
    pub async fn create(
        engine: &Engine,
        image: &str,
        lesson: &str,
    ) -> Result<ScanContainer, EngineError> {
        let body = ContainerCreateBody {
            image: Some(image.to_string()),
            // never started: any command will do, and images without CMD work
            entrypoint: Some(vec!["/nonexistent".to_string()]),
            cmd: Some(vec![]),
            network_disabled: Some(true),
            host_config: Some(HostConfig {
                network_mode: Some("none".to_string()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let id = super::probe::create_helper(engine, lesson, "scan", body).await?;
        Ok(ScanContainer {
            docker: engine.docker.clone().with_timeout(STAT_TIMEOUT),
            docker_stream: engine.docker.clone(),
            endpoint: engine.endpoint.clone(),
            id,
            removed: false,
            stats: Default::default(),
            confirm_missing: std::sync::atomic::AtomicBool::new(true),
        })
    }

    fn err(&self, e: bollard::errors::Error) -> EngineError {
        EngineError::from_bollard(&self.endpoint, e)
    }

    /// Stat a path (symbolic links in parent directories are followed; the
    /// last component is reported as is). `None` when it does not exist.
    pub async fn stat(&self, path: &str) -> Result<Option<PathStat>, EngineError> {
        if let Some(known) = self.stats.lock().ok().and_then(|m| m.get(path).cloned()) {
            return Ok(known);
        }
        let answer = self.stat_uncached(path).await?;
        if let Ok(mut m) = self.stats.lock() {
            m.insert(path.to_string(), answer.clone());
        }
        Ok(answer)
    }

    /// One stat, from the engine. A path reported missing is asked a second
    /// time before the answer stands (unless [`Self::trust_missing`]):
    /// "missing" lets a `lacks` check pass, and an engine busy mounting the
    /// container has answered 404 for a file that exists. A transient engine error (a 5xx, a conflict) is tried again, up
    /// to [`TRIES`] times in all.
    async fn stat_uncached(&self, path: &str) -> Result<Option<PathStat>, EngineError> {
        if let Some(st) = self.stat_retrying(path).await? {
            return Ok(Some(st));
        }
        if !self
            .confirm_missing
            .load(std::sync::atomic::Ordering::Relaxed)
        {
            return Ok(None);
        }
        let again = self.stat_retrying(path).await?;
        if again.is_some() {
            tracing::warn!("the engine first said {path} is missing, then that it exists");
        }
        Ok(again)
    }

    async fn stat_retrying(&self, path: &str) -> Result<Option<PathStat>, EngineError> {
        let mut attempt = 1;
        loop {
            match self.stat_once(path).await {
                Err(e) if e.is_transient() && attempt < TRIES => {
                    tracing::debug!("stat {path} (try {attempt}): {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(50 * attempt as u64)).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    async fn stat_once(&self, path: &str) -> Result<Option<PathStat>, EngineError> {
        let r = self
            .docker
            .get_container_archive_info(
                &self.id,
                Some(ContainerArchiveInfoOptions {
                    path: path.to_string(),
                }),
            )
            .await;
        match r {
            Ok(s) => Ok(Some(PathStat {
                name: s.name,
                size: s.size,
                mode: s.file_mode,
                link_target: s.link_target,
            })),
            Err(e) => {
                let e = self.err(e);
                if e.is_not_found() {
                    Ok(None)
                } else {
                    Err(e)
                }
            }
        }
    }

    /// Does `path` exist and, when it is a symbolic link, does its target
    /// exist? (Merged-/usr images: `/bin/sh` resolves through `/bin -> usr/bin`.)
    pub async fn exists(&self, path: &str) -> Result<bool, EngineError> {
        let Some(st) = self.stat(path).await? else {
            return Ok(false);
        };
        if st.link_target.is_empty() || st.link_target == path {
            return Ok(true);
        }
        // the engine resolved the link fully within the container: one more stat
        Ok(self.stat(&st.link_target).await?.is_some())
    }

    /// Where `path` really is (following a symbolic link at the end), or None.
    pub async fn resolve(&self, path: &str) -> Result<Option<String>, EngineError> {
        match self.stat(path).await? {
            None => Ok(None),
            Some(st) if !st.link_target.is_empty() => Ok(Some(st.link_target)),
            Some(_) => Ok(Some(path.to_string())),
        }
    }

    /// Read regular files under `path` (a file or a directory) through the
    /// archive endpoint, up to `limit` bytes in total. `None` when the path
    /// does not exist. Names are absolute paths in the image.
    pub async fn read_files(
        &self,
        path: &str,
        limit: u64,
    ) -> Result<Option<ImageFiles>, EngineError> {
        let Some(real) = self.resolve(path).await? else {
            return Ok(None);
        };
        let stream = self.docker_stream.download_from_container(
            &self.id,
            Some(DownloadFromContainerOptions { path: real.clone() }),
        );
        let base = path.to_string();
        let out = tar_stream(&self.endpoint, stream, move |archive| {
            let mut files = Vec::new();
            let mut total = 0u64;
            for entry in archive.entries()? {
                let mut entry = entry?;
                if !entry.header().entry_type().is_file() {
                    continue;
                }
                let name = entry.path()?.to_string_lossy().to_string();
                let mut data = Vec::new();
                let room = limit.saturating_sub(total);
                (&mut entry).take(room).read_to_end(&mut data)?;
                total += data.len() as u64;
                files.push((rebase(&base, &name), data));
                if total >= limit {
                    break;
                }
            }
            Ok(files)
        })
        .await?;
        Ok(out)
    }

    /// Walk every entry under directory `dir` (the whole filesystem for `/`,
    /// through a streamed export). `visit` gets absolute image paths and
    /// returns false to stop early. Returns false when `dir` does not exist.
    pub async fn walk<F>(&self, dir: &str, mut visit: F) -> Result<bool, EngineError>
    where
        F: FnMut(&str) -> bool + Send + 'static,
    {
        let norm = normalize_path(dir);
        if norm == "/" {
            let stream = self.docker_stream.export_container(&self.id);
            let r = tar_stream(&self.endpoint, stream, move |archive| {
                for entry in archive.entries()? {
                    let entry = entry?;
                    let name = entry.path()?.to_string_lossy().to_string();
                    let p = normalize_path(&name);
                    if !visit(&p) {
                        break;
                    }
                }
                Ok(())
            })
            .await?;
            return Ok(r.is_some());
        }
        let Some(real) = self.resolve(&norm).await? else {
            return Ok(false);
        };
        let stream = self
            .docker_stream
            .download_from_container(&self.id, Some(DownloadFromContainerOptions { path: real }));
        let r = tar_stream(&self.endpoint, stream, move |archive| {
            for entry in archive.entries()? {
                let entry = entry?;
                let name = entry.path()?.to_string_lossy().to_string();
                if !visit(&rebase(&norm, &name)) {
                    break;
                }
            }
            Ok(())
        })
        .await?;
        Ok(r.is_some())
    }

    /// Take a stat's "missing" at its word (no second ask), on engines where
    /// that is safe (`EngineKind::trusts_missing`).
    pub fn trust_missing(&self) {
        self.confirm_missing
            .store(false, std::sync::atomic::Ordering::Relaxed);
    }

    /// Keep the container's filesystem mounted in the engine until the pin is
    /// released, so that a series of [`stat`](Self::stat) calls does not pay a
    /// mount and an unmount each (on dockerd that is most of a stat's cost on
    /// a container that never ran: about 1.2 ms against 0.4 ms).
    ///
    /// How: an export of the container is started and never read past its
    /// first chunk. The engine holds a reference on the mount while the export
    /// is open, and the unread stream stops it after a socket buffer's worth
    /// of data. Correctness does not depend on it: an engine that does not
    /// keep the mount just answers the stats as before. Release the pin
    /// before removing the container.
    pub fn pin_mount(&self) -> MountPin {
        let docker = self.docker_stream.clone();
        let id = self.id.clone();
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let mut stream = docker.export_container(&id);
            tokio::select! {
                _ = stream.next() => {
                    // Hold the stream unread until released (or the pin dropped).
                    let _ = (&mut rx).await;
                }
                _ = &mut rx => {}
            }
            drop(stream);
        });
        MountPin {
            release: Some(tx),
            task: Some(task),
        }
    }

    /// Remove the container (forced). Errors are logged, not returned: the
    /// container is dockdojo's own and labelled, `reset` finds leftovers.
    pub async fn remove(mut self) {
        self.removed = true;
        remove_helper(&self.docker, &self.id).await;
    }
}

impl Drop for ScanContainer {
    fn drop(&mut self) {
        if self.removed {
            return;
        }
        remove_in_background(self.docker.clone(), self.id.clone());
    }
}

/// See [`ScanContainer::pin_mount`]. Dropping it releases it too, without
/// waiting for the export to be closed.
pub struct MountPin {
    release: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl MountPin {
    /// Close the export and wait (briefly) until its stream is dropped.
    pub async fn release(mut self) {
        if let Some(tx) = self.release.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(1), task).await;
        }
    }
}

impl Drop for MountPin {
    fn drop(&mut self) {
        if let Some(tx) = self.release.take() {
            let _ = tx.send(());
        }
    }
}

/// `/usr//bin/./sh` -> `/usr/bin/sh`: absolute, no empty or `.` segments.
pub fn normalize_path(path: &str) -> String {
    let segs: Vec<&str> = path
        .split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect();
    format!("/{}", segs.join("/"))
}

/// An archive entry name (`go/bin/go` for a request of `/usr/local/go`)
/// as an absolute path spelled like the request (`/usr/local/go/bin/go`).
fn rebase(requested: &str, name: &str) -> String {
    let name = name.trim_start_matches("./").trim_end_matches('/');
    let rest = match name.split_once('/') {
        Some((_, rest)) => rest,
        None => "",
    };
    let base = normalize_path(requested);
    if rest.is_empty() {
        base
    } else if base == "/" {
        format!("/{rest}")
    } else {
        format!("{base}/{rest}")
    }
}

/// Reads a tar stream that arrives over a channel (the blocking side).
struct ChannelReader {
    rx: tokio::sync::mpsc::Receiver<Result<Bytes, String>>,
    cur: Bytes,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.cur.is_empty() {
            match self.rx.blocking_recv() {
                Some(Ok(b)) => self.cur = b,
                Some(Err(e)) => return Err(std::io::Error::other(e)),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.cur.len());
        buf[..n].copy_from_slice(&self.cur[..n]);
        let _ = self.cur.split_to(n);
        Ok(n)
    }
}

/// Feed a byte stream from the engine to a tar parser on a blocking thread.
/// `Ok(None)` when the engine answers 404 (no such path). The parser may
/// stop early; the rest of the stream is then dropped unread.
async fn tar_stream<S, T, F>(
    endpoint: &Endpoint,
    stream: S,
    parse: F,
) -> Result<Option<T>, EngineError>
where
    S: Stream<Item = Result<Bytes, bollard::errors::Error>>,
    F: FnOnce(&mut tar::Archive<ChannelReader>) -> std::io::Result<T> + Send + 'static,
    T: Send + 'static,
{
    let mut stream = std::pin::pin!(stream);
    let stuck = || EngineError::Timeout {
        endpoint: endpoint.url.clone(),
        seconds: STREAM_IDLE.as_secs(),
    };
    let first = match tokio::time::timeout(STREAM_IDLE, stream.next())
        .await
        .map_err(|_| stuck())?
    {
        None => Bytes::new(),
        Some(Ok(b)) => b,
        Some(Err(e)) => {
            let e = EngineError::from_bollard(endpoint, e);
            return if e.is_not_found() { Ok(None) } else { Err(e) };
        }
    };
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, String>>(16);
    let parser = tokio::task::spawn_blocking(move || {
        let mut archive = tar::Archive::new(ChannelReader { rx, cur: first });
        parse(&mut archive)
    });
    let mut stream_error = None;
    loop {
        let item = match tokio::time::timeout(STREAM_IDLE, stream.next()).await {
            Ok(Some(item)) => item,
            Ok(None) => break,
            Err(_) => {
                let e = stuck();
                let _ = tx.send(Err(e.to_string())).await;
                stream_error = Some(e);
                break;
            }
        };
        match item {
            Ok(b) => {
                if tx.send(Ok(b)).await.is_err() {
                    break; // the parser has what it needs
                }
            }
            Err(e) => {
                let text = e.to_string();
                stream_error = Some(EngineError::from_bollard(endpoint, e));
                let _ = tx.send(Err(text)).await;
                break;
            }
        }
    }
    drop(tx);
    let parsed = parser.await.map_err(|e| EngineError::Api {
        endpoint: endpoint.url.clone(),
        status: 0,
        message: format!("reading the image archive failed: {e}"),
    })?;
    match (parsed, stream_error) {
        (Ok(v), _) => Ok(Some(v)),
        (Err(_), Some(e)) => Err(e),
        (Err(e), None) => Err(EngineError::Api {
            endpoint: endpoint.url.clone(),
            status: 0,
            message: format!("the engine sent an archive that cannot be read: {e}"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::rebase;

    #[test]
    fn archive_names_become_image_paths() {
        assert_eq!(rebase("/usr/local/go", "go/bin/go"), "/usr/local/go/bin/go");
        assert_eq!(rebase("/usr/local/go", "go/"), "/usr/local/go");
        assert_eq!(
            rebase("/var/lib/dpkg/status", "status"),
            "/var/lib/dpkg/status"
        );
        assert_eq!(rebase("/bin", "usr-bin/sh"), "/bin/sh");
    }
}
