//! The live engine feed: one task subscribes to `/events` and sends typed
//! messages on a channel; when the stream ends (the daemon restarted, the
//! socket went away) it reconnects with backoff and sends a fresh
//! [`Inventory`] after every (re)connect.
//!
//! Events are never filtered by label: network events carry no labels, and
//! a label filter silently drops them all.

use std::collections::HashMap;
use std::time::Duration;

use bollard::models::{EventMessage, EventMessageTypeEnum};
use bollard::query_parameters::EventsOptions;
use futures_util::{FutureExt, StreamExt};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::inventory::{self, Inventory};
use super::platform::Platform;
use super::{Endpoint, Engine, EngineError};

/// First wait after a lost or failed connection.
pub const BACKOFF_START: Duration = Duration::from_millis(250);
/// The longest wait between attempts.
pub const BACKOFF_MAX: Duration = Duration::from_secs(5);

/// What kind of object an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    Image,
    Container,
    Network,
    Volume,
    /// A swarm node (`swarm init` updates the engine's own).
    Node,
}

impl EventKind {
    /// The engine's name for it (`Type` of an event).
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Image => "image",
            EventKind::Container => "container",
            EventKind::Network => "network",
            EventKind::Volume => "volume",
            EventKind::Node => "node",
        }
    }

    /// From the engine's name; `None` for kinds the feed does not carry.
    pub fn from_name(name: &str) -> Option<EventKind> {
        Some(match name {
            "image" => EventKind::Image,
            "container" => EventKind::Container,
            "network" => EventKind::Network,
            "volume" => EventKind::Volume,
            "node" => EventKind::Node,
            _ => return None,
        })
    }
}

/// A connection was made.
#[derive(Debug, Clone)]
pub struct Connected {
    pub engine: Engine,
    /// `None` when `docker info` failed (the reason is logged).
    pub platform: Option<Platform>,
}

/// One message from the engine feed.
#[derive(Debug)]
pub enum EngineMsg {
    Connected(Box<Connected>),
    /// The engine cannot be reached (or was lost); the feed keeps trying.
    Disconnected(EngineError),
    /// Everything the engine holds, sent after every (re)connect.
    Inventory(Inventory),
    Event {
        kind: EventKind,
        /// e.g. `create`, `tag`, `delete`, `connect`, `start`, `die`.
        action: String,
        /// The object's name (`name` attribute; for images the reference).
        name: String,
        /// The object's id as the engine reports it.
        id: String,
        attributes: HashMap<String, String>,
    },
    /// Sent after a burst of events that changed what the engine holds, before
    /// the feed lists it all again for the [`Inventory`]. The receiver drops it
    /// once the work those events started is done (a check run), so that work's
    /// requests reach the engine before the three lists; dropped at once, the
    /// lists follow at once. The feed waits at most [`SETTLE_BOUND`].
    Settle(Settle),
}

/// See [`EngineMsg::Settle`]: dropping it lets the feed list the engine.
#[derive(Debug)]
pub struct Settle {
    /// Never sent on: the feed waits for it to close.
    _release: tokio::sync::oneshot::Sender<()>,
}

/// How long the feed waits for a [`Settle`] to be dropped before it lists the
/// engine anyway: a slow check run must not hold back the engine pane.
pub const SETTLE_BOUND: Duration = Duration::from_secs(1);

/// Exponential backoff: `start`, doubling, at most `max`.
#[derive(Debug, Clone)]
pub struct Backoff {
    start: Duration,
    max: Duration,
    next: Duration,
}

impl Backoff {
    pub fn new(start: Duration, max: Duration) -> Backoff {
        Backoff {
            start,
            max,
            next: start,
        }
    }
    /// The wait before the next attempt; the one after doubles, up to max.
    pub fn next_delay(&mut self) -> Duration {
        let d = self.next;
        self.next = (self.next * 2).min(self.max);
        d
    }
    /// After a successful connection.
    pub fn reset(&mut self) {
        self.next = self.start;
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff::new(BACKOFF_START, BACKOFF_MAX)
    }
}

