//! Relevance: does an engine change concern the open lesson? Pure, in one
//! place; the app asks it for every event of the engine feed.

use crate::engine::events::EventKind;
use crate::event::EngineChange;
use crate::lesson::{CheckKind, Lesson};
use crate::ui::engine::{EngineView, Named};

/// The names a lesson mentions: what it creates and what its checks look at.
pub fn lesson_names(lesson: &Lesson) -> Named {
    let mut n = Named {
        images: lesson.creates.images.clone(),
        containers: lesson.creates.containers.clone(),
        networks: lesson.creates.networks.clone(),
    };
    fn add(v: &mut Vec<String>, s: &str) {
        if !s.is_empty() && !v.iter().any(|x| x == s) {
            v.push(s.to_string());
        }
    }
    for c in &lesson.checks {
        for image in c.kind.images() {
            add(&mut n.images, image);
        }
        match &c.kind {
            CheckKind::ContainerRunning { container, .. } => add(&mut n.containers, container),
            CheckKind::ContainerNetworkMode { container, .. }
            | CheckKind::ContainerPort { container, .. }
            | CheckKind::ContainerSecurity { container, .. } => add(&mut n.containers, container),
            CheckKind::ContainerShares {
                container, target, ..
            } => {
                add(&mut n.containers, container);
                add(&mut n.containers, target);
            }
            CheckKind::ContainerNetworks {
                container,
                includes,
                excludes,
            } => {
                add(&mut n.containers, container);
                for x in includes.iter().chain(excludes) {
                    add(&mut n.networks, x);
                }
            }
            CheckKind::NetworkExists { network, .. }
            | CheckKind::NetworkAbsent { network }
            | CheckKind::NetworkResolves { network, .. } => add(&mut n.networks, network),
            CheckKind::NetworkReach {
                from_network, to, ..
            } => {
                add(&mut n.networks, from_network);
                add(&mut n.containers, to);
            }
            // their images are added above
            CheckKind::ImageExists { .. }
            | CheckKind::ImageSize { .. }
            | CheckKind::ImageSizeRatio { .. }
            | CheckKind::ImageLacks { .. }
            | CheckKind::ImageHas { .. }
            | CheckKind::ImageUser { .. }
            | CheckKind::ImageLayers { .. }
            | CheckKind::ImagePackages { .. }
            | CheckKind::ImageHistory { .. }
            | CheckKind::ImageRun { .. }
            | CheckKind::DockerfileStages { .. }
            | CheckKind::DockerfileFinalBase { .. }
            | CheckKind::SwarmActive => {}
        }
    }
    n
}

/// The ids of dockdojo's own helper containers (a check's probe or scan)
/// seen in the engine's events, so that events about them, and about the
/// networks they join, never make the checks run again (they would loop).
#[derive(Debug, Default)]
pub struct Helpers {
    ids: std::collections::HashSet<String>,
}

impl Helpers {
    /// One engine event as a change the relevance rule reads.
    pub fn change(
        &mut self,
        kind: EventKind,
        action: String,
        name: String,
        id: String,
        attributes: &std::collections::HashMap<String, String>,
    ) -> EngineChange {
        let helper = match kind {
            EventKind::Container => {
                let h = attributes.contains_key(crate::engine::labels::MANAGED)
                    && crate::engine::labels::is_helper_name(&name);
                if h && action != "destroy" {
                    self.ids.insert(id.clone());
                } else {
                    self.ids.remove(&id);
                }
                h
            }
            EventKind::Network => attributes
                .get("container")
                .is_some_and(|c| self.ids.contains(c)),
            _ => false,
        };
        let mut names = vec![name, id];
        names.extend(attributes.get("image").cloned());
        EngineChange {
            kind,
            action,
            names,
            helper,
        }
    }
}

