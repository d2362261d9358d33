//! A test-owned unix socket in front of the real engine, so a test can make
//! "the daemon" go away without touching the shared dockerd: forwarding,
//! cutting every connection at a chosen request, or accepting and never
//! answering (a hung engine).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{UnixListener, UnixStream};
use tokio::task::AbortHandle;

#[derive(Default)]
struct State {
    cut: AtomicBool,
    tasks: Mutex<Vec<AbortHandle>>,
    cut_notify: tokio::sync::Notify,
}

impl State {
    fn track(&self, h: AbortHandle) {
        if let Ok(mut t) = self.tasks.lock() {
            t.push(h);
        }
    }
    /// Drop every connection and stop listening, as a daemon restart would.
    fn cut(&self, path: &Path) {
        self.cut.store(true, Ordering::SeqCst);
        let _ = std::fs::remove_file(path);
        if let Ok(mut t) = self.tasks.lock() {
            for h in t.drain(..) {
                h.abort();
            }
        }
        self.cut_notify.notify_waiters();
    }
}

/// A forwarding socket. Needs a multi-threaded tokio runtime that keeps
/// running while the program under test talks through it.
pub struct Proxy {
    pub path: PathBuf,
    state: Arc<State>,
}

impl Proxy {
    /// Forward everything to `upstream` until [`Proxy::close`].
    pub fn open(path: &Path, upstream: &str) -> Proxy {
        Proxy::start(path, upstream, None)
    }

    /// Forward to `upstream` until a request from the client contains
    /// `needle`; then (without forwarding that request) drop every
    /// connection and stop listening.
    pub fn cut_on(path: &Path, upstream: &str, needle: &str) -> Proxy {
        Proxy::start(path, upstream, Some(needle.as_bytes().to_vec()))
    }

    fn start(path: &Path, upstream: &str, needle: Option<Vec<u8>>) -> Proxy {
        let _ = std::fs::remove_file(path);
        let listener = UnixListener::bind(path).expect("bind proxy socket");
        let state: Arc<State> = Arc::default();
        let st = state.clone();
        let upstream = upstream.to_string();
        let sock = path.to_path_buf();
        let accept = tokio::spawn(async move {
            while let Ok((down, _)) = listener.accept().await {
                if st.cut.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(up) = UnixStream::connect(&upstream).await else {
                    continue;
                };
                let (mut dr, mut dw) = down.into_split();
                let (mut ur, mut uw) = up.into_split();
                // engine -> client: plain copy
                let h = tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut ur, &mut dw).await;
                    let _ = dw.shutdown().await;
                });
                st.track(h.abort_handle());
                // client -> engine: look for the needle first
                let st2 = st.clone();
                let needle = needle.clone();
                let sock = sock.clone();
                let h = tokio::spawn(async move {
                    let mut buf = vec![0u8; 64 * 1024];
                    let mut tail: Vec<u8> = Vec::new();
                    loop {
                        let n = match dr.read(&mut buf).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => n,
                        };
                        if let Some(nd) = &needle {
                            let mut window = std::mem::take(&mut tail);
                            window.extend_from_slice(&buf[..n]);
                            if window.windows(nd.len()).any(|w| w == nd.as_slice()) {
                                st2.cut(&sock);
                                return;
                            }
                            let keep = window.len().min(nd.len().saturating_sub(1));
                            tail = window[window.len() - keep..].to_vec();
                        }
                        if uw.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                    let _ = uw.shutdown().await;
                });
                st.track(h.abort_handle());
            }
        });
        state.track(accept.abort_handle());
        Proxy {
            path: path.to_path_buf(),
            state,
        }
    }

    /// `unix://...` for DOCKER_HOST.
    pub fn url(&self) -> String {
        format!("unix://{}", self.path.display())
    }

    /// Whether the connections were cut (by [`Proxy::cut_on`]'s needle or
    /// by [`Proxy::close`]).
    pub fn was_cut(&self) -> bool {
        self.state.cut.load(Ordering::SeqCst)
    }

    /// Drop every connection and stop listening.
    pub fn close(&self) {
        self.state.cut(&self.path);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.close();
    }
}

/// A socket that accepts connections and never answers (a hung engine).
/// Runs on its own thread; connections are held until the process ends.
pub fn hang(path: &Path) {
    let _ = std::fs::remove_file(path);
    let listener = std::os::unix::net::UnixListener::bind(path).expect("bind hang socket");
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in listener.incoming() {
            match c {
                Ok(c) => held.push(c),
                Err(_) => break,
            }
        }
    });
}

/// The real engine's socket path (DOCKER_HOST=unix://... or the default).
pub fn upstream() -> String {
    match std::env::var("DOCKER_HOST") {
        Ok(h) if h.starts_with("unix://") => h.trim_start_matches("unix://").to_string(),
        _ => "/var/run/docker.sock".to_string(),
    }
}
