//! Endpoint resolution, exactly as the Docker CLI does it:
//! `DOCKER_HOST` (with `DOCKER_TLS_VERIFY` / `DOCKER_CERT_PATH`), else
//! `DOCKER_CONTEXT`, else `currentContext` in `$DOCKER_CONFIG/config.json`
//! (resolved through `contexts/meta/<sha256 of name>/meta.json`), else the
//! platform's default socket.
//!
//! Everything here is pure apart from reading files: the environment and the
//! home directory come in as a [`ResolveEnv`], so tests never touch the
//! process environment.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{Endpoint, EngineError, TlsFiles};

/// The default system socket of a Linux engine.
pub const SYSTEM_SOCKET: &str = "/var/run/docker.sock";

/// Plain TCP port the Docker CLI assumes when `tcp://host` has none.
const DEFAULT_TCP_PORT: u16 = 2375;
/// TLS TCP port the Docker CLI assumes when `tcp://host` has none.
const DEFAULT_TLS_PORT: u16 = 2376;

/// What endpoint resolution reads: environment variables, the home
/// directory and where the system socket lives.
#[derive(Debug, Clone)]
pub struct ResolveEnv {
    pub vars: HashMap<String, String>,
    pub home: Option<PathBuf>,
    /// `/var/run/docker.sock` outside tests.
    pub system_socket: PathBuf,
}

impl ResolveEnv {
    /// The real process environment.
    pub fn from_process() -> ResolveEnv {
        let keep = [
            "DOCKER_HOST",
            "DOCKER_CONTEXT",
            "DOCKER_CONFIG",
            "DOCKER_TLS_VERIFY",
            "DOCKER_TLS",
            "DOCKER_CERT_PATH",
            "XDG_RUNTIME_DIR",
        ];
        let vars = keep
            .iter()
            .filter_map(|k| std::env::var(k).ok().map(|v| (k.to_string(), v)))
            .collect();
        ResolveEnv {
            vars,
            home: dirs::home_dir(),
            system_socket: PathBuf::from(SYSTEM_SOCKET),
        }
    }

    /// A non-empty variable.
    fn var(&self, k: &str) -> Option<&str> {
        self.vars
            .get(k)
            .map(|s| s.as_str())
            .filter(|s| !s.trim().is_empty())
    }

    /// `$DOCKER_CONFIG`, default `~/.docker`.
    pub fn config_dir(&self) -> Option<PathBuf> {
        match self.var("DOCKER_CONFIG") {
            Some(d) => Some(PathBuf::from(d)),
            None => self.home.as_ref().map(|h| h.join(".docker")),
        }
    }
}

/// Resolve the endpoint from `env`.
pub fn resolve(env: &ResolveEnv) -> Result<Endpoint, EngineError> {
    if let Some(host) = env.var("DOCKER_HOST") {
        return from_docker_host(env, host);
    }
    if let Some(ctx) = env.var("DOCKER_CONTEXT") {
        return from_context(env, ctx, "DOCKER_CONTEXT");
    }
    let Some(config_dir) = env.config_dir() else {
        return Ok(default_socket(env, None));
    };
    let config = config_dir.join("config.json");
    match read_current_context(&config) {
        Ok(Some(name)) => from_context(
            env,
            &name,
            &format!("currentContext in {}", config.display()),
        ),
        Ok(None) => Ok(default_socket(env, None)),
        // The Docker CLI warns and carries on with its defaults; so do we,
        // and say so in the source.
        Err(why) => Ok(default_socket(
            env,
            Some(format!("could not read {}: {why}", config.display())),
        )),
    }
}

/// `currentContext` from a Docker CLI config file; `Ok(None)` when the file
/// or the key is absent.
fn read_current_context(config: &Path) -> Result<Option<String>, String> {
    let text = match std::fs::read_to_string(config) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    if text.trim().is_empty() {
        return Ok(None);
    }
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    Ok(v.get("currentContext")
        .and_then(|c| c.as_str())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty()))
}