/// Does this engine event concern the lesson? Unknown kinds count as yes.
/// `view` is what the engine had before the event, if known.
pub fn concerns(
    lesson: &Lesson,
    named: &Named,
    view: Option<&EngineView>,
    ch: &EngineChange,
) -> bool {
    if ch.helper {
        return false;
    }
    let action = ch.action.split(':').next().unwrap_or("");
    let relevant_action = match ch.kind {
        EventKind::Image => matches!(
            action,
            "tag" | "untag" | "delete" | "import" | "load" | "pull" | "build"
        ),
        EventKind::Container => matches!(
            action,
            "create"
                | "start"
                | "stop"
                | "die"
                | "destroy"
                | "kill"
                | "pause"
                | "unpause"
                | "rename"
                | "restart"
        ),
        EventKind::Network => matches!(
            action,
            "create" | "connect" | "disconnect" | "destroy" | "remove"
        ),
        // The swarm's own node: `swarm init` updates it (`swarm leave` sends
        // nothing; the console's prompt catches that).
        EventKind::Node => {
            return lesson
                .checks
                .iter()
                .any(|c| matches!(c.kind, CheckKind::SwarmActive))
        }
        EventKind::Volume => return false,
    };
    if !relevant_action {
        return false;
    }
    // Image ids change with every build: an image event matches when any name it
    // carries is one the lesson names. Untag/delete events carry only the id:
    // they count unless the engine view knew that image and none of its tags is
    // one the lesson names (an image the view has not seen yet counts).
    let list: &[String] = match ch.kind {
        EventKind::Image => &named.images,
        EventKind::Container => &named.containers,
        _ => &named.networks,
    };
    // Podman's `build` event carries only the new image's id.
    if ch.kind == EventKind::Image && matches!(action, "untag" | "delete" | "build") {
        if named.images.is_empty() {
            return false;
        }
        let known = view.and_then(|v| {
            v.images
                .iter()
                .find(|i| !i.id.is_empty() && ch.names.contains(&i.id))
        });
        return match known {
            Some(image) => image.names.iter().any(|t| {
                named
                    .images
                    .iter()
                    .any(|n| crate::engine::image_ref::same(n, t))
            }),
            None => true,
        };
    }
    if list.is_empty() {
        // Nothing named of this kind: a container lesson still cares about the
        // networks its containers join (the event carries only the container id).
        return ch.kind == EventKind::Network
            && !named.containers.is_empty()
            && matches!(action, "connect" | "disconnect");
    }
    ch.names.iter().any(|name| {
        list.iter().any(|n| {
            if ch.kind == EventKind::Image {
                crate::engine::image_ref::same(n, name)
            } else {
                n == name
            }
        })
    }) || (ch.kind == EventKind::Network
        // connect/disconnect events name the network and only the container's id.
        && !named.containers.is_empty()
        && matches!(action, "connect" | "disconnect"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{CheckSpec, Creates};

    fn lesson(kind: CheckKind) -> Lesson {
        Lesson {
            id: "l".into(),
            dir_name: "01-l".into(),
            title: "l".into(),
            summary: String::new(),
            images: vec![],
            requires: vec![],
            creates: Creates::default(),
            hints: vec![],
            checks: vec![CheckSpec {
                id: "c".into(),
                title: "c".into(),
                why: None,
                hint: None,
                needs: vec![],
                requires: vec![],
                kind,
            }],
            body: String::new(),
            body_line: 1,
            starter: vec![],
            solution: vec![],
        }
    }

    fn change(kind: EventKind, action: &str, names: &[&str]) -> EngineChange {
        EngineChange {
            kind,
            action: action.into(),
            names: names.iter().map(|n| n.to_string()).collect(),
            helper: false,
        }
    }

    #[test]
    fn the_images_a_check_inspects_are_the_lessons_names() {
        let ratio = lesson(CheckKind::ImageSizeRatio {
            image: "calc-small".into(),
            of: "calc-large".into(),
            max: 0.5,
        });
        assert_eq!(lesson_names(&ratio).images, ["calc-large", "calc-small"]);
        let running = lesson(CheckKind::ContainerRunning {
            container: "web".into(),
            image: Some("web-img".into()),
        });
        let n = lesson_names(&running);
        assert_eq!(
            (n.images, n.containers),
            (vec!["web-img".to_string()], vec!["web".to_string()])
        );
        let any = lesson(CheckKind::ContainerRunning {
            container: "web".into(),
            image: None,
        });
        assert!(lesson_names(&any).images.is_empty());
        assert!(lesson(CheckKind::SwarmActive).checks[0]
            .kind
            .images()
            .is_empty());
    }

    #[test]
    fn swarm_node_events_concern_only_swarm_checks() {
        let swarm = lesson(CheckKind::SwarmActive);
        let image = lesson(CheckKind::ImageExists {
            image: "calc-app-small".into(),
        });
        let node = change(EventKind::Node, "update", &["vm"]);
        assert!(concerns(&swarm, &lesson_names(&swarm), None, &node));
        assert!(!concerns(&image, &lesson_names(&image), None, &node));
    }

    #[test]
    fn podman_names_and_builds_concern_the_lesson_that_names_the_image() {
        let l = lesson(CheckKind::ImageExists {
            image: "calc-app-small".into(),
        });
        let named = lesson_names(&l);
        // Podman tags what it builds as localhost/NAME.
        let tag = change(
            EventKind::Image,
            "tag",
            &["localhost/calc-app-small:latest"],
        );
        assert!(concerns(&l, &named, None, &tag));
        let other = change(EventKind::Image, "tag", &["localhost/other:latest"]);
        assert!(!concerns(&l, &named, None, &other));
        // Its build event carries only the new image's id.
        let build = change(EventKind::Image, "build", &["4c58f2da0a2e"]);
        assert!(concerns(&l, &named, None, &build));
        // A network lesson does not care about builds.
        let net = lesson(CheckKind::NetworkAbsent {
            network: "old".into(),
        });
        assert!(!concerns(&net, &lesson_names(&net), None, &build));
        // Docker's registry spelling of the same image.
        let hub = change(
            EventKind::Image,
            "tag",
            &["docker.io/library/calc-app-small:latest"],
        );
        assert!(concerns(&l, &named, None, &hub));
    }
}
