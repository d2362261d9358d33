//! The live engine feed and the inventory, against the real engine.

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bollard::models::{ContainerCreateBody, NetworkCreateRequest};
use bollard::query_parameters::{CreateContainerOptions, RemoveContainerOptions};
use dockdojo::engine::events::{self, Backoff, EngineMsg, EventKind, Target};
use dockdojo::engine::{self, inventory, Endpoint};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Generous: a missing message fails the test, but nothing here measures time.
const WAIT: Duration = Duration::from_secs(60);

fn unique(what: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("ddt-engine-{what}-{}-{nanos:x}", std::process::id())
}

/// Receive until `pred` matches; panics with what arrived if it never does.
async fn wait_for(
    rx: &mut mpsc::Receiver<EngineMsg>,
    what: &str,
    mut pred: impl FnMut(&EngineMsg) -> bool,
) -> EngineMsg {
    let mut seen = Vec::new();
    let found = tokio::time::timeout(WAIT, async {
        while let Some(m) = rx.recv().await {
            if pred(&m) {
                return Some(m);
            }
            seen.push(format!("{m:?}").chars().take(200).collect::<String>());
        }
        None
    })
    .await;
    match found {
        Ok(Some(m)) => m,
        Ok(None) => panic!("the feed ended before {what}; saw: {seen:#?}"),
        Err(_) => panic!("no {what} within {WAIT:?}; saw: {seen:#?}"),
    }
}

/// Like `wait_for`, but `None` instead of a panic.
async fn try_wait_for(
    rx: &mut mpsc::Receiver<EngineMsg>,
    mut pred: impl FnMut(&EngineMsg) -> bool,
) -> Option<EngineMsg> {
    tokio::time::timeout(WAIT, async {
        while let Some(m) = rx.recv().await {
            if pred(&m) {
                return Some(m);
            }
        }
        None
    })
    .await
    .ok()
    .flatten()
}

fn is_network_event(m: &EngineMsg, want_action: &str, want_name: &str) -> bool {
    matches!(m, EngineMsg::Event { kind: EventKind::Network, action, name, .. }
        if action == want_action && name == want_name)
}

#[tokio::test]
async fn feed_sends_inventory_and_network_events() {
    let Some(eng) = common::engine("feed_sends_inventory_and_network_events").await else {
        return;
    };
    let (tx, mut rx) = mpsc::channel(256);
    let feed = events::spawn(Target::Fixed(eng.endpoint.clone()), tx);

    let m = wait_for(&mut rx, "Connected", |m| {
        matches!(m, EngineMsg::Connected(_))
    })
    .await;
    if let EngineMsg::Connected(c) = m {
        assert_eq!(c.engine.api_version, eng.api_version);
        let p = c
            .platform
            .as_ref()
            .expect("platform detected on a healthy engine");
        assert_eq!(p.os_type, "linux");
    }
    let m = wait_for(&mut rx, "Inventory", |m| {
        matches!(m, EngineMsg::Inventory(_))
    })
    .await;
    if let EngineMsg::Inventory(inv) = m {
        assert!(
            inv.network("bridge").is_some(),
            "the default bridge network is in the inventory: {:?}",
            inv.networks
        );
    }

    let net = unique("ev");
    eng.docker
        .create_network(NetworkCreateRequest {
            name: net.clone(),
            ..Default::default()
        })
        .await
        .expect("create test network");
    // Wait without panicking first, so the network is removed either way.
    let created = try_wait_for(&mut rx, |m| is_network_event(m, "create", &net)).await;
    // The feed follows a change with a fresh inventory that shows it.
    let inv_seen = try_wait_for(
        &mut rx,
        |m| matches!(m, EngineMsg::Inventory(inv) if inv.network(&net).is_some()),
    )
    .await;
    eng.docker
        .remove_network(&net)
        .await
        .expect("remove test network");
    let created = created.expect("network create event arrives");
    inv_seen.expect("an inventory showing the new network arrives");
    if let EngineMsg::Event { id, attributes, .. } = created {
        assert!(!id.is_empty());
        assert_eq!(attributes.get("type").map(String::as_str), Some("bridge"));
    }
    wait_for(&mut rx, "network destroy event", |m| {
        is_network_event(m, "destroy", &net)
    })
    .await;

    drop(rx);
    // The task ends by itself once nobody listens.
    tokio::time::timeout(WAIT, feed)
        .await
        .expect("feed ends when the receiver is dropped")
        .expect("feed task did not panic");
}