fn from_docker_host(env: &ResolveEnv, host: &str) -> Result<Endpoint, EngineError> {
    let host = host.trim();
    let verify = env.var("DOCKER_TLS_VERIFY").is_some();
    let tls_plain = env.var("DOCKER_TLS").is_some();
    let (scheme, rest) = split_scheme(host);
    match scheme {
        "unix" => Ok(Endpoint::new(
            format!("unix://{rest}"),
            "DOCKER_HOST".to_string(),
        )),
        "tcp" | "http" | "https" => {
            let tls = verify || scheme == "https";
            if !verify && (tls_plain || scheme == "https") {
                return Err(EngineError::Config(format!(
                    "DOCKER_HOST={host} asks for TLS without certificate verification (DOCKER_TLS without DOCKER_TLS_VERIFY), which dockdojo does not do. Set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to a folder with ca.pem, cert.pem and key.pem."
                )));
            }
            let addr = normalize_tcp(rest, tls).map_err(|why| {
                EngineError::Config(format!("DOCKER_HOST={host}: {why}"))
            })?;
            let mut ep = Endpoint::new(format!("tcp://{addr}"), "DOCKER_HOST".to_string());
            if tls {
                let dir = match env.var("DOCKER_CERT_PATH") {
                    Some(d) => PathBuf::from(d),
                    None => env.config_dir().ok_or_else(|| {
                        EngineError::Config(
                            "DOCKER_TLS_VERIFY is set but neither DOCKER_CERT_PATH nor a home directory tells where ca.pem, cert.pem and key.pem are".into(),
                        )
                    })?,
                };
                ep.tls = Some(tls_files(&dir, "DOCKER_CERT_PATH")?);
                ep.source = "DOCKER_HOST with DOCKER_TLS_VERIFY".into();
            }
            Ok(ep)
        }
        "ssh" => Ok(Endpoint::new(ssh_url(rest)?, "DOCKER_HOST".to_string())),
        "npipe" => Err(EngineError::Config(format!(
            "DOCKER_HOST={host} is a Windows named pipe, which does not exist on this system. Unset DOCKER_HOST to use the local socket, or point it at unix:// or tcp://."
        ))),
        "fd" => Err(EngineError::Config(format!(
            "DOCKER_HOST={host}: fd:// endpoints are only for the Docker daemon itself. Unset DOCKER_HOST or point it at unix:// or tcp://."
        ))),
        _ => Err(EngineError::Config(format!(
            "DOCKER_HOST={host} is not an endpoint dockdojo understands; use unix:///path/to/docker.sock, tcp://host:port or ssh://user@host"
        ))),
    }
}

/// `user@host[:22][/]` -> `ssh://user@host`. The ssh transport hands the
/// authority to the `ssh` command, which takes no `:port`; another port goes
/// in `~/.ssh/config`.
fn ssh_url(rest: &str) -> Result<String, EngineError> {
    let authority = rest.split('/').next().unwrap_or("");
    let (userhost, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => (h, Some(p)),
        _ => (authority, None),
    };
    if userhost.is_empty() {
        return Err(EngineError::Config(format!(
            "ssh://{rest} names no host; use ssh://user@host"
        )));
    }
    match port {
        None | Some("22") => Ok(format!("ssh://{userhost}")),
        Some(p) => Err(EngineError::Config(format!(
            "ssh://{rest}: dockdojo's ssh connection cannot take a port in the URL. Add an entry to ~/.ssh/config (`Host docker-engine`, `HostName {h}`, `Port {p}`), then use DOCKER_HOST=ssh://{u}docker-engine. Or forward the engine's socket yourself: `ssh -nNT -L /tmp/docker.sock:/var/run/docker.sock {userhost} -p {p}` and set DOCKER_HOST=unix:///tmp/docker.sock.",
            h = userhost.rsplit('@').next().unwrap_or(userhost),
            u = userhost.rsplit_once('@').map(|(u, _)| format!("{u}@")).unwrap_or_default(),
        ))),
    }
}

