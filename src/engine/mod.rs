//! The Docker engine: endpoint resolution (as the Docker CLI does it),
//! connection, errors in words a learner understands, labels, platform,
//! inventory and the live event feed.

pub mod cleanup;
pub mod endpoint;
pub mod error;
pub mod events;
pub mod fs;
pub mod image_ref;
pub mod images;
pub mod inventory;
pub mod kind;
pub mod labels;
pub mod layers;
pub mod passing;
pub mod platform;
pub mod probe;

pub use error::EngineError;

use std::path::PathBuf;
use std::time::Duration;

use bollard::Docker;

/// How long connecting and the first request may take before we call the
/// engine hung: a socket that accepts but never answers gives a Timeout.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long an ordinary request may take before its answer starts.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// For requests whose answer can legitimately start late (saving or loading
/// image archives, pulling).
pub const LONG_TIMEOUT: Duration = Duration::from_secs(6 * 3600);

/// Client certificate material for a TLS endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Where we talk to the engine and why we chose it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// e.g. `unix:///var/run/docker.sock`, `tcp://10.0.0.5:2376`.
    pub url: String,
    /// How it was chosen: `DOCKER_HOST`, `context "colima"`, `default socket`.
    pub source: String,
    /// TLS material when the endpoint needs it (`DOCKER_TLS_VERIFY`, or a
    /// context with TLS files).
    pub tls: Option<TlsFiles>,
}

impl Endpoint {
    pub fn new(url: impl Into<String>, source: impl Into<String>) -> Endpoint {
        Endpoint {
            url: url.into(),
            source: source.into(),
            tls: None,
        }
    }

    /// The socket path for a `unix://` endpoint.
    pub fn unix_path(&self) -> Option<&str> {
        self.url.strip_prefix("unix://")
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.url)
    }
}

/// A connected engine.
#[derive(Debug, Clone)]
pub struct Engine {
    pub docker: Docker,
    pub endpoint: Endpoint,
    /// The engine's API version, e.g. "1.41". `None` when the engine was
    /// reached with [`connect_quick`], which does not ask.
    pub api_version: Option<String>,
    /// The engine's version, e.g. "20.10.24+dfsg1" (`None` as above).
    pub version: Option<String>,
}

impl Engine {
    /// The same client with a longer request timeout, for archive transfers
    /// and pulls whose answer may start late.
    pub fn docker_long(&self) -> Docker {
        self.docker.clone().with_timeout(LONG_TIMEOUT)
    }

    /// Map a bollard error from a request on this engine.
    pub fn err(&self, e: bollard::errors::Error) -> EngineError {
        EngineError::from_bollard(&self.endpoint, e)
    }
}

/// Resolve the endpoint like the Docker CLI: `DOCKER_HOST`, else
/// `DOCKER_CONTEXT` / the current context, else the default socket.
pub fn resolve_endpoint() -> Result<Endpoint, EngineError> {
    endpoint::resolve(&endpoint::ResolveEnv::from_process())
}

/// A client for `endpoint` (no request is made).
pub fn client(endpoint: &Endpoint, timeout: Duration) -> Result<Docker, EngineError> {
    let secs = timeout.as_secs().max(1);
    let v = bollard::API_DEFAULT_VERSION;
    let url = endpoint.url.as_str();
    let made = if let Some(path) = endpoint.unix_path() {
        Docker::connect_with_unix(path, secs, v)
    } else if url.starts_with("ssh://") {
        Docker::connect_with_ssh(url, secs, v, None)
    } else if let Some(tls) = &endpoint.tls {
        // rustls needs one process-wide crypto provider; choose ring (the
        // one bollard's `ssl` feature builds) unless one is installed.
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        Docker::connect_with_ssl(url, &tls.key, &tls.cert, &tls.ca, secs, v)
    } else if url.starts_with("tcp://") || url.starts_with("http://") {
        Docker::connect_with_http(url, secs, v)
    } else {
        return Err(EngineError::Config(format!(
            "{url} is not an endpoint dockdojo understands; use unix://, tcp:// or ssh://"
        )));
    };
    made.map_err(|e| EngineError::from_bollard_timeout(endpoint, e, secs))
}

