//! An image's filesystem read from the engine's own layer directories, when
//! the engine runs on this machine, keeps an image as overlay layers (Docker's
//! `overlay2` driver, Podman's `overlay`) and this process may read them.
//!
//! A path look-up here costs a few `lstat` calls; through the engine it costs
//! a scan container (create and remove) and one archive stat per path, each
//! serialised by the engine. Whether paths exist, where symbolic links lead
//! and the regular files under a path (package databases) are read here;
//! patterns and everything else go through the engine
//! ([`super::fs::ScanContainer`]).
//!
//! How the directories are found: `image inspect` names them (`GraphDriver`:
//! `UpperDir` is the top layer, `LowerDir` the others, top first). They are
//! paths in the engine's mount namespace, which may not be this process's (an
//! engine in its own namespaces, rootless Docker), so they are opened under
//! `/proc/PID/root` of the process at the other end of the engine's socket.
//! Any doubt (another driver, a layer count that does not match `RootFS`, a
//! directory that cannot be read, an overlay feature not handled here) means
//! `None` or an error, and the caller asks the engine instead.
//!
//! The merged view follows overlayfs: a name is looked up from the top layer
//! down; the first layer with a non-directory (or a whiteout) decides; a
//! directory merges with the directories of the same name below it, down to
//! the first opaque one. Whiteouts are character devices 0/0 or `.wh.NAME`
//! files; opaque directories carry `trusted.overlay.opaque`,
//! `user.overlay.opaque` or a `.wh..wh..opq` file. Symbolic links resolve as
//! the engine's archive stat resolves them: within the image (`..` stops at
//! its root, absolute targets start from it), at most [`MAX_LINKS`] of them.

use std::collections::VecDeque;
use std::ffi::OsStr;
use std::io;
use std::path::{Path, PathBuf};

use super::fs::ImageFiles;
use super::Engine;

/// Symbolic links followed in one look-up before it is called a loop (the
/// engine's archive stat allows 255).
pub const MAX_LINKS: usize = 255;

/// How long finding the engine's process may take (one local connect).
const PEER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(1);

/// The layer directories of an image as its engine names them, top first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LayerDirs(pub Vec<String>);

impl LayerDirs {
    /// From `image inspect`: its `GraphDriver` and the number of layers in
    /// its `RootFS`. Empty unless the driver keeps overlay layers and names
    /// one directory per layer.
    pub fn of(image: &bollard::models::ImageInspect) -> LayerDirs {
        let layers = image
            .root_fs
            .as_ref()
            .and_then(|r| r.layers.as_ref())
            .map_or(0, Vec::len);
        image
            .graph_driver
            .as_ref()
            .and_then(|g| LayerDirs::named(&g.name, &g.data, layers))
            .unwrap_or_default()
    }

    fn named(
        driver: &str,
        data: &std::collections::HashMap<String, String>,
        layers: usize,
    ) -> Option<LayerDirs> {
        if !matches!(driver, "overlay2" | "overlay") {
            return None;
        }
        let mut dirs = vec![data.get("UpperDir")?.clone()];
        if let Some(lower) = data.get("LowerDir").filter(|l| !l.is_empty()) {
            dirs.extend(lower.split(':').map(str::to_string));
        }
        let usable = dirs.len() == layers
            && dirs
                .iter()
                .all(|d| d.starts_with('/') && d.ends_with("/diff") && !d.contains("/../"));
        usable.then_some(LayerDirs(dirs))
    }
}

/// What a name is in the merged view.
#[derive(Debug, Clone)]
enum Node {
    Missing,
    /// A directory, with the layers (indices, top first) whose directories
    /// merge into it.
    Dir(Vec<usize>),
    /// Anything else, found in this layer.
    Leaf {
        layer: usize,
        symlink: bool,
    },
}

/// An image's layers, opened for reading on this machine.
#[derive(Debug)]
pub struct LayerFs {
    /// Top first, as this process reaches them.
    dirs: Vec<PathBuf>,
    /// The layers whose root directories merge.
    root: Vec<usize>,
    /// Names already looked up, by their path relative to the root (many
    /// paths share their directories: `/usr/local/bin/...`).
    seen: std::sync::Mutex<std::collections::HashMap<String, Node>>,
}

