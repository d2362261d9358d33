//! Engine errors, mapped to words a learner understands: what was tried,
//! what went wrong, what to do.

use super::Endpoint;

#[derive(Debug, Clone, thiserror::Error)]
pub enum EngineError {
    #[error("engine unreachable at {endpoint}: {reason}. Start Docker (e.g. `sudo systemctl start docker`, or open Docker Desktop / `colima start`), or point DOCKER_HOST (or `docker context use NAME`) at a running engine.")]
    Unreachable { endpoint: String, reason: String },
    #[error("permission denied on {endpoint}. Add yourself to the `docker` group (`sudo usermod -aG docker $USER`, then log in again), or use rootless Docker and its context.")]
    PermissionDenied { endpoint: String },
    #[error("engine at {endpoint} did not answer within {seconds}s: it accepts connections but does not answer. Restart Docker, or point DOCKER_HOST (or `docker context use NAME`) at a running engine.")]
    Timeout { endpoint: String, seconds: u64 },
    #[error("engine at {endpoint} answered with an error (HTTP {status}): {message}")]
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
        Self::from_bollard_timeout(endpoint, e, super::REQUEST_TIMEOUT.as_secs())
    }

    /// As [`from_bollard`](Self::from_bollard), naming the timeout that was in force.
    pub fn from_bollard_timeout(
        endpoint: &Endpoint,
        e: bollard::errors::Error,
        timeout_secs: u64,
    ) -> EngineError {
        use bollard::errors::Error as B;
        let ep = endpoint.url.clone();
        match e {
            B::DockerResponseServerError {
                status_code,
                message,
            } => EngineError::Api {
                endpoint: ep,
                status: status_code,
                message: explain_status(status_code, &message),
            },
            B::RequestTimeoutError => EngineError::Timeout {
                endpoint: ep,
                seconds: timeout_secs,
            },
            // The engine answered, then reported a failure inside its stream.
            B::DockerStreamError { error } => EngineError::Api {
                endpoint: ep,
                status: 500,
                message: error,
            },
            B::DockerContainerWaitError { error, code } => EngineError::Api {
                endpoint: ep,
                status: 500,
                message: format!("{error} (exit code {code})"),
            },
            B::JsonDataError { .. } | B::JsonSerdeError { .. } => EngineError::Api {
                endpoint: ep,
                status: 200,
                message: format!("its answer could not be read: {}", error_chain(&e)),
            },
            B::CertPathError { .. }
            | B::CertParseError { .. }
            | B::CertMultipleKeys { .. }
            | B::NoNativeCertsError { .. }
            | B::LoadNativeCertsErrors { .. } => EngineError::Config(format!(
                "the TLS certificates for {ep} cannot be used: {}. Check DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) or the context's TLS files.",
                error_chain(&e)
            )),
            B::SocketNotFoundError(path) => EngineError::Unreachable {
                endpoint: ep,
                reason: format!("there is no socket at {path}"),
            },
            other => {
                let kind = io_kind(&other);
                let text = error_chain(&other);
                match kind {
                    Some(std::io::ErrorKind::PermissionDenied) => {
                        EngineError::PermissionDenied { endpoint: ep }
                    }
                    Some(std::io::ErrorKind::ConnectionRefused) => EngineError::Unreachable {
                        endpoint: ep,
                        reason: "nothing is listening there (connection refused)".into(),
                    },
                    Some(std::io::ErrorKind::NotFound) => EngineError::Unreachable {
                        endpoint: ep,
                        reason: "there is no socket there".into(),
                    },
                    Some(std::io::ErrorKind::TimedOut) => EngineError::Timeout {
                        endpoint: ep,
                        seconds: timeout_secs,
                    },
                    _ if is_tls_failure(&other) => EngineError::Unreachable {
                        endpoint: ep,
                        reason: format!(
                            "the TLS handshake failed ({}): the engine's certificate is not signed by the ca.pem in use, or the engine did not accept cert.pem/key.pem. Check DOCKER_CERT_PATH (or the context's TLS files) against the engine's certificates",
                            tls_reason(&other)
                        ),
                    },
                    _ if text.contains("Permission denied")
                        || text.contains("permission denied") =>
                    {
                        EngineError::PermissionDenied { endpoint: ep }
                    }
                    _ => EngineError::Unreachable {
                        endpoint: ep,
                        reason: text,
                    },
                }
            }
        }
    }

    /// A server error that says nothing else useful for a learner (a 5xx,
    /// or a request the engine refused for a moment): worth one more try.
    pub fn is_transient(&self) -> bool {
        matches!(self.status(), Some(500..=599) | Some(409) | Some(429))
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

/// A rustls error anywhere in the chain.
fn is_tls_failure(e: &(dyn std::error::Error + 'static)) -> bool {
    if tls_error(e).is_some() {
        return true;
    }
    // Some layers keep only the text of the rustls error.
    let text = error_chain(e);
    TLS_MARKERS.iter().any(|m| text.contains(m))
}

/// How rustls words handshake failures.
const TLS_MARKERS: [&str; 4] = [
    "invalid peer certificate",
    "received fatal alert",
    "peer sent no certificates",
    "peer is incompatible",
];

fn tls_error<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut cur: Option<&'a (dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(t) = err.downcast_ref::<rustls::Error>() {
            return Some(t);
        }
        // hyper-rustls wraps the rustls error in an io::Error.
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            if let Some(t) = io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
                return Some(t);
            }
        }
        cur = err.source();
    }
    None
}