/// Split `scheme://rest`; a bare path counts as `unix`, a bare host as `tcp`.
fn split_scheme(host: &str) -> (&str, &str) {
    match host.split_once("://") {
        Some((s, r)) => (s, r),
        None if host.starts_with('/') => ("unix", host),
        None => ("tcp", host),
    }
}

/// `host[:port][/path]` -> `host:port`, adding the Docker CLI's default port.
fn normalize_tcp(rest: &str, tls: bool) -> Result<String, String> {
    let hostport = rest.split('/').next().unwrap_or("");
    if hostport.is_empty() {
        return Err("no host given".into());
    }
    let default_port = if tls {
        DEFAULT_TLS_PORT
    } else {
        DEFAULT_TCP_PORT
    };
    // [v6]:port, [v6], host:port, host
    if let Some(stripped) = hostport.strip_prefix('[') {
        let (addr, after) = stripped
            .split_once(']')
            .ok_or_else(|| "unclosed [ in the address".to_string())?;
        return match after.strip_prefix(':') {
            Some(p) => check_port(p).map(|p| format!("[{addr}]:{p}")),
            None if after.is_empty() => Ok(format!("[{addr}]:{default_port}")),
            None => Err(format!("unexpected `{after}` after the address")),
        };
    }
    match hostport.rsplit_once(':') {
        Some((h, p)) if !h.is_empty() => check_port(p).map(|p| format!("{h}:{p}")),
        Some(_) => Err("no host given".into()),
        None => Ok(format!("{hostport}:{default_port}")),
    }
}

fn check_port(p: &str) -> Result<u16, String> {
    p.parse::<u16>()
        .map_err(|_| format!("`{p}` is not a port number"))
}

fn tls_files(dir: &Path, what: &str) -> Result<TlsFiles, EngineError> {
    let files = TlsFiles {
        ca: dir.join("ca.pem"),
        cert: dir.join("cert.pem"),
        key: dir.join("key.pem"),
    };
    let missing: Vec<String> = [&files.ca, &files.cert, &files.key]
        .iter()
        .filter(|p| !p.is_file())
        .map(|p| p.display().to_string())
        .collect();
    if missing.is_empty() {
        Ok(files)
    } else {
        Err(EngineError::Config(format!(
            "TLS is on but {} (from {what}) is missing; put ca.pem, cert.pem and key.pem there, or point DOCKER_CERT_PATH at the folder that has them",
            missing.join(", ")
        )))
    }
}

