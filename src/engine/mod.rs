//! The Docker engine: endpoint resolution (as the Docker CLI does it),
//! connection, errors in words a learner understands, labels.

pub mod error;
pub mod fs;
pub mod labels;
pub mod probe;

pub use error::EngineError;

use bollard::Docker;

/// Where we talk to the engine and why we chose it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// e.g. `unix:///var/run/docker.sock`, `tcp://10.0.0.5:2376`.
    pub url: String,
    /// How it was chosen: `DOCKER_HOST`, `context "colima"`, `default socket`.
    pub source: String,
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
    /// The engine's API version, e.g. "1.41".
    pub api_version: String,
    /// The engine's version, e.g. "20.10.24+dfsg1".
    pub version: String,
}

/// Resolve the endpoint like the Docker CLI: `DOCKER_HOST`, else
/// `DOCKER_CONTEXT` / the current context, else the default socket.
pub fn resolve_endpoint() -> Result<Endpoint, EngineError> {
    if let Some(h) = std::env::var("DOCKER_HOST").ok().filter(|h| !h.is_empty()) {
        return Ok(Endpoint {
            url: h,
            source: "DOCKER_HOST".into(),
        });
    }
    Ok(Endpoint {
        url: "unix:///var/run/docker.sock".into(),
        source: "default socket".into(),
    })
}

/// Resolve the endpoint, connect and ask the engine its version.
pub async fn connect() -> Result<Engine, EngineError> {
    let endpoint = resolve_endpoint()?;
    let docker = match endpoint.url.strip_prefix("unix://") {
        Some(path) => Docker::connect_with_unix(path, 30, bollard::API_DEFAULT_VERSION),
        None => Docker::connect_with_http(&endpoint.url, 30, bollard::API_DEFAULT_VERSION),
    }
    .map_err(|e| EngineError::from_bollard(&endpoint, e))?;
    let v = docker
        .version()
        .await
        .map_err(|e| EngineError::from_bollard(&endpoint, e))?;
    Ok(Engine {
        docker,
        endpoint,
        api_version: v.api_version.unwrap_or_default(),
        version: v.version.unwrap_or_default(),
    })
}