fn tls_reason(e: &(dyn std::error::Error + 'static)) -> String {
    if let Some(t) = tls_error(e) {
        return t.to_string();
    }
    let text = error_chain(e);
    TLS_MARKERS
        .iter()
        .find_map(|m| text.find(m).map(|i| text[i..].to_string()))
        .unwrap_or(text)
}

/// The kind of the first `std::io::Error` in the source chain.
fn io_kind(e: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        cur = err.source();
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_permission_denied_maps_to_permission_error() {
        let ep = Endpoint::new("unix:///var/run/docker.sock", "default socket");
        let e = bollard::errors::Error::IOError {
            err: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        };
        let mapped = EngineError::from_bollard(&ep, e);
        assert!(matches!(mapped, EngineError::PermissionDenied { .. }));
        let msg = mapped.to_string();
        assert!(msg.contains("unix:///var/run/docker.sock"), "{msg}");
        assert!(msg.contains("docker` group"), "{msg}");
    }

    #[test]
    fn refused_and_missing_name_the_endpoint_and_what_to_do() {
        let ep = Endpoint::new("unix:///nowhere.sock", "DOCKER_HOST");
        let e = bollard::errors::Error::SocketNotFoundError("/nowhere.sock".into());
        let msg = EngineError::from_bollard(&ep, e).to_string();
        assert!(msg.contains("unix:///nowhere.sock"), "{msg}");
        assert!(msg.contains("Start Docker"), "{msg}");
        let e = bollard::errors::Error::IOError {
            err: std::io::Error::from(std::io::ErrorKind::ConnectionRefused),
        };
        let mapped = EngineError::from_bollard(&ep, e);
        assert!(mapped.is_connection());
        assert!(mapped.to_string().contains("connection refused"));
    }

    #[test]
    fn timeout_names_the_seconds() {
        let ep = Endpoint::new("tcp://h:2375", "DOCKER_HOST");
        let m =
            EngineError::from_bollard_timeout(&ep, bollard::errors::Error::RequestTimeoutError, 5);
        assert!(m.to_string().contains("within 5s"), "{m}");
    }
}

/// The engine's message, or, when it sent none (a HEAD request's answer has
/// no body), what the status code means and what to do.
fn explain_status(status: u16, message: &str) -> String {
    let message = message.trim();
    if !message.is_empty() {
        return message.to_string();
    }
    let meaning = match status {
        400 => "the engine did not accept the request",
        401 | 403 => "the engine refused the request",
        404 => "no such object",
        409 => "the object is busy or in a conflicting state",
        500 => "the engine failed inside",
        502..=504 => "a proxy in front of the engine failed",
        _ => "the engine gave no reason",
    };
    format!(
        "{meaning}, with no message; try again (F5, or run the command again), and if it persists, read the engine's log (`journalctl -u docker`, or Podman's service log)"
    )
}

#[cfg(test)]
mod status_tests {
    use super::*;

    #[test]
    fn an_empty_server_message_becomes_the_status_and_what_to_do() {
        let ep = Endpoint::new("unix:///run/x.sock", "DOCKER_HOST");
        let e = EngineError::from_bollard(
            &ep,
            bollard::errors::Error::DockerResponseServerError {
                status_code: 500,
                message: String::new(),
            },
        );
        let text = e.to_string();
        assert!(text.contains("(HTTP 500)"), "{text}");
        assert!(text.contains("failed inside"), "{text}");
        assert!(text.contains("try again"), "{text}");
        assert!(e.is_transient());
        let e = EngineError::from_bollard(
            &ep,
            bollard::errors::Error::DockerResponseServerError {
                status_code: 404,
                message: "No such image: x".into(),
            },
        );
        assert_eq!(
            e.to_string(),
            "engine at unix:///run/x.sock answered with an error (HTTP 404): No such image: x"
        );
        assert!(!e.is_transient());
    }
}