/// Why an image's layers are not read on this machine (its files are then
/// asked of the engine, one request per path).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotHere {
    #[error("the engine names no overlay layer directories for its images (the containerd image store, or another storage driver)")]
    NoLayerDirs,
    #[error("dockdojo is not running as root (a rootful engine's layers and their trusted.* attributes need root)")]
    NotRoot,
    #[error("the engine is not reached through a local socket")]
    NotLocal,
    #[error("the engine's layer directories cannot be read from here")]
    Unreadable,
}

impl LayerFs {
    /// Open the image's layers, if the engine at the other end of `engine`'s
    /// socket is on this machine and they can be read. Only root reads
    /// `trusted.*` attributes, which mark opaque directories in a rootful
    /// engine's layers, so other users are told [`NotHere::NotRoot`].
    pub async fn open(engine: &Engine, dirs: &LayerDirs) -> Result<LayerFs, NotHere> {
        if dirs.0.is_empty() {
            return Err(NotHere::NoLayerDirs);
        }
        if !cfg!(target_os = "linux") || !is_root() {
            return Err(NotHere::NotRoot);
        }
        let socket = engine.endpoint.unix_path().ok_or(NotHere::NotLocal)?;
        let stream = tokio::time::timeout(PEER_TIMEOUT, tokio::net::UnixStream::connect(socket))
            .await
            .map_err(|_| NotHere::NotLocal)?
            .map_err(|_| NotHere::NotLocal)?;
        let pid = stream
            .peer_cred()
            .ok()
            .and_then(|c| c.pid())
            .ok_or(NotHere::NotLocal)?;
        LayerFs::under(Path::new(&format!("/proc/{pid}/root")), dirs).ok_or(NotHere::Unreadable)
    }

    /// The layers `dirs`, as seen under `root` (`/` for this process's own
    /// view). `None` when one of them is not a readable directory.
    pub fn under(root: &Path, dirs: &LayerDirs) -> Option<LayerFs> {
        let dirs: Vec<PathBuf> = dirs
            .0
            .iter()
            .map(|d| root.join(d.trim_start_matches('/')))
            .collect();
        let readable = dirs.iter().all(|d| {
            d.symlink_metadata().is_ok_and(|m| m.is_dir()) && std::fs::read_dir(d).is_ok()
        });
        if !readable {
            return None;
        }
        // the layers whose root directories merge: all, down to the first opaque one
        let mut root = Vec::new();
        for (i, d) in dirs.iter().enumerate() {
            root.push(i);
            if opaque(d).ok()? {
                break;
            }
        }
        Some(LayerFs {
            dirs,
            root,
            seen: Default::default(),
        })
    }

    /// Whether every layer directory is still there: an image removed while
    /// it was read must not leave answers behind.
    pub fn intact(&self) -> bool {
        self.dirs
            .iter()
            .all(|d| d.symlink_metadata().is_ok_and(|m| m.is_dir()))
    }

    /// Does `path` exist, following symbolic links to the end? A dangling
    /// link does not exist.
    pub fn exists(&self, path: &str) -> io::Result<bool> {
        Ok(!matches!(self.walk(path, true)?.1, Node::Missing))
    }

    /// Where `path` leads when it is a symbolic link (resolved fully, as the
    /// engine's archive stat reports it), `path` itself when it is anything
    /// else, `None` when it does not exist.
    pub fn resolve(&self, path: &str) -> io::Result<Option<String>> {
        match self.walk(path, false)?.1 {
            Node::Missing => Ok(None),
            Node::Leaf { symlink: true, .. } => Ok(Some(self.walk(path, true)?.0)),
            _ => Ok(Some(path.to_string())),
        }
    }