/// For `ssh://` endpoints, say what must work for ssh to reach the engine.
fn ssh_advice(endpoint: &Endpoint, e: EngineError) -> EngineError {
    let Some(host) = endpoint.url.strip_prefix("ssh://") else {
        return e;
    };
    match e {
        EngineError::Unreachable { endpoint, reason } => EngineError::Unreachable {
            endpoint,
            reason: format!(
                "{reason}. Over ssh, `ssh {host} docker system dial-stdio` must work without a password prompt (a key in ssh-agent) and the docker CLI must be installed there; or forward the socket: `ssh -nNT -L /tmp/docker.sock:/var/run/docker.sock {host}` and set DOCKER_HOST=unix:///tmp/docker.sock"
            ),
        },
        other => other,
    }
}

/// Resolve the endpoint, connect and ask the engine its version.
pub async fn connect() -> Result<Engine, EngineError> {
    let endpoint = resolve_endpoint()?;
    connect_to(endpoint).await
}

/// The first request to an engine, within [`CONNECT_TIMEOUT`]: bollard's
/// timeout covers the wait for the answer's headers; the outer one also covers
/// an ssh handshake that never finishes. Errors name the endpoint and, for
/// ssh, what must work.
async fn first_answer<T>(
    endpoint: &Endpoint,
    request: impl std::future::Future<Output = Result<T, bollard::errors::Error>>,
) -> Result<T, EngineError> {
    let secs = CONNECT_TIMEOUT.as_secs();
    match tokio::time::timeout(CONNECT_TIMEOUT + Duration::from_secs(1), request).await {
        Ok(r) => r.map_err(|e| {
            ssh_advice(
                endpoint,
                EngineError::from_bollard_timeout(endpoint, e, secs),
            )
        }),
        Err(_) => Err(EngineError::Timeout {
            endpoint: endpoint.url.clone(),
            seconds: secs,
        }),
    }
}

/// Connect to `endpoint` and ask the engine its version, within
/// [`CONNECT_TIMEOUT`]. Requests are unversioned, so API 1.41 engines and
/// current ones both answer in their own version.
pub async fn connect_to(endpoint: Endpoint) -> Result<Engine, EngineError> {
    let quick = client(&endpoint, CONNECT_TIMEOUT)?;
    let v = first_answer(&endpoint, quick.version()).await?;
    let docker = quick.with_timeout(REQUEST_TIMEOUT);
    let api_version = v.api_version.ok_or_else(|| EngineError::Api {
        endpoint: endpoint.url.clone(),
        status: 200,
        message: "the engine did not say which API version it speaks (is this a Docker engine?)"
            .into(),
    })?;
    Ok(Engine {
        docker,
        endpoint,
        api_version: Some(api_version),
        version: Some(v.version.unwrap_or_else(|| "unknown".into())),
    })
}

/// Resolve the endpoint and connect like [`connect`], but only ping the
/// engine (`/_ping`, about 0.3 ms) instead of asking its version (`/version`,
/// about 5 ms on dockerd 20.10): for `dockdojo check`, which never shows the
/// version. The engine's answer must be the `OK` a Docker engine gives.
pub async fn connect_quick() -> Result<Engine, EngineError> {
    let endpoint = resolve_endpoint()?;
    connect_quick_to(endpoint).await
}

/// [`connect_quick`] to a given endpoint.
pub async fn connect_quick_to(endpoint: Endpoint) -> Result<Engine, EngineError> {
    let quick = client(&endpoint, CONNECT_TIMEOUT)?;
    let answer = first_answer(&endpoint, quick.ping()).await?;
    if answer.trim() != "OK" {
        return Err(EngineError::Api {
            endpoint: endpoint.url.clone(),
            status: 200,
            message: format!(
                "the endpoint answered the engine ping with {:?}, not OK (is this a Docker engine?)",
                crate::sanitize::clean_line(answer.chars().take(60).collect::<String>().as_str())
            ),
        });
    }
    Ok(Engine {
        docker: quick.with_timeout(REQUEST_TIMEOUT),
        endpoint,
        api_version: None,
        version: None,
    })
}