#[tokio::test]
async fn the_feed_lists_the_engine_once_its_settle_is_dropped_or_its_bound_passes() {
    let Some(eng) =
        common::engine("the_feed_lists_the_engine_once_its_settle_is_dropped_or_its_bound_passes")
            .await
    else {
        return;
    };
    let (tx, mut rx) = mpsc::channel(256);
    let _feed = events::spawn(Target::Fixed(eng.endpoint.clone()), tx);
    wait_for(&mut rx, "first Inventory", |m| {
        matches!(m, EngineMsg::Inventory(_))
    })
    .await;
    let has = |net: &str, m: &EngineMsg| matches!(m, EngineMsg::Inventory(inv) if inv.network(net).is_some());

    let create = |net: String| {
        let docker = eng.docker.clone();
        async move {
            docker
                .create_network(NetworkCreateRequest {
                    name: net,
                    ..Default::default()
                })
                .await
                .expect("create test network");
        }
    };

    // Dropped: the lists follow. Until then the feed sends nothing more (half
    // the bound is the window looked at).
    let first = unique("settle");
    create(first.clone()).await;
    let created = try_wait_for(&mut rx, |m| is_network_event(m, "create", &first)).await;
    let settle = try_wait_for(&mut rx, |m| matches!(m, EngineMsg::Settle(_))).await;
    let settled = settle.is_some();
    let while_held = tokio::time::timeout(events::SETTLE_BOUND / 2, rx.recv()).await;
    drop(settle);
    let listed = try_wait_for(&mut rx, |m| has(&first, m)).await;

    // Held past the bound: the lists follow anyway.
    let second = unique("settle-bound");
    create(second.clone()).await;
    let _ = try_wait_for(&mut rx, |m| is_network_event(m, "create", &second)).await;
    let held = try_wait_for(&mut rx, |m| matches!(m, EngineMsg::Settle(_))).await;
    let listed_anyway = try_wait_for(&mut rx, |m| has(&second, m)).await;
    drop(held);

    for net in [&first, &second] {
        eng.docker
            .remove_network(net)
            .await
            .expect("remove test network");
    }
    created.expect("the create event arrives");
    assert!(settled, "a Settle follows the burst");
    assert!(
        while_held.is_err(),
        "the feed sent {while_held:?} while its Settle was held"
    );
    listed.expect("the inventory with the network follows the dropped Settle");
    listed_anyway.expect("the inventory follows a Settle held past the bound");
}

#[tokio::test]
async fn inventory_shows_images_sizes_and_network_members() {
    let Some(eng) = common::engine("inventory_shows_images_sizes_and_network_members").await else {
        return;
    };
    let net = unique("inv-net");
    let ctr = unique("inv-ctr");
    eng.docker
        .create_network(NetworkCreateRequest {
            name: net.clone(),
            ..Default::default()
        })
        .await
        .expect("create network");
    let made = eng
        .docker
        .create_container(
            Some(CreateContainerOptions {
                name: Some(ctr.clone()),
                ..Default::default()
            }),
            ContainerCreateBody {
                image: Some("busybox:1.36".into()),
                cmd: Some(vec!["true".into()]),
                host_config: Some(bollard::models::HostConfig {
                    network_mode: Some(net.clone()),
                    ..Default::default()
                }),
                ..Default::default()
            },
        )
        .await;
    let inv = match &made {
        Ok(_) => Some(inventory::gather(&eng).await),
        Err(_) => None,
    };
    // Clean up before asserting.
    if made.is_ok() {
        eng.docker
            .remove_container(
                &ctr,
                Some(RemoveContainerOptions {
                    force: true,
                    ..Default::default()
                }),
            )
            .await
            .expect("remove container");
    }
    eng.docker
        .remove_network(&net)
        .await
        .expect("remove network");
    made.expect("create container from busybox:1.36");
    let inv = inv.expect("gathered").expect("inventory lists");

    let bb = inv.image("busybox:1.36").expect("busybox:1.36 listed");
    assert!(bb.size > 100_000, "busybox has a real size: {}", bb.size);
    let c = inv.container(&ctr).expect("container listed");
    assert_eq!(c.state, "created");
    assert_eq!(c.image, "busybox:1.36");
    assert_eq!(c.networks, vec![net.clone()]);
    let n = inv.network(&net).expect("network listed");
    assert_eq!(n.driver, "bridge");
    assert_eq!(n.scope, "local");
    assert_eq!(n.containers, vec![ctr.clone()]);
    // Largest image first, as the size bars draw them.
    assert!(inv.images.windows(2).all(|w| w[0].size >= w[1].size));
}

/// A unix socket we control that forwards to the real engine; closing it
/// drops every forwarded connection, as a daemon restart would.
struct Proxy {
    path: PathBuf,
    accept: JoinHandle<()>,
    conns: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Proxy {
    fn open(path: &Path, upstream: &str) -> Proxy {
        let _ = std::fs::remove_file(path);
        let listener = UnixListener::bind(path).expect("bind proxy socket");
        let conns: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let c2 = conns.clone();
        let upstream = upstream.to_string();
        let accept = tokio::spawn(async move {
            while let Ok((mut down, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let h = tokio::spawn(async move {
                    if let Ok(mut up) = UnixStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut down, &mut up).await;
                    }
                });
                c2.lock().expect("lock").push(h);
            }
        });
        Proxy {
            path: path.to_path_buf(),
            accept,
            conns,
        }
    }

    fn close(self) {
        self.accept.abort();
        for h in self.conns.lock().expect("lock").drain(..) {
            h.abort();
        }
        let _ = std::fs::remove_file(&self.path);
    }
}