/// Turn an engine event into a message; `None` for kinds the feed does not
/// carry (builder, plugin, swarm objects, daemon).
pub fn to_msg(ev: EventMessage) -> Option<EngineMsg> {
    let kind = match ev.typ? {
        EventMessageTypeEnum::IMAGE => EventKind::Image,
        EventMessageTypeEnum::CONTAINER => EventKind::Container,
        EventMessageTypeEnum::NETWORK => EventKind::Network,
        EventMessageTypeEnum::VOLUME => EventKind::Volume,
        EventMessageTypeEnum::NODE => EventKind::Node,
        _ => return None,
    };
    let actor = ev.actor.unwrap_or_default();
    let attributes = actor.attributes.unwrap_or_default();
    let id = actor.id.unwrap_or_default();
    // Podman leaves `name` empty on network events and names the network in
    // `network`.
    let attr = |k: &str| attributes.get(k).filter(|v| !v.is_empty()).cloned();
    let name = attr("name")
        .or_else(|| {
            (kind == EventKind::Network)
                .then(|| attr("network"))
                .flatten()
        })
        .unwrap_or_else(|| id.clone());
    Some(EngineMsg::Event {
        kind,
        action: normalize_action(kind, &ev.action.unwrap_or_default()),
        name,
        id,
        attributes,
    })
}

/// One word per change, whichever engine sent it: Podman says `remove`
/// where Docker says `destroy` (containers, networks) or `delete` (images).
/// Docker's own words, and everything else, pass unchanged.
pub fn normalize_action(kind: EventKind, action: &str) -> String {
    match (kind, action) {
        (EventKind::Container | EventKind::Network, "remove") => "destroy".into(),
        (EventKind::Image, "remove") => "delete".into(),
        _ => action.to_string(),
    }
}

/// Where the feed connects.
#[derive(Debug, Clone)]
pub enum Target {
    /// Resolve like the Docker CLI before every attempt (a socket that
    /// appears later, e.g. Docker Desktop starting, is picked up).
    Resolve,
    Fixed(Endpoint),
}

/// Start the feed. It runs until the receiver is dropped.
pub fn spawn(target: Target, tx: mpsc::Sender<EngineMsg>) -> JoinHandle<()> {
    tokio::spawn(run(target, tx, Backoff::default()))
}

/// The feed's loop (public so callers can choose their own backoff).
pub async fn run(target: Target, tx: mpsc::Sender<EngineMsg>, mut backoff: Backoff) {
    let mut last_error: Option<String> = None;
    loop {
        if tx.is_closed() {
            return;
        }
        let attempt = match &target {
            Target::Resolve => match super::resolve_endpoint() {
                Ok(ep) => super::connect_to(ep).await,
                Err(e) => Err(e),
            },
            Target::Fixed(ep) => super::connect_to(ep.clone()).await,
        };
        match attempt {
            Ok(engine) => {
                let lost = session(&engine, &tx, &mut backoff).await;
                match lost {
                    None => return, // receiver gone
                    Some(e) => {
                        tracing::info!("engine feed lost: {e}");
                        last_error = Some(e.to_string());
                        if tx.send(EngineMsg::Disconnected(e)).await.is_err() {
                            return;
                        }
                    }
                }
            }
            Err(e) => {
                let text = e.to_string();
                if last_error.as_deref() != Some(text.as_str()) {
                    last_error = Some(text);
                    if tx.send(EngineMsg::Disconnected(e)).await.is_err() {
                        return;
                    }
                }
            }
        }
        tokio::time::sleep(backoff.next_delay()).await;
    }
}