/// The folder name the Docker CLI uses for a context: hex sha256 of its name.
pub fn context_dir_name(name: &str) -> String {
    let digest = Sha256::digest(name.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_context(env: &ResolveEnv, name: &str, why: &str) -> Result<Endpoint, EngineError> {
    if name == "default" {
        let mut ep = default_socket(env, None);
        ep.source = format!("context \"default\" ({why}): {}", ep.source);
        return Ok(ep);
    }
    let config_dir = env.config_dir().ok_or_else(|| {
        EngineError::Config(format!(
            "context \"{name}\" ({why}) cannot be looked up: no home directory and no DOCKER_CONFIG"
        ))
    })?;
    let sha = context_dir_name(name);
    let meta_path = config_dir
        .join("contexts")
        .join("meta")
        .join(&sha)
        .join("meta.json");
    let text = std::fs::read_to_string(&meta_path).map_err(|e| {
        EngineError::Config(format!(
            "Docker context \"{name}\" ({why}) cannot be read from {}: {e}. Run `docker context ls` to see the contexts you have, then `docker context use NAME` (or unset DOCKER_CONTEXT).",
            meta_path.display()
        ))
    })?;
    let meta: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        EngineError::Config(format!(
            "Docker context \"{name}\": {} is not valid JSON: {e}",
            meta_path.display()
        ))
    })?;
    let docker = meta.get("Endpoints").and_then(|e| e.get("docker"));
    let host = docker
        .and_then(|d| d.get("Host"))
        .and_then(|h| h.as_str())
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .ok_or_else(|| {
            EngineError::Config(format!(
                "Docker context \"{name}\" has no docker endpoint (Endpoints.docker.Host in {})",
                meta_path.display()
            ))
        })?;
    let skip_verify = docker
        .and_then(|d| d.get("SkipTLSVerify"))
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let source = format!("context \"{name}\" ({why})");
    let (scheme, rest) = split_scheme(host);
    match scheme {
        "unix" => Ok(Endpoint::new(format!("unix://{rest}"), source)),
        "ssh" => Ok(Endpoint::new(ssh_url(rest)?, source)),
        "tcp" | "http" | "https" => {
            let tls_dir = config_dir
                .join("contexts")
                .join("tls")
                .join(&sha)
                .join("docker");
            let has_tls = tls_dir.is_dir() || scheme == "https";
            if has_tls && skip_verify {
                return Err(EngineError::Config(format!(
                    "Docker context \"{name}\" sets SkipTLSVerify, which dockdojo does not do. Give the context the engine's CA (`docker context update {name} --docker \"host={host},ca=...,cert=...,key=...\"`)."
                )));
            }
            let addr = normalize_tcp(rest, has_tls).map_err(|e| {
                EngineError::Config(format!("Docker context \"{name}\" host {host}: {e}"))
            })?;
            let mut ep = Endpoint::new(format!("tcp://{addr}"), source);
            if has_tls {
                ep.tls = Some(tls_files(&tls_dir, &format!("context \"{name}\""))?);
            }
            Ok(ep)
        }
        "npipe" => Err(EngineError::Config(format!(
            "Docker context \"{name}\" points at a Windows named pipe ({host}), which does not exist on this system. Choose another context: `docker context use default`."
        ))),
        _ => Err(EngineError::Config(format!(
            "Docker context \"{name}\" has an endpoint dockdojo does not understand: {host}"
        ))),
    }
}

/// The sockets tried, in order, when nothing else chooses one.
pub fn default_socket_candidates(env: &ResolveEnv) -> Vec<(PathBuf, &'static str)> {
    let mut c = vec![(env.system_socket.clone(), "system socket")];
    if let Some(x) = env.var("XDG_RUNTIME_DIR") {
        c.push((Path::new(x).join("docker.sock"), "rootless Docker"));
    }
    if let Some(h) = &env.home {
        c.push((h.join(".docker/run/docker.sock"), "Docker Desktop"));
        c.push((h.join(".colima/default/docker.sock"), "colima"));
    }
    if let Some(x) = env.var("XDG_RUNTIME_DIR") {
        c.push((Path::new(x).join("podman/podman.sock"), "Podman"));
    }
    c
}

