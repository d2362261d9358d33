//! Short-lived, labelled helper containers: a throwaway run of an image
//! (`image.run`) and network probes (`network.reach`, `network.resolves`),
//! each bounded in time and always removed; plus a bounded TCP connect.

use std::time::{Duration, Instant};

use bollard::container::LogOutput;
use bollard::models::{ContainerCreateBody, HostConfig};
use bollard::query_parameters::{
    AttachContainerOptions, CreateContainerOptions, LogsOptions, RemoveContainerOptions,
    WaitContainerOptions,
};
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

use super::{labels, Engine, EngineError};

/// Create a helper container for `lesson` from `body`: dockdojo's labels
/// (with `purpose`) and a helper name are set here. Returns its id.
pub(crate) async fn create_helper(
    engine: &Engine,
    lesson: &str,
    purpose: &str,
    mut body: ContainerCreateBody,
) -> Result<String, EngineError> {
    body.labels = Some(labels::helper_labels(lesson, purpose));
    let created = engine
        .docker
        .create_container(
            Some(CreateContainerOptions {
                name: Some(labels::helper_name(purpose)),
                ..Default::default()
            }),
            body,
        )
        .await
        .map_err(|e| EngineError::from_bollard(&engine.endpoint, e))?;
    Ok(created.id)
}

/// Removes a helper container when it goes out of scope (explicitly with
/// `remove().await`, or in the background when dropped on an error path).
pub struct HelperGuard {
    docker: bollard::Docker,
    pub id: String,
    removed: bool,
}

impl HelperGuard {
    pub fn new(engine: &Engine, id: String) -> Self {
        HelperGuard {
            docker: engine.docker.clone(),
            id,
            removed: false,
        }
    }
    pub async fn remove(mut self) {
        self.removed = true;
        remove_helper(&self.docker, &self.id).await;
    }
}

impl Drop for HelperGuard {
    fn drop(&mut self) {
        if !self.removed {
            remove_in_background(self.docker.clone(), self.id.clone());
        }
    }
}