/// One connected session: announce, subscribe, send the inventory, forward
/// events until the stream ends. Returns why it ended, or `None` when the
/// receiver is gone.
async fn session(
    engine: &Engine,
    tx: &mpsc::Sender<EngineMsg>,
    backoff: &mut Backoff,
) -> Option<EngineError> {
    // The engine's own clock marks where the subscription starts, so that
    // nothing that happens while the inventory is listed is missed.
    // `info` and `version` (for the platform) side by side: several ms each.
    let (info, version) = tokio::join!(engine.docker.info(), engine.docker.version());
    let (platform, since) = match info {
        Ok(info) => {
            let since = info.system_time.as_deref().and_then(rfc3339_to_unix);
            let version = version.unwrap_or_default();
            super::kind::EngineKind::remember(
                &engine.endpoint.url,
                super::kind::EngineKind::from_facts(&info, &version),
            );
            (
                Some(Platform::from_facts(&info, &version, &engine.endpoint)),
                since,
            )
        }
        Err(e) => {
            let e = engine.err(e);
            if e.is_connection() {
                return Some(e);
            }
            tracing::warn!("docker info failed: {e}");
            (None, None)
        }
    };
    let connected = Connected {
        engine: engine.clone(),
        platform,
    };
    if tx
        .send(EngineMsg::Connected(Box::new(connected)))
        .await
        .is_err()
    {
        return None;
    }
    let mut filters = HashMap::new();
    filters.insert(
        "type".to_string(),
        vec![
            "image".to_string(),
            "container".to_string(),
            "network".to_string(),
            "volume".to_string(),
            "node".to_string(),
        ],
    );
    let opts = EventsOptions {
        since: since.map(|(s, n)| format!("{s}.{n:09}")),
        until: None,
        filters: Some(filters),
    };
    let mut stream = engine.docker.events(Some(opts));
    match inventory::gather(engine).await {
        Ok(inv) => {
            if tx.send(EngineMsg::Inventory(inv)).await.is_err() {
                return None;
            }
        }
        Err(e) => return Some(e),
    }
    backoff.reset();
    let ended = || EngineError::Unreachable {
        endpoint: engine.endpoint.url.clone(),
        reason: "the engine closed its event stream (was Docker restarted?)".into(),
    };
    loop {
        let first = tokio::select! {
            item = stream.next() => item,
            _ = tx.closed() => return None,
        };
        // Forward this event and every one already waiting, then send one
        // fresh inventory for the whole burst if any of them changed what
        // the engine holds (no timers: "waiting" means ready right now).
        let mut item = first;
        let mut changed = false;
        loop {
            match item {
                Some(Ok(ev)) => {
                    if let Some(msg) = to_msg(ev) {
                        if let EngineMsg::Event {
                            kind,
                            action,
                            attributes,
                            ..
                        } = &msg
                        {
                            // dockdojo's own short-lived scan and probe
                            // containers do not change what a learner sees.
                            let helper = *kind == EventKind::Container
                                && attributes.get(super::labels::MANAGED).map(String::as_str)
                                    == Some("true");
                            changed |= !helper && changes_inventory(action);
                        }
                        if tx.send(msg).await.is_err() {
                            return None;
                        }
                    }
                }
                Some(Err(e)) => return Some(engine.err(e)),
                None => return Some(ended()),
            }
            match stream.next().now_or_never() {
                Some(next) => item = next,
                None => break,
            }
        }
        if changed {
            let (settle, settled) = tokio::sync::oneshot::channel::<()>();
            if tx
                .send(EngineMsg::Settle(Settle { _release: settle }))
                .await
                .is_err()
            {
                return None;
            }
            // Dropped (or answered) means go; the bound means go anyway.
            let _ = tokio::time::timeout(SETTLE_BOUND, settled).await;
            match inventory::gather(engine).await {
                Ok(inv) => {
                    if tx.send(EngineMsg::Inventory(inv)).await.is_err() {
                        return None;
                    }
                }
                Err(e) if e.is_connection() => return Some(e),
                // An object vanished between the event and the listing: the
                // next event brings a fresh inventory.
                Err(e) => tracing::debug!("inventory after event: {e}"),
            }
        }
    }
}

/// Whether an event's action can change the inventory (images, containers,
/// their states, networks and their members). Exec, health and attach
/// chatter does not.
pub fn changes_inventory(action: &str) -> bool {
    const QUIET: [&str; 8] = [
        "exec_",
        "health_status",
        "attach",
        "detach",
        "resize",
        "top",
        "archive-path",
        "extract-to-dir",
    ];
    !QUIET.iter().any(|q| action.starts_with(q))
}

