//! Engine errors, mapped to words a learner understands: what was tried,
//! what went wrong, what to do.

use super::Endpoint;

#[derive(Debug, Clone, thiserror::Error)]
pub enum EngineError {
    #[error("engine unreachable: {endpoint}: {reason}. Start Docker (e.g. `sudo systemctl start docker` or open Docker Desktop), or point DOCKER_HOST at a running engine.")]
    Unreachable { endpoint: String, reason: String },
    #[error("permission denied on {endpoint}. Add yourself to the `docker` group (`sudo usermod -aG docker $USER`, then log in again), or use rootless Docker and its context.")]
    PermissionDenied { endpoint: String },
    #[error("engine at {endpoint} timed out after {seconds}s: it accepts connections but does not answer. Restart Docker.")]
    Timeout { endpoint: String, seconds: u64 },
    #[error("engine at {endpoint} answered with an error: {message}")]
    Api {
        endpoint: String,
        status: u16,
        message: String,
    },
    #[error("cannot use the Docker endpoint configuration: {0}")]
    Config(String),
}

impl EngineError {
    /// Map a bollard error to what a learner should read.
    pub fn from_bollard(endpoint: &Endpoint, e: bollard::errors::Error) -> EngineError {
        use bollard::errors::Error as B;
        let ep = endpoint.url.clone();
        match e {
            B::DockerResponseServerError {
                status_code,
                message,
            } => EngineError::Api {
                endpoint: ep,
                status: status_code,
                message,
            },
            B::RequestTimeoutError => EngineError::Timeout {
                endpoint: ep,
                seconds: 30,
            },
            other => {
                let text = error_chain(&other);
                if text.contains("Permission denied") || text.contains("permission denied") {
                    EngineError::PermissionDenied { endpoint: ep }
                } else {
                    EngineError::Unreachable {
                        endpoint: ep,
                        reason: text,
                    }
                }
            }
        }
    }

    /// The API status code, if the engine answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            EngineError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// True when the engine itself is not usable (as opposed to one request failing).
    pub fn is_connection(&self) -> bool {
        matches!(
            self,
            EngineError::Unreachable { .. }
                | EngineError::PermissionDenied { .. }
                | EngineError::Timeout { .. }
        )
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        let t = inner.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        src = inner.source();
    }
    s
}