/// Force-remove a helper container (and its anonymous volumes). A refusal
/// the engine may get over (a kill still under way, a busy mount) is tried
/// again twice, 200 ms apart; a container already gone, or whose removal is
/// already in progress, counts as removed. What still fails is logged: the
/// helper is labelled, and the next start's sweep or `reset` finds it.
pub(crate) async fn remove_helper(docker: &bollard::Docker, id: &str) {
    use bollard::errors::Error;
    for attempt in 1..=3 {
        let r = docker
            .remove_container(
                id,
                Some(RemoveContainerOptions {
                    force: true,
                    v: true,
                    ..Default::default()
                }),
            )
            .await;
        match r {
            Ok(()) => return,
            Err(Error::DockerResponseServerError {
                status_code: 404, ..
            }) => return,
            Err(Error::DockerResponseServerError {
                status_code: 409,
                message,
            }) if message.contains("already in progress") => return,
            Err(e) if attempt == 3 => {
                tracing::warn!("could not remove helper container {id}: {e}");
            }
            Err(e) => {
                tracing::debug!("removing helper container {id} (try {attempt}): {e}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
}

/// Best-effort removal when a helper is dropped without being removed (a
/// cancelled check): on the current runtime if there is one.
pub(crate) fn remove_in_background(docker: bollard::Docker, id: String) {
    if let Ok(handle) = tokio::runtime::Handle::try_current() {
        handle.spawn(async move { remove_helper(&docker, &id).await });
    }
}

/// What a throwaway container printed and how it ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunResult {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: Option<i64>,
    pub timed_out: bool,
    /// The engine could not start it (e.g. its entrypoint does not exist).
    pub start_error: Option<String>,
}

const MAX_OUTPUT: usize = 64 * 1024;

/// Run `image` with `args` (replacing its CMD), no network, `stdin` attached
/// then closed, bounded by `timeout`. The container is always removed.
pub async fn run_image(
    engine: &Engine,
    image: &str,
    args: &[String],
    stdin: Option<&str>,
    timeout: Duration,
    lesson: &str,
) -> Result<RunResult, EngineError> {
    let body = ContainerCreateBody {
        image: Some(image.to_string()),
        cmd: if args.is_empty() {
            None
        } else {
            Some(args.to_vec())
        },
        attach_stdin: Some(true),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        open_stdin: Some(true),
        stdin_once: Some(true),
        tty: Some(false),
        network_disabled: Some(true),
        host_config: Some(HostConfig {
            network_mode: Some("none".to_string()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let id = create_helper(engine, lesson, "run", body).await?;
    let guard = HelperGuard::new(engine, id.clone());
    let r = run_attached(engine, &id, stdin, timeout).await;
    guard.remove().await;
    r
}

async fn run_attached(
    engine: &Engine,
    id: &str,
    stdin: Option<&str>,
    timeout: Duration,
) -> Result<RunResult, EngineError> {
    let e = |err| EngineError::from_bollard(&engine.endpoint, err);
    // Attached before the start, as `docker run` does, so the live stream
    // carries every byte. Without `logs`: replaying the log as well repeats
    // output the container writes while the attach is being set up (seen
    // here as stderr "bad\nbad" for one `echo bad >&2`).
    let mut attached = engine
        .docker
        .attach_container(
            id,
            Some(AttachContainerOptions {
                stdin: true,
                stdout: true,
                stderr: true,
                stream: true,
                logs: false,
                ..Default::default()
            }),
        )
        .await
        .map_err(e)?;
    let mut out = RunResult::default();
    if let Err(err) = engine.docker.start_container(id, None).await {
        let err = e(err);
        if err.is_connection() {
            return Err(err);
        }
        out.start_error = Some(match err {
            EngineError::Api { message, .. } => message,
            other => other.to_string(),
        });
        return Ok(out);
    }
    let deadline = Instant::now() + timeout;
    let mut input = attached.input;
    let feed = async move {
        if let Some(s) = stdin {
            let _ = input.write_all(s.as_bytes()).await;
        }
        let _ = input.shutdown().await;
        input
    };
    let collect = async {
        let mut stdout = Vec::new();
        let mut stderr = Vec::new();
        while let Some(item) = attached.output.next().await {
            match item {
                Ok(LogOutput::StdOut { message }) | Ok(LogOutput::Console { message }) => {
                    if stdout.len() < MAX_OUTPUT {
                        stdout.extend_from_slice(&message);
                    }
                }
                Ok(LogOutput::StdErr { message }) => {
                    if stderr.len() < MAX_OUTPUT {
                        stderr.extend_from_slice(&message);
                    }
                }
                Ok(LogOutput::StdIn { .. }) => {}
                Err(_) => break,
            }
        }
        (stdout, stderr)
    };
    let both = async {
        let (input, output) = tokio::join!(feed, collect);
        drop(input);
        output
    };
    match tokio::time::timeout_at(deadline.into(), both).await {
        Ok((so, se)) => {
            out.stdout = String::from_utf8_lossy(&so).to_string();
            out.stderr = String::from_utf8_lossy(&se).to_string();
        }
        Err(_) => {
            out.timed_out = true;
            return Ok(out);
        }
    }
    // the output ended: the process has exited or is about to
    let left = deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_secs(2));
    match tokio::time::timeout(left, wait_exit(engine, id)).await {
        Ok(code) => out.exit_code = code?,
        Err(_) => out.timed_out = true,
    }
    Ok(out)
}

/// Wait for the container to stop; its exit code.
async fn wait_exit(engine: &Engine, id: &str) -> Result<Option<i64>, EngineError> {
    let mut s = engine.docker.wait_container(
        id,
        Some(WaitContainerOptions {
            condition: "not-running".to_string(),
        }),
    );
    match s.next().await {
        Some(Ok(r)) => Ok(Some(r.status_code)),
        Some(Err(bollard::errors::Error::DockerContainerWaitError { code, .. })) => Ok(Some(code)),
        Some(Err(err)) => Err(EngineError::from_bollard(&engine.endpoint, err)),
        None => Ok(None),
    }
}

/// What a probe printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProbeOutput {
    pub stdout: String,
    /// The probe ran past its bound and was stopped.
    pub timed_out: bool,
}

/// Run `script` with `/bin/sh -c` in a container from `probe_image` on
/// `network`, with `args` as `$1...` (never interpolated into the script).
/// Bounded by `bound`; always removed.
pub async fn run_probe(
    engine: &Engine,
    probe_image: &str,
    network: &str,
    script: &str,
    args: &[String],
    bound: Duration,
    lesson: &str,
) -> Result<ProbeOutput, EngineError> {
    let e = |err| EngineError::from_bollard(&engine.endpoint, err);
    let mut cmd = vec![script.to_string(), "dockdojo-probe".to_string()];
    cmd.extend(args.iter().cloned());
    let body = ContainerCreateBody {
        image: Some(probe_image.to_string()),
        entrypoint: Some(vec!["/bin/sh".to_string(), "-c".to_string()]),
        cmd: Some(cmd),
        host_config: Some(HostConfig {
            network_mode: Some(network.to_string()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let id = create_helper(engine, lesson, "probe", body).await?;
    let guard = HelperGuard::new(engine, id.clone());
    let r = async {
        engine.docker.start_container(&id, None).await.map_err(e)?;
        let timed_out = tokio::time::timeout(bound, wait_exit(engine, &id))
            .await
            .is_err();
        let mut logs = engine.docker.logs(
            &id,
            Some(LogsOptions {
                stdout: true,
                stderr: true,
                tail: "all".to_string(),
                ..Default::default()
            }),
        );
        let mut stdout = Vec::new();
        while let Some(item) = logs.next().await {
            match item {
                Ok(LogOutput::StdOut { message }) | Ok(LogOutput::Console { message }) => {
                    stdout.extend_from_slice(&message)
                }
                Ok(_) => {}
                Err(err) => return Err(e(err)),
            }
            if stdout.len() > MAX_OUTPUT {
                break;
            }
        }
        Ok(ProbeOutput {
            stdout: String::from_utf8_lossy(&stdout).to_string(),
            timed_out,
        })
    }
    .await;
    guard.remove().await;
    r
}

/// Try a TCP connection, bounded by `bound`. Ok, or why it failed in words.
///
/// Docker's userland proxy accepts connections to a published port even when
/// nothing in the container listens, and then closes them at once; so after
/// connecting, a short read tells a listening server (silence or data) from
/// the proxy giving up (end of stream or reset).
pub async fn tcp_connect(addr: &str, bound: Duration) -> Result<(), String> {
    use tokio::io::AsyncReadExt;
    let mut stream = match tokio::time::timeout(bound, tokio::net::TcpStream::connect(addr)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            return Err(match e.kind() {
                std::io::ErrorKind::ConnectionRefused => "connection refused".to_string(),
                _ => e.to_string(),
            })
        }
        Err(_) => return Err(format!("no answer within {} s", bound.as_secs())),
    };
    let mut buf = [0u8; 1];
    match tokio::time::timeout(Duration::from_millis(300), stream.read(&mut buf)).await {
        Err(_) | Ok(Ok(1..)) => Ok(()),
        Ok(Ok(0)) | Ok(Err(_)) => Err(
            "the connection was closed at once: the port is published, but nothing in the container listens on it"
                .to_string(),
        ),
    }
}