/// `2026-11-25T17:10:00.123456789Z` (or with `+01:00`) -> (unix seconds, nanos).
pub fn rfc3339_to_unix(s: &str) -> Option<(i64, u32)> {
    let t: jiff::Timestamp = s.trim().parse().ok()?;
    Some((t.as_second(), u32::try_from(t.subsec_nanosecond()).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::EventActor;

    #[test]
    fn backoff_doubles_to_five_seconds_and_resets() {
        let mut b = Backoff::default();
        let ms: Vec<u128> = (0..8).map(|_| b.next_delay().as_millis()).collect();
        assert_eq!(ms, vec![250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
        b.reset();
        assert_eq!(b.next_delay(), Duration::from_millis(250));
    }

    #[test]
    fn exec_and_health_chatter_does_not_refresh_the_inventory() {
        for a in [
            "create",
            "destroy",
            "tag",
            "untag",
            "delete",
            "connect",
            "disconnect",
            "start",
            "die",
            "rename",
        ] {
            assert!(changes_inventory(a), "{a}");
        }
        for a in [
            "exec_create: sh",
            "exec_start: sh -c x",
            "health_status: healthy",
            "attach",
            "resize",
            "top",
        ] {
            assert!(!changes_inventory(a), "{a}");
        }
    }

    #[test]
    fn rfc3339_parses_engine_time() {
        assert_eq!(rfc3339_to_unix("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(
            rfc3339_to_unix("2026-11-25T17:10:00.5Z"),
            Some((1_795_626_600, 500_000_000))
        );
        assert_eq!(
            rfc3339_to_unix("2026-11-25T18:10:00.123456789+01:00"),
            Some((1_795_626_600, 123_456_789))
        );
        assert_eq!(rfc3339_to_unix("yesterday"), None);
    }

    #[test]
    fn network_event_without_labels_becomes_a_message() {
        let ev = EventMessage {
            typ: Some(EventMessageTypeEnum::NETWORK),
            action: Some("create".into()),
            actor: Some(EventActor {
                id: Some("abc123".into()),
                attributes: Some(HashMap::from([
                    ("name".to_string(), "secure".to_string()),
                    ("type".to_string(), "bridge".to_string()),
                ])),
            }),
            ..Default::default()
        };
        match to_msg(ev) {
            Some(EngineMsg::Event {
                kind,
                action,
                name,
                id,
                ..
            }) => {
                assert_eq!(kind, EventKind::Network);
                assert_eq!(action, "create");
                assert_eq!(name, "secure");
                assert_eq!(id, "abc123");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn podman_event_words_become_dockers() {
        let ev = EventMessage {
            typ: Some(EventMessageTypeEnum::NETWORK),
            action: Some("remove".into()),
            actor: Some(EventActor {
                id: Some("9f1c".into()),
                attributes: Some(HashMap::from([
                    ("name".to_string(), String::new()),
                    ("network".to_string(), "secure-network".to_string()),
                ])),
            }),
            ..Default::default()
        };
        match to_msg(ev) {
            Some(EngineMsg::Event { action, name, .. }) => {
                assert_eq!(action, "destroy");
                assert_eq!(name, "secure-network");
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(normalize_action(EventKind::Container, "remove"), "destroy");
        assert_eq!(normalize_action(EventKind::Image, "remove"), "delete");
        assert_eq!(normalize_action(EventKind::Image, "build"), "build");
        assert_eq!(normalize_action(EventKind::Container, "die"), "die");
    }

    #[test]
    fn a_container_event_never_takes_its_name_from_a_network_attribute() {
        let ev = EventMessage {
            typ: Some(EventMessageTypeEnum::CONTAINER),
            action: Some("create".into()),
            actor: Some(EventActor {
                id: Some("c0ffee".into()),
                attributes: Some(HashMap::from([(
                    "network".to_string(),
                    "bridge".to_string(),
                )])),
            }),
            ..Default::default()
        };
        assert!(matches!(to_msg(ev), Some(EngineMsg::Event { name, .. }) if name == "c0ffee"));
    }

    #[test]
    fn image_event_name_falls_back_to_id_and_daemon_events_are_dropped() {
        let ev = EventMessage {
            typ: Some(EventMessageTypeEnum::IMAGE),
            action: Some("tag".into()),
            actor: Some(EventActor {
                id: Some("sha256:feed".into()),
                attributes: Some(HashMap::new()),
            }),
            ..Default::default()
        };
        assert!(matches!(to_msg(ev), Some(EngineMsg::Event { name, .. }) if name == "sha256:feed"));
        let ev = EventMessage {
            typ: Some(EventMessageTypeEnum::DAEMON),
            ..Default::default()
        };
        assert!(to_msg(ev).is_none());
    }
}