    /// The regular files at `path` (a file, or every file under a
    /// directory), links followed to get there as the engine's archive does,
    /// up to `limit` bytes in all; `None` when it does not exist. Names are
    /// absolute image paths, spelled from `path`, in name order.
    pub fn read_files(&self, path: &str, limit: u64) -> io::Result<Option<ImageFiles>> {
        let (real, node) = self.walk(path, true)?;
        let base = path.trim_end_matches('/').to_string();
        let rel = real.trim_start_matches('/').to_string();
        let mut out = Vec::new();
        let mut total = 0u64;
        let mut take = |shown: &str, rel: &str, node: &Node| -> io::Result<bool> {
            if total >= limit {
                return Ok(false);
            }
            if let Node::Leaf { layer, .. } = *node {
                if let Some(data) = self.read_regular(layer, rel, limit - total)? {
                    total += data.len() as u64;
                    out.push((shown.to_string(), data));
                }
            }
            Ok(true)
        };
        match &node {
            Node::Missing => return Ok(None),
            Node::Leaf { .. } => {
                take(&base, &rel, &node)?;
            }
            Node::Dir(stack) => {
                self.below(&rel, stack, &base, &mut take)?;
            }
        }
        Ok(Some(out))
    }

    /// Visit `dir` and every entry under it (links not followed below it),
    /// depth first in name order, as absolute paths spelled from `dir`, as
    /// the engine's archive of `dir` lists them; `visit` returns false to
    /// stop. Returns false when `dir` does not exist. The whole image (`/`)
    /// is left to the engine.
    pub fn walk_entries<F>(&self, dir: &str, mut visit: F) -> io::Result<bool>
    where
        F: FnMut(&str) -> bool,
    {
        let norm = super::fs::normalize_path(dir);
        if norm == "/" {
            return Err(io::Error::other("the whole image is walked by the engine"));
        }
        let (real, node) = self.walk(&norm, true)?;
        match node {
            Node::Missing => Ok(false),
            Node::Leaf { .. } => {
                visit(&norm);
                Ok(true)
            }
            Node::Dir(stack) => {
                if visit(&norm) {
                    let rel = real.trim_start_matches('/');
                    self.below(rel, &stack, &norm, &mut |shown, _, _| Ok(visit(shown)))?;
                }
                Ok(true)
            }
        }
    }

