//! DOCKER_HOST=tcp://... with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH
//! (ca.pem, cert.pem, key.pem), end to end: a test-owned TLS endpoint that
//! demands a client certificate signed by its CA (as a TLS dockerd does) and
//! forwards to the real engine.

use crate::common;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use dockdojo::engine::{self, endpoint::ResolveEnv};
use tokio::net::{TcpListener, UnixStream};
use tokio_rustls::rustls;

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("this test needs the openssl command to make certificates");
    assert!(
        out.status.success(),
        "openssl {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA, a server certificate for 127.0.0.1 and a client certificate, as
/// the Docker docs' "protect the daemon socket" recipe makes them.
fn make_certs(dir: &Path, ca_name: &str) {
    openssl(dir, &["genrsa", "-out", "ca-key.pem", "2048"]);
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-x509",
            "-days",
            "2",
            "-key",
            "ca-key.pem",
            "-sha256",
            "-subj",
            &format!("/CN={ca_name}"),
            "-out",
            "ca.pem",
        ],
    );
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName = IP:127.0.0.1,DNS:localhost\nextendedKeyUsage = serverAuth\n",
    )
    .expect("ext");
    std::fs::write(dir.join("client.ext"), "extendedKeyUsage = clientAuth\n").expect("ext");
    for (who, subj) in [("server", "/CN=127.0.0.1"), ("client", "/CN=learner")] {
        let key = format!("{who}-key.pem");
        let csr = format!("{who}.csr");
        let crt = format!("{who}-cert.pem");
        let ext = format!("{who}.ext");
        openssl(dir, &["genrsa", "-out", &key, "2048"]);
        openssl(
            dir,
            &["req", "-new", "-key", &key, "-subj", subj, "-out", &csr],
        );
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-days",
                "2",
                "-sha256",
                "-in",
                &csr,
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca-key.pem",
                "-CAcreateserial",
                "-out",
                &crt,
                "-extfile",
                &ext,
            ],
        );
    }
    // The names the Docker CLI looks for in DOCKER_CERT_PATH.
    std::fs::copy(dir.join("client-cert.pem"), dir.join("cert.pem")).expect("cp");
    std::fs::copy(dir.join("client-key.pem"), dir.join("key.pem")).expect("cp");
}

fn server_config(dir: &Path) -> Arc<rustls::ServerConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_file_iter(dir.join("ca.pem")).expect("ca") {
        roots.add(c.expect("ca cert")).expect("add root");
    }
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .expect("client verifier");
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(dir.join("server-cert.pem"))
            .expect("server cert")
            .map(|c| c.expect("cert"))
            .collect();
    let key = PrivateKeyDer::from_pem_file(dir.join("server-key.pem")).expect("server key");
    let cfg = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_client_cert_verifier(verifier)
        .with_single_cert(certs, key)
        .expect("server config");
    Arc::new(cfg)
}

/// Terminate TLS on 127.0.0.1:PORT and forward to the engine's socket.
async fn tls_forwarder(dir: &Path, upstream: String) -> (u16, tokio::task::JoinHandle<()>) {
    let acceptor = tokio_rustls::TlsAcceptor::from(server_config(dir));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let h = tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let upstream = upstream.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                if let Ok(mut up) = UnixStream::connect(&upstream).await {
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut up).await;
                }
            });
        }
    });
    (port, h)
}

fn tls_env(port: u16, cert_dir: &Path) -> ResolveEnv {
    ResolveEnv {
        vars: [
            ("DOCKER_HOST", format!("tcp://127.0.0.1:{port}")),
            ("DOCKER_TLS_VERIFY", "1".to_string()),
            (
                "DOCKER_CERT_PATH",
                cert_dir.to_str().expect("utf8").to_string(),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect(),
        home: None,
        system_socket: "/nonexistent".into(),
    }
}

#[tokio::test]
async fn tls_verified_endpoint_connects_and_a_wrong_ca_does_not() {
    let Some(eng) = common::engine("tls_verified_endpoint_connects_and_a_wrong_ca_does_not").await
    else {
        return;
    };
    let upstream = eng
        .endpoint
        .unix_path()
        .expect("these tests talk to a unix socket engine")
        .to_string();
    let good = tempfile::tempdir().expect("temp dir");
    make_certs(good.path(), "ddt-engine test CA");
    let (port, fwd) = tls_forwarder(good.path(), upstream).await;

    let ep = engine::endpoint::resolve(&tls_env(port, good.path())).expect("resolves");
    assert!(ep.tls.is_some());
    let ok = engine::connect_to(ep).await;

    // Certificates from another CA: the server is not trusted, and the
    // client is not accepted either.
    let other = tempfile::tempdir().expect("temp dir");
    make_certs(other.path(), "ddt-engine other CA");
    let ep2 = engine::endpoint::resolve(&tls_env(port, other.path())).expect("resolves");
    let url2 = ep2.url.clone();
    let bad = engine::connect_to(ep2).await;
    fwd.abort();

    let ok = ok.expect("connects over verified TLS");
    assert_eq!(ok.api_version, eng.api_version);
    let err = bad.expect_err("a wrong CA must not connect");
    assert!(err.to_string().contains("TLS handshake failed"), "{err}");
    assert!(err.to_string().contains(&url2), "names the endpoint: {err}");
    assert!(err.is_connection(), "{err}");
}