#[tokio::test]
async fn feed_reconnects_after_the_engine_goes_away_and_comes_back() {
    let Some(eng) =
        common::engine("feed_reconnects_after_the_engine_goes_away_and_comes_back").await
    else {
        return;
    };
    let upstream = eng
        .endpoint
        .unix_path()
        .expect("these tests talk to a unix socket engine")
        .to_string();
    let dir = tempfile::tempdir().expect("temp dir");
    let sock = dir.path().join("proxy.sock");
    let ep = Endpoint::new(format!("unix://{}", sock.display()), "test proxy");

    let proxy = Proxy::open(&sock, &upstream);
    let (tx, mut rx) = mpsc::channel(256);
    // A short backoff keeps the test quick; the schedule itself is unit-tested.
    let feed = tokio::spawn(events::run(
        Target::Fixed(ep.clone()),
        tx,
        Backoff::new(Duration::from_millis(50), Duration::from_millis(400)),
    ));
    wait_for(&mut rx, "first Connected", |m| {
        matches!(m, EngineMsg::Connected(_))
    })
    .await;
    wait_for(&mut rx, "first Inventory", |m| {
        matches!(m, EngineMsg::Inventory(_))
    })
    .await;

    // The "daemon" goes away: the stream ends, the feed says so.
    proxy.close();
    let m = wait_for(&mut rx, "Disconnected", |m| {
        matches!(m, EngineMsg::Disconnected(_))
    })
    .await;
    if let EngineMsg::Disconnected(e) = m {
        assert!(e.is_connection(), "{e}");
        assert!(e.to_string().contains(&ep.url), "names the endpoint: {e}");
    }

    // It comes back: the feed reconnects and re-sends a full inventory.
    let proxy = Proxy::open(&sock, &upstream);
    wait_for(&mut rx, "Connected again", |m| {
        matches!(m, EngineMsg::Connected(_))
    })
    .await;
    wait_for(&mut rx, "Inventory again", |m| {
        matches!(m, EngineMsg::Inventory(_))
    })
    .await;

    // And events flow through the new connection.
    let net = unique("recon");
    eng.docker
        .create_network(NetworkCreateRequest {
            name: net.clone(),
            ..Default::default()
        })
        .await
        .expect("create network");
    let got = tokio::time::timeout(
        WAIT,
        wait_for(&mut rx, "create event after reconnect", |m| {
            is_network_event(m, "create", &net)
        }),
    )
    .await;
    eng.docker
        .remove_network(&net)
        .await
        .expect("remove network");
    got.expect("event after reconnect");

    drop(rx);
    let _ = tokio::time::timeout(WAIT, feed).await;
    proxy.close();
}

#[tokio::test]
async fn connect_reports_versions_and_platform() {
    let Some(eng) = common::engine("connect_reports_versions_and_platform").await else {
        return;
    };
    let api = eng
        .api_version
        .as_deref()
        .expect("connect asks the API version");
    assert!(api.starts_with("1."), "API version like 1.41: {api}");
    let version = eng.version.as_deref().expect("connect asks the version");
    assert!(!version.is_empty() && version != "unknown");
    let p = engine::platform::detect(&eng).await.expect("docker info");
    assert_eq!(p.os_type, "linux");
    assert!(!p.swarm.local_node_state.is_empty(), "swarm state known");
    // Unversioned requests: the engine answers in its own API version.
    let v = eng.docker.version().await.expect("version");
    assert_eq!(v.api_version.as_deref(), eng.api_version.as_deref());
}

/// DOCKER_HOST=tcp://... reaches the engine (through a test-owned TCP
/// forwarder to the unix socket, as `socat` would).
#[tokio::test]
async fn tcp_endpoint_connects_and_lists() {
    let Some(eng) = common::engine("tcp_endpoint_connects_and_lists").await else {
        return;
    };
    let upstream = eng
        .endpoint
        .unix_path()
        .expect("these tests talk to a unix socket engine")
        .to_string();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let port = listener.local_addr().expect("addr").port();
    let fwd = tokio::spawn(async move {
        while let Ok((mut down, _)) = listener.accept().await {
            let upstream = upstream.clone();
            tokio::spawn(async move {
                if let Ok(mut up) = UnixStream::connect(&upstream).await {
                    let _ = tokio::io::copy_bidirectional(&mut down, &mut up).await;
                }
            });
        }
    });
    // Resolve it the way DOCKER_HOST would be, without touching the process env.
    let env = engine::endpoint::ResolveEnv {
        vars: std::iter::once(("DOCKER_HOST".to_string(), format!("tcp://127.0.0.1:{port}")))
            .collect(),
        home: None,
        system_socket: "/nonexistent".into(),
    };
    let ep = engine::endpoint::resolve(&env).expect("resolves");
    assert_eq!(ep.url, format!("tcp://127.0.0.1:{port}"));
    let tcp = engine::connect_to(ep).await;
    let inv = match &tcp {
        Ok(e) => Some(inventory::gather(e).await),
        Err(_) => None,
    };
    fwd.abort();
    let tcp = tcp.expect("connects over tcp");
    assert_eq!(tcp.api_version, eng.api_version);
    let inv = inv.expect("gathered").expect("lists over tcp");
    assert!(inv.image("busybox:1.36").is_some());
}