    /// Every entry under the merged directory `rel`, depth first in name
    /// order: `f` gets its path spelled under `shown`, its path relative to a
    /// layer's root and what it is, and returns false to stop everything
    /// (then so does this). Links are not followed.
    fn below<F>(&self, rel: &str, stack: &[usize], shown: &str, f: &mut F) -> io::Result<bool>
    where
        F: FnMut(&str, &str, &Node) -> io::Result<bool>,
    {
        for name in self.names(rel, stack)? {
            let shown_child = format!("{shown}/{name}");
            let rel_child = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let node = self.child(rel, stack, OsStr::new(&name))?;
            if matches!(node, Node::Missing) {
                continue;
            }
            if !f(&shown_child, &rel_child, &node)? {
                return Ok(false);
            }
            if let Node::Dir(s) = &node {
                if !self.below(&rel_child, s, &shown_child, f)? {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    /// The names in the merged directory `rel` (whited-out ones among them:
    /// [`Self::child`] tells), in name order.
    fn names(&self, rel: &str, stack: &[usize]) -> io::Result<std::collections::BTreeSet<String>> {
        let mut names = std::collections::BTreeSet::new();
        for &layer in stack {
            for entry in std::fs::read_dir(self.dirs[layer].join(rel))? {
                let name = entry?.file_name().to_string_lossy().to_string();
                if !name.starts_with(".wh.") {
                    names.insert(name);
                }
            }
        }
        Ok(names)
    }

    /// Up to `limit` bytes of `rel` (relative to a layer's root) in `layer`,
    /// when it is a regular file there (a link, a device: `None`).
    fn read_regular(&self, layer: usize, rel: &str, limit: u64) -> io::Result<Option<Vec<u8>>> {
        use std::io::Read;
        let path = self.dirs[layer].join(rel);
        if !path.symlink_metadata()?.file_type().is_file() {
            return Ok(None);
        }
        let mut data = Vec::new();
        std::fs::File::open(path)?
            .take(limit)
            .read_to_end(&mut data)?;
        Ok(Some(data))
    }

    /// Look `path` up in the merged view, following links in its
    /// directories, and at its end when `follow_last`. Returns the path with
    /// the links followed resolved, and what is there.
    fn walk(&self, path: &str, follow_last: bool) -> io::Result<(String, Node)> {
        let mut todo: VecDeque<String> = components(path).map(str::to_string).collect();
        let root = self.root.clone();
        // the resolved components so far, and the merge stack of each prefix
        let mut done: Vec<String> = Vec::new();
        let mut stacks: Vec<Vec<usize>> = vec![root];
        let mut node = Node::Dir(stacks[0].clone());
        let mut links = 0;
        while let Some(name) = todo.pop_front() {
            if name == ".." {
                if !done.is_empty() {
                    done.pop();
                    stacks.pop();
                }
                node = Node::Dir(stacks.last().cloned().unwrap_or_default());
                continue;
            }
            let here = join(&done, &name, &VecDeque::new());
            if engine_adds(&here, todo.is_empty()) {
                return Err(io::Error::other(format!(
                    "the engine adds {here} to every container"
                )));
            }
            let Node::Dir(stack) = &node else {
                // A file where a directory should be: Docker's archive stat
                // fails (HTTP 500) rather than say "missing", so the engine
                // gives the answer here too.
                return Err(io::Error::other(format!(
                    "{} is not a directory",
                    done.join("/")
                )));
            };
            let parent = done.join("/");
            let child = self.child(&parent, stack, OsStr::new(&name))?;
            match child {
                Node::Missing => return Ok((join(&done, &name, &todo), Node::Missing)),
                Node::Leaf {
                    layer,
                    symlink: true,
                } if follow_last || !todo.is_empty() => {
                    links += 1;
                    if links > MAX_LINKS {
                        return Err(io::Error::other(format!("too many links in {path}")));
                    }
                    let target = std::fs::read_link(self.dirs[layer].join(&parent).join(&name))?;
                    let target = target.to_string_lossy().to_string();
                    if target.starts_with('/') {
                        done.clear();
                        stacks.truncate(1);
                    }
                    for c in components(&target).rev() {
                        todo.push_front(c.to_string());
                    }
                    node = Node::Dir(stacks.last().cloned().unwrap_or_default());
                }
                Node::Dir(s) => {
                    done.push(name);
                    stacks.push(s.clone());
                    node = Node::Dir(s);
                }
                leaf => {
                    done.push(name);
                    node = leaf;
                }
            }
        }
        Ok((format!("/{}", done.join("/")), node))
    }

    /// `name` in the directory `parent` (relative to a layer's root), whose
    /// directories merge from the layers `stack`; remembered.
    fn child(&self, parent: &str, stack: &[usize], name: &OsStr) -> io::Result<Node> {
        let key = format!("{parent}/{}", name.to_string_lossy());
        if let Some(n) = self.seen.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(n);
        }
        let n = self.look_up(parent, stack, name)?;
        if let Ok(mut m) = self.seen.lock() {
            m.insert(key, n.clone());
        }
        Ok(n)
    }

    fn look_up(&self, parent: &str, stack: &[usize], name: &OsStr) -> io::Result<Node> {
        let mut dirs = Vec::new();
        for &layer in stack {
            let here = self.dirs[layer].join(parent);
            let path = here.join(name);
            match path.symlink_metadata() {
                Ok(m) if is_whiteout(&m) => break,
                Ok(m) if m.is_dir() => {
                    dirs.push(layer);
                    if opaque(&path)? {
                        break;
                    }
                }
                Ok(m) => {
                    if dirs.is_empty() {
                        return Ok(Node::Leaf {
                            layer,
                            symlink: m.file_type().is_symlink(),
                        });
                    }
                    // a file under a directory of a higher layer: hidden, and
                    // so is everything below it
                    break;
                }
                Err(e) if gone(&e) => {
                    let mut marker = OsStr::new(".wh.").to_os_string();
                    marker.push(name);
                    if here.join(marker).symlink_metadata().is_ok() {
                        break;
                    }
                }
                Err(e) => return Err(e),
            }
        }
        Ok(if dirs.is_empty() {
            Node::Missing
        } else {
            Node::Dir(dirs)
        })
    }
}

/// Paths the engine puts in every container it creates, image or not
/// (Docker's init layer; Podman's `.containerenv`): the engine's answer for
/// them is not the image's, so they are left to it. `/etc` and `/dev` only
/// when asked for themselves (a scratch image's container has them).
fn engine_adds(path: &str, last: bool) -> bool {
    const ADDED: [&str; 11] = [
        "/.dockerenv",
        "/etc/hosts",
        "/etc/hostname",
        "/etc/resolv.conf",
        "/etc/mtab",
        "/dev/console",
        "/dev/pts",
        "/dev/shm",
        "/proc",
        "/sys",
        "/run/.containerenv",
    ];
    ADDED.contains(&path)
        || ["/dev/pts/", "/dev/shm/", "/proc/", "/sys/"]
            .iter()
            .any(|p| path.starts_with(p))
        || (last && (path == "/etc" || path == "/dev"))
}

fn is_root() -> bool {
    #[cfg(unix)]
    {
        rustix::process::geteuid().is_root()
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// The path's names, without empty ones and `.`.
fn components(path: &str) -> impl DoubleEndedIterator<Item = &str> {
    path.split('/').filter(|c| !c.is_empty() && *c != ".")
}

/// `/done/name/todo...`: where a look-up stopped, spelled in full.
fn join(done: &[String], name: &str, todo: &VecDeque<String>) -> String {
    let mut parts: Vec<&str> = done.iter().map(String::as_str).collect();
    parts.push(name);
    parts.extend(todo.iter().map(String::as_str));
    format!("/{}", parts.join("/"))
}

/// Not there.
fn gone(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::NotFound
}

/// An overlay whiteout: a character device with device number 0.
fn is_whiteout(m: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        m.file_type().is_char_device() && m.rdev() == 0
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        false
    }
}

/// Whether the directory `dir` hides the directories of the same name in
/// the layers below it. A directory renamed by overlayfs (`redirect`) is not
/// handled here: an error, so that the engine is asked.
fn opaque(dir: &Path) -> io::Result<bool> {
    if dir.join(".wh..wh..opq").symlink_metadata().is_ok() {
        return Ok(true);
    }
    #[cfg(target_os = "linux")]
    {
        let mut names = [0u8; 1024];
        let n = match rustix::fs::llistxattr(dir, &mut names[..]) {
            Ok(n) => n,
            Err(rustix::io::Errno::NOTSUP) => 0,
            Err(e) => return Err(e.into()),
        };
        if !names[..n.min(names.len())]
            .split(|b| *b == 0)
            .any(|a| a.starts_with(b"trusted.overlay.") || a.starts_with(b"user.overlay."))
        {
            return Ok(false);
        }
        for name in ["trusted.overlay.opaque", "user.overlay.opaque"] {
            match xattr(dir, name)?.as_deref() {
                None => {}
                Some(b"y") => return Ok(true),
                // "x": whiteouts kept as attributes of files inside, which
                // container layers do not use
                Some(_) => {
                    return Err(io::Error::other(format!(
                        "{} has an overlay marking not handled here",
                        dir.display()
                    )))
                }
            }
        }
        for name in ["trusted.overlay.redirect", "user.overlay.redirect"] {
            if xattr(dir, name)?.is_some() {
                return Err(io::Error::other(format!(
                    "{} is a renamed overlay directory",
                    dir.display()
                )));
            }
        }
    }
    Ok(false)
}

/// An extended attribute of `path` (not following a link), `None` when it
/// has none of that name.
#[cfg(target_os = "linux")]
fn xattr(path: &Path, name: &str) -> io::Result<Option<Vec<u8>>> {
    let mut buf = [0u8; 256];
    match rustix::fs::lgetxattr(path, name, &mut buf) {
        Ok(n) => Ok(Some(buf[..n.min(buf.len())].to_vec())),
        Err(rustix::io::Errno::NODATA) | Err(rustix::io::Errno::NOTSUP) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Layers made of plain files: `.wh.` whiteouts and `.wh..wh..opq`
    /// opaque markers (the character-device kind needs root: the engine
    /// tests compare real layers with the engine's own answers).
    struct Fixture {
        _tmp: tempfile::TempDir,
        fs: LayerFs,
    }

    /// `layers`: top first; each entry `path` (a directory when it ends in
    /// `/`), `path -> target` (a symbolic link) or a file.
    fn fixture(layers: &[&[&str]]) -> Fixture {
        let tmp = tempfile::tempdir().expect("test fixture");
        let mut dirs = Vec::new();
        for (i, entries) in layers.iter().enumerate() {
            let d = tmp.path().join(format!("l{i}/diff"));
            std::fs::create_dir_all(&d).expect("test fixture");
            for e in entries.iter() {
                if let Some((p, target)) = e.split_once(" -> ") {
                    let p = d.join(p.trim_start_matches('/'));
                    std::fs::create_dir_all(p.parent().expect("test fixture"))
                        .expect("test fixture");
                    std::os::unix::fs::symlink(target, p).expect("test fixture");
                } else if e.ends_with('/') {
                    std::fs::create_dir_all(d.join(e.trim_start_matches('/')))
                        .expect("test fixture");
                } else {
                    let p = d.join(e.trim_start_matches('/'));
                    std::fs::create_dir_all(p.parent().expect("test fixture"))
                        .expect("test fixture");
                    std::fs::write(p, b"x").expect("test fixture");
                }
            }
            dirs.push(d.to_string_lossy().to_string());
        }
        let fs = LayerFs::under(Path::new("/"), &LayerDirs(dirs)).expect("test fixture");
        Fixture { _tmp: tmp, fs }
    }

    #[test]
    fn a_name_is_decided_by_the_highest_layer_that_has_it() {
        let f = fixture(&[
            &[
                "/etc/b",
                "/usr/bin/.wh.gcc",
                "/opt/.wh..wh..opq",
                "/opt/new",
            ],
            &[
                "/etc/a",
                "/usr/bin/gcc",
                "/usr/bin/go",
                "/opt/old",
                "/srv",
                "/var/x/",
            ],
            &["/srv/inner", "/var"],
        ]);
        let fs = &f.fs;
        assert!(
            fs.exists("/etc/a").expect("test fixture"),
            "a lower file shows through"
        );
        assert!(fs.exists("/etc/b").expect("test fixture"));
        assert!(
            !fs.exists("/usr/bin/gcc").expect("test fixture"),
            "a whiteout hides it"
        );
        assert!(fs.exists("/usr/bin/go").expect("test fixture"));
        assert!(fs.exists("/opt/new").expect("test fixture"));
        assert!(
            !fs.exists("/opt/old").expect("test fixture"),
            "an opaque directory hides what is below"
        );
        assert!(fs.exists("/srv").expect("test fixture"));
        assert!(
            fs.exists("/srv/inner").is_err(),
            "a file in a higher layer hides the directory below (Docker fails there, so the engine is asked)"
        );
        assert!(
            fs.exists("/var/x").expect("test fixture"),
            "a directory over a file merges no further"
        );
        assert!(!fs.exists("/var/y").expect("test fixture"));
        assert!(!fs.exists("/nope").expect("test fixture"));
        assert!(
            fs.exists("/etc/a/x").is_err(),
            "a file is not a directory: the engine says"
        );
    }

    #[test]
    fn links_resolve_within_the_image() {
        let f = fixture(&[
            &["/bin -> usr/bin", "/lib -> /usr/lib"],
            &[
                "/usr/bin/sh -> dash",
                "/usr/bin/dash",
                "/usr/bin/up -> ../../../../usr/lib",
                "/usr/lib/x",
                "/usr/bin/dangling -> /nowhere",
                "/loop -> loop",
            ],
        ]);
        let fs = &f.fs;
        assert!(
            fs.exists("/bin/sh").expect("test fixture"),
            "through a directory link, then a file link"
        );
        assert_eq!(
            fs.resolve("/bin").expect("an answer").as_deref(),
            Some("/usr/bin")
        );
        assert_eq!(
            fs.resolve("/bin/sh").expect("an answer").as_deref(),
            Some("/usr/bin/dash")
        );
        assert_eq!(
            fs.resolve("/usr/bin/dash").expect("an answer").as_deref(),
            Some("/usr/bin/dash")
        );
        assert!(
            fs.exists("/bin/up/x").expect("test fixture"),
            "`..` stops at the image's root"
        );
        assert!(
            fs.exists("/lib/x").expect("test fixture"),
            "an absolute target starts at the image's root"
        );
        assert!(
            !fs.exists("/bin/dangling").expect("test fixture"),
            "a dangling link does not exist"
        );
        assert_eq!(
            fs.resolve("/bin/dangling").expect("an answer").as_deref(),
            Some("/nowhere")
        );
        assert_eq!(fs.resolve("/bin/nope").expect("test fixture"), None);
        assert!(
            fs.exists("/loop").is_err(),
            "a loop is an error, not an answer"
        );
    }

    #[test]
    fn only_overlay_layers_that_match_the_layer_count_are_used() {
        let data: std::collections::HashMap<String, String> = [
            ("UpperDir", "/var/lib/docker/overlay2/a/diff"),
            (
                "LowerDir",
                "/var/lib/docker/overlay2/b/diff:/var/lib/docker/overlay2/c/diff",
            ),
            ("MergedDir", "/var/lib/docker/overlay2/a/merged"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let dirs = LayerDirs::named("overlay2", &data, 3).expect("test fixture");
        assert_eq!(dirs.0[0], "/var/lib/docker/overlay2/a/diff");
        assert_eq!(dirs.0[2], "/var/lib/docker/overlay2/c/diff");
        assert_eq!(LayerDirs::named("overlay2", &data, 4), None);
        assert_eq!(LayerDirs::named("overlayfs", &data, 3), None);
        assert_eq!(LayerDirs::named("overlay", &Default::default(), 1), None);
    }

    #[test]
    fn what_the_engine_adds_to_every_container_is_left_to_it() {
        let f = fixture(&[&["/etc/passwd", "/etc/hosts", "/mtab -> /etc/mtab"]]);
        assert!(f.fs.exists("/etc/passwd").expect("test fixture"));
        assert!(f.fs.exists("/etc/hosts").is_err());
        assert!(f.fs.exists("/etc").is_err());
        assert!(f.fs.exists("/proc/self").is_err());
        assert!(f.fs.exists("/mtab").is_err(), "also through a link");
    }

    #[test]
    fn a_merged_directory_reads_as_one() {
        let f = fixture(&[
            &["/db/b", "/db/.wh.c", "/db/sub/e", "/dblink -> db"],
            &["/db/a", "/db/c", "/db/d -> a", "/db/sub/f"],
        ]);
        let files =
            f.fs.read_files("/dblink", 1024)
                .expect("an answer")
                .expect("there");
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["/dblink/a", "/dblink/b", "/dblink/sub/e", "/dblink/sub/f"]
        );
        assert_eq!(files[0].1, b"x");
        let one =
            f.fs.read_files("/db/a", 1024)
                .expect("an answer")
                .expect("there");
        assert_eq!(one, vec![("/db/a".to_string(), b"x".to_vec())]);
        assert_eq!(f.fs.read_files("/db/c", 1024).expect("an answer"), None);
        let capped =
            f.fs.read_files("/db", 2)
                .expect("an answer")
                .expect("there");
        assert_eq!(capped.len(), 2, "stops at the limit");
    }

    #[test]
    fn a_walk_lists_the_merged_tree_in_name_order() {
        let f = fixture(&[
            &[
                "/usr/lib/jvm/b/bin/javac",
                "/usr/lib/jvm/.wh.c",
                "/usr/lib/jvm/l -> b",
            ],
            &["/usr/lib/jvm/a/bin/java", "/usr/lib/jvm/c/bin/javac"],
        ]);
        let mut seen = Vec::new();
        let found =
            f.fs.walk_entries("/usr/lib/jvm", |p| {
                seen.push(p.to_string());
                true
            })
            .expect("an answer");
        assert!(found);
        assert_eq!(
            seen,
            [
                "/usr/lib/jvm",
                "/usr/lib/jvm/a",
                "/usr/lib/jvm/a/bin",
                "/usr/lib/jvm/a/bin/java",
                "/usr/lib/jvm/b",
                "/usr/lib/jvm/b/bin",
                "/usr/lib/jvm/b/bin/javac",
                "/usr/lib/jvm/l",
            ]
        );
        let mut n = 0;
        f.fs.walk_entries("/usr/lib/jvm", |_| {
            n += 1;
            n < 3
        })
        .expect("an answer");
        assert_eq!(n, 3, "stops when asked");
        assert!(!f.fs.walk_entries("/opt", |_| true).expect("an answer"));
        assert!(
            f.fs.walk_entries("/", |_| true).is_err(),
            "the engine walks the whole image"
        );
    }

    #[test]
    fn a_removed_layer_is_noticed() {
        let f = fixture(&[&["/a"], &["/b"]]);
        assert!(f.fs.intact());
        std::fs::remove_dir_all(&f.fs.dirs[1]).expect("test fixture");
        assert!(!f.fs.intact());
    }
}