fn default_socket(env: &ResolveEnv, note: Option<String>) -> Endpoint {
    let candidates = default_socket_candidates(env);
    let found = candidates.iter().find(|(p, _)| p.exists());
    let mut ep = match found {
        Some((p, what)) if *p == env.system_socket => Endpoint::new(
            format!("unix://{}", p.display()),
            "default socket".to_string(),
        ),
        Some((p, what)) => Endpoint::new(
            format!("unix://{}", p.display()),
            format!(
                "default socket: {} does not exist, found the {what} socket",
                env.system_socket.display()
            ),
        ),
        None => Endpoint::new(
            format!("unix://{}", env.system_socket.display()),
            format!(
                "default socket (no engine socket found: tried {})",
                candidates
                    .iter()
                    .map(|(p, _)| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    };
    if let Some(n) = note {
        ep.source = format!("{}; {n}", ep.source);
    }
    ep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(dir: &Path, vars: &[(&str, &str)]) -> ResolveEnv {
        ResolveEnv {
            vars: vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            home: Some(dir.join("home")),
            system_socket: dir.join("var-run-docker.sock"),
        }
    }

    fn tmp() -> tempfile::TempDir {
        tempfile::tempdir().expect("temp dir")
    }

    fn write(p: &Path, s: &str) {
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, s).expect("write");
    }

    fn certs(dir: &Path) {
        for f in ["ca.pem", "cert.pem", "key.pem"] {
            write(&dir.join(f), "x");
        }
    }

    fn context(home: &Path, name: &str, host: &str, skip: bool) {
        let meta = home
            .join(".docker/contexts/meta")
            .join(context_dir_name(name))
            .join("meta.json");
        write(
            &meta,
            &format!(
                r#"{{"Name":"{name}","Metadata":{{}},"Endpoints":{{"docker":{{"Host":"{host}","SkipTLSVerify":{skip}}}}}}}"#
            ),
        );
    }

    #[test]
    fn context_dir_is_sha256_of_name() {
        // sha256("default") as the Docker CLI stores it.
        assert_eq!(
            context_dir_name("default"),
            "37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f"
        );
    }

    #[test]
    fn docker_host_unix_wins() {
        let d = tmp();
        let e = env(
            d.path(),
            &[
                ("DOCKER_HOST", "unix:///tmp/x.sock"),
                ("DOCKER_CONTEXT", "c"),
            ],
        );
        let ep = resolve(&e).expect("resolves");
        assert_eq!(ep.url, "unix:///tmp/x.sock");
        assert_eq!(ep.source, "DOCKER_HOST");
        assert!(ep.tls.is_none());
    }

    #[test]
    fn docker_host_tcp_gets_default_port() {
        let d = tmp();
        let ep = resolve(&env(d.path(), &[("DOCKER_HOST", "tcp://10.0.0.5")])).expect("ok");
        assert_eq!(ep.url, "tcp://10.0.0.5:2375");
        let ep = resolve(&env(d.path(), &[("DOCKER_HOST", "tcp://[::1]:2380")])).expect("ok");
        assert_eq!(ep.url, "tcp://[::1]:2380");
        let err = resolve(&env(d.path(), &[("DOCKER_HOST", "tcp://h:port")])).expect_err("bad");
        assert!(err.to_string().contains("not a port number"), "{err}");
    }

    #[test]
    fn docker_host_tls_uses_cert_path() {
        let d = tmp();
        let certdir = d.path().join("certs");
        certs(&certdir);
        let e = env(
            d.path(),
            &[
                ("DOCKER_HOST", "tcp://engine.example:2376"),
                ("DOCKER_TLS_VERIFY", "1"),
                ("DOCKER_CERT_PATH", certdir.to_str().expect("utf8")),
            ],
        );
        let ep = resolve(&e).expect("ok");
        assert_eq!(ep.url, "tcp://engine.example:2376");
        let tls = ep.tls.expect("tls");
        assert_eq!(tls.ca, certdir.join("ca.pem"));
        assert_eq!(tls.key, certdir.join("key.pem"));
        assert!(ep.source.contains("DOCKER_TLS_VERIFY"));
    }

    #[test]
    fn docker_host_tls_default_cert_path_is_config_dir() {
        let d = tmp();
        certs(&d.path().join("home/.docker"));
        let e = env(
            d.path(),
            &[("DOCKER_HOST", "tcp://h"), ("DOCKER_TLS_VERIFY", "1")],
        );
        let ep = resolve(&e).expect("ok");
        assert_eq!(ep.url, "tcp://h:2376");
        assert_eq!(
            ep.tls.expect("tls").cert,
            d.path().join("home/.docker/cert.pem")
        );
    }

    #[test]
    fn docker_host_tls_missing_certs_says_which() {
        let d = tmp();
        let e = env(
            d.path(),
            &[
                ("DOCKER_HOST", "tcp://h:2376"),
                ("DOCKER_TLS_VERIFY", "1"),
                ("DOCKER_CERT_PATH", "/nonexistent-certs"),
            ],
        );
        let err = resolve(&e).expect_err("missing certs");
        let msg = err.to_string();
        assert!(msg.contains("/nonexistent-certs/ca.pem"), "{msg}");
        assert!(msg.contains("DOCKER_CERT_PATH"), "{msg}");
    }

    #[test]
    fn npipe_is_refused_with_advice() {
        let d = tmp();
        let e = env(
            d.path(),
            &[("DOCKER_HOST", "npipe:////./pipe/docker_engine")],
        );
        let msg = resolve(&e).expect_err("npipe").to_string();
        assert!(msg.contains("named pipe"), "{msg}");
        assert!(msg.contains("Unset DOCKER_HOST"), "{msg}");
    }

    #[test]
    fn ssh_host_is_kept() {
        let d = tmp();
        let e = env(d.path(), &[("DOCKER_HOST", "ssh://me@box")]);
        assert_eq!(resolve(&e).expect("ok").url, "ssh://me@box");
        let e = env(d.path(), &[("DOCKER_HOST", "ssh://me@box:22")]);
        assert_eq!(resolve(&e).expect("ok").url, "ssh://me@box");
    }

    #[test]
    fn ssh_port_explains_the_ssh_config_way() {
        let d = tmp();
        let e = env(d.path(), &[("DOCKER_HOST", "ssh://me@box:2222")]);
        let msg = resolve(&e).expect_err("port").to_string();
        assert!(msg.contains("Port 2222"), "{msg}");
        assert!(msg.contains("HostName box"), "{msg}");
        assert!(msg.contains("ssh://me@docker-engine"), "{msg}");
        assert!(msg.contains("ssh -nNT -L"), "{msg}");
    }

    #[test]
    fn docker_context_env_resolves_through_meta() {
        let d = tmp();
        let home = d.path().join("home");
        context(
            &home,
            "colima",
            "unix:///home/me/.colima/default/docker.sock",
            false,
        );
        let ep = resolve(&env(d.path(), &[("DOCKER_CONTEXT", "colima")])).expect("ok");
        assert_eq!(ep.url, "unix:///home/me/.colima/default/docker.sock");
        assert!(ep.source.contains("context \"colima\""), "{}", ep.source);
        assert!(ep.source.contains("DOCKER_CONTEXT"), "{}", ep.source);
    }

    #[test]
    fn current_context_from_config_json() {
        let d = tmp();
        let home = d.path().join("home");
        context(
            &home,
            "desktop-linux",
            "unix:///home/me/.docker/desktop/docker.sock",
            false,
        );
        write(
            &home.join(".docker/config.json"),
            r#"{"auths":{},"currentContext":"desktop-linux"}"#,
        );
        let ep = resolve(&env(d.path(), &[])).expect("ok");
        assert_eq!(ep.url, "unix:///home/me/.docker/desktop/docker.sock");
        assert!(ep.source.contains("currentContext"), "{}", ep.source);
    }

    #[test]
    fn docker_config_env_moves_the_config_dir() {
        let d = tmp();
        let cfg = d.path().join("elsewhere");
        let meta = cfg
            .join("contexts/meta")
            .join(context_dir_name("remote"))
            .join("meta.json");
        write(
            &meta,
            r#"{"Name":"remote","Endpoints":{"docker":{"Host":"tcp://10.1.2.3:2376","SkipTLSVerify":false}}}"#,
        );
        certs(
            &cfg.join("contexts/tls")
                .join(context_dir_name("remote"))
                .join("docker"),
        );
        write(&cfg.join("config.json"), r#"{"currentContext":"remote"}"#);
        let e = env(d.path(), &[("DOCKER_CONFIG", cfg.to_str().expect("utf8"))]);
        let ep = resolve(&e).expect("ok");
        assert_eq!(ep.url, "tcp://10.1.2.3:2376");
        let tls = ep.tls.expect("context tls");
        assert!(tls.ca.starts_with(cfg.join("contexts/tls")));
    }

    #[test]
    fn context_with_skip_tls_verify_is_refused() {
        let d = tmp();
        let home = d.path().join("home");
        context(&home, "insecure", "tcp://10.1.2.3:2376", true);
        certs(
            &home
                .join(".docker/contexts/tls")
                .join(context_dir_name("insecure"))
                .join("docker"),
        );
        let msg = resolve(&env(d.path(), &[("DOCKER_CONTEXT", "insecure")]))
            .expect_err("skip verify")
            .to_string();
        assert!(msg.contains("SkipTLSVerify"), "{msg}");
    }

    #[test]
    fn missing_context_says_what_to_do() {
        let d = tmp();
        let msg = resolve(&env(d.path(), &[("DOCKER_CONTEXT", "nope")]))
            .expect_err("missing")
            .to_string();
        assert!(msg.contains("\"nope\""), "{msg}");
        assert!(msg.contains("docker context ls"), "{msg}");
    }

    #[test]
    fn default_context_is_default_socket() {
        let d = tmp();
        write(&d.path().join("var-run-docker.sock"), "");
        let ep = resolve(&env(d.path(), &[("DOCKER_CONTEXT", "default")])).expect("ok");
        assert_eq!(
            ep.url,
            format!("unix://{}", d.path().join("var-run-docker.sock").display())
        );
        assert!(ep.source.contains("context \"default\""), "{}", ep.source);
    }

    #[test]
    fn system_socket_is_preferred() {
        let d = tmp();
        write(&d.path().join("var-run-docker.sock"), "");
        write(&d.path().join("home/.docker/run/docker.sock"), "");
        let ep = resolve(&env(d.path(), &[])).expect("ok");
        assert!(ep.url.ends_with("var-run-docker.sock"));
        assert_eq!(ep.source, "default socket");
    }

    #[test]
    fn fallback_sockets_in_order() {
        let d = tmp();
        let run = d.path().join("run-user");
        let run_s = run.to_str().expect("utf8").to_string();
        // Podman only.
        write(&run.join("podman/podman.sock"), "");
        let ep = resolve(&env(d.path(), &[("XDG_RUNTIME_DIR", &run_s)])).expect("ok");
        assert!(ep.url.ends_with("podman/podman.sock"), "{}", ep.url);
        assert!(ep.source.contains("Podman"), "{}", ep.source);
        // colima beats Podman.
        write(&d.path().join("home/.colima/default/docker.sock"), "");
        let ep = resolve(&env(d.path(), &[("XDG_RUNTIME_DIR", &run_s)])).expect("ok");
        assert!(ep.source.contains("colima"), "{}", ep.source);
        // Docker Desktop beats colima.
        write(&d.path().join("home/.docker/run/docker.sock"), "");
        let ep = resolve(&env(d.path(), &[("XDG_RUNTIME_DIR", &run_s)])).expect("ok");
        assert!(ep.source.contains("Docker Desktop"), "{}", ep.source);
        // Rootless beats them all.
        write(&run.join("docker.sock"), "");
        let ep = resolve(&env(d.path(), &[("XDG_RUNTIME_DIR", &run_s)])).expect("ok");
        assert_eq!(ep.url, format!("unix://{}/docker.sock", run_s));
        assert!(ep.source.contains("rootless"), "{}", ep.source);
        assert!(ep.source.contains("does not exist"), "{}", ep.source);
    }

    #[test]
    fn nothing_found_names_every_place_tried() {
        let d = tmp();
        let ep = resolve(&env(d.path(), &[])).expect("ok");
        assert!(ep.url.ends_with("var-run-docker.sock"));
        assert!(
            ep.source.contains("no engine socket found"),
            "{}",
            ep.source
        );
        assert!(
            ep.source.contains(".colima/default/docker.sock"),
            "{}",
            ep.source
        );
    }

    #[test]
    fn broken_config_json_falls_back_and_says_so() {
        let d = tmp();
        write(&d.path().join("home/.docker/config.json"), "{not json");
        let ep = resolve(&env(d.path(), &[])).expect("ok");
        assert!(ep.source.contains("could not read"), "{}", ep.source);
    }

    #[test]
    fn empty_docker_host_is_ignored() {
        let d = tmp();
        let ep = resolve(&env(d.path(), &[("DOCKER_HOST", "")])).expect("ok");
        assert!(ep.url.starts_with("unix://"));
    }
}
