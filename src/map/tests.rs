//! The map's model and its text, on an inventory with every network
//! driver (bridge, host, null, overlay, macvlan, ipvlan) and a container on
//! two networks.

use std::collections::BTreeMap;

use super::text::{self, Charset, Options};
use super::*;
use crate::check::CheckResult;
use crate::engine::inventory::{ContainerInfo, NetworkInfo, PublishedPort};

fn net(name: &str, driver: &str, subnet: &str) -> NetworkInfo {
    NetworkInfo {
        name: name.into(),
        id: format!("{name}-id"),
        driver: driver.into(),
        scope: "local".into(),
        subnets: if subnet.is_empty() {
            vec![]
        } else {
            vec![subnet.into()]
        },
        ..Default::default()
    }
}

fn ctr(name: &str, state: &str, on: &[(&str, &str)]) -> ContainerInfo {
    ContainerInfo {
        name: name.into(),
        id: format!("{name}0123456789abcdef"),
        image: "busybox:1.36".into(),
        state: state.into(),
        networks: on.iter().map(|(n, _)| n.to_string()).collect(),
        addresses: on
            .iter()
            .filter(|(_, a)| !a.is_empty())
            .map(|(n, a)| (n.to_string(), a.to_string()))
            .collect::<BTreeMap<_, _>>(),
        network_mode: on.first().map_or("none", |(n, _)| n).to_string(),
        ports: vec![],
    }
}

/// Every driver, `finance` on two networks, a published port, a host-mode
/// container, one sharing another's network stack, a stopped one, someone
/// else's container and one of dockdojo's probes.
pub fn inventory() -> Inventory {
    let mut networks = vec![
        net("bridge", "bridge", "172.17.0.0/16"),
        net("host", "host", ""),
        net("none", "null", ""),
        net("secure-network", "bridge", "172.22.0.0/16"),
        net("payments-network", "bridge", "172.23.0.0/16"),
        {
            let mut n = net("audit-network", "bridge", "172.24.0.0/16");
            n.internal = true;
            n
        },
        {
            let mut n = net("ledger-overlay", "overlay", "10.0.1.0/24");
            n.scope = "swarm".into();
            n.attachable = true;
            n
        },
        {
            let mut n = net("ingress", "overlay", "10.0.0.0/24");
            n.scope = "swarm".into();
            n.ingress = true;
            n
        },
        {
            let mut n = net("lab-macvlan", "macvlan", "192.168.77.0/24");
            n.parent = Some("dd0".into());
            n
        },
        {
            let mut n = net("lab-ipvlan", "ipvlan", "192.168.78.0/24");
            n.parent = Some("dd0".into());
            n
        },
        net("team-net", "bridge", "172.30.0.0/16"),
    ];
    let mut containers = vec![
        ctr(
            "finance",
            "running",
            &[
                ("secure-network", "172.22.0.2"),
                ("audit-network", "172.24.0.2"),
            ],
        ),
        ctr("payments", "running", &[("payments-network", "172.23.0.2")]),
        {
            let mut c = ctr("storefront", "running", &[("bridge", "172.17.0.2")]);
            c.ports = vec![PublishedPort {
                host_ip: "0.0.0.0".into(),
                host_port: 8080,
                container_port: 80,
                protocol: "tcp".into(),
            }];
            c
        },
        ctr("host-web", "running", &[("host", "")]),
        ctr("ledger", "running", &[("ledger-overlay", "10.0.1.3")]),
        ctr("legacy-app", "running", &[("lab-macvlan", "192.168.77.10")]),
        {
            let mut c = ctr("debugger", "running", &[]);
            c.network_mode = "container:finance0123".into();
            c.networks.clear();
            c
        },
        ctr("batch", "exited", &[("none", "")]),
        ctr("team-db", "running", &[("team-net", "172.30.0.2")]),
        ctr(
            "dockdojo-probe-4f2a9c",
            "running",
            &[("payments-network", "172.23.0.9")],
        ),
    ];
    containers.sort_by(|a, b| a.name.cmp(&b.name));
    for n in &mut networks {
        n.containers = containers
            .iter()
            .filter(|c| c.networks.contains(&n.name))
            .map(|c| c.name.clone())
            .collect();
    }
    networks.sort_by(|a, b| a.name.cmp(&b.name));
    Inventory {
        images: vec![],
        containers,
        networks,
    }
}

/// The custom-network lesson's objects, plus a few more so that every kind
/// of row is drawn.
pub fn lesson_scope() -> Scope {
    Scope::Lesson {
        networks: vec![
            "secure-network".into(),
            "payments-network".into(),
            "audit-network".into(),
            "isolated".into(),
        ],
        containers: vec![
            "finance".into(),
            "payments".into(),
            "storefront".into(),
            "debugger".into(),
            "auditor".into(),
        ],
    }
}

pub fn edges() -> Vec<ReachEdge> {
    let e = |from: &str, path, as_expected| ReachEdge {
        from: from.into(),
        to: "finance".into(),
        port: Some(80),
        path,
        as_expected,
    };
    vec![
        e("secure-network", Path::Reached, true),
        e("bridge", Path::Blocked, true),
        e("payments-network", Path::Reached, false),
        // Not drawn: the network does not exist.
        e("isolated", Path::Blocked, true),
    ]
}

fn names(l: &Lane) -> Vec<&str> {
    l.members.iter().map(|m| m.name.as_str()).collect()
}

#[test]
fn a_container_is_drawn_on_every_network_it_joins_with_its_address_there() {
    let m = NetworkMap::build(&inventory(), &lesson_scope(), &[]);
    let secure = m.lane("secure-network").expect("secure-network");
    let audit = m.lane("audit-network").expect("audit-network");
    assert_eq!(names(secure), ["finance"]);
    assert_eq!(names(audit), ["finance"]);
    assert_eq!(secure.members[0].address.as_deref(), Some("172.22.0.2"));
    assert_eq!(audit.members[0].address.as_deref(), Some("172.24.0.2"));
    assert_eq!(secure.members[0].sharing, ["debugger"]);
    let lanes_with_payments: Vec<&str> = m
        .lanes
        .iter()
        .filter(|l| names(l).contains(&"payments"))
        .map(|l| l.name.as_str())
        .collect();
    assert_eq!(lanes_with_payments, ["payments-network"]);
}

#[test]
fn the_lesson_scope_shows_its_objects_and_the_default_networks_only() {
    let m = NetworkMap::build(&inventory(), &lesson_scope(), &[]);
    let lanes: Vec<&str> = m.lanes.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(
        lanes,
        [
            "bridge",
            "secure-network",
            "payments-network",
            "audit-network",
            "isolated"
        ]
    );
    assert_eq!(m.lane("isolated").expect("isolated").network, None);
    assert_eq!(m.missing_containers, ["auditor"]);
    // The probe on payments-network is dockdojo's, not the learner's.
    assert_eq!(m.lane("payments-network").expect("lane").others, 0);
    assert_eq!(
        m.hidden,
        Hidden {
            networks: 5,
            containers: 5
        }
    );
    assert_eq!(m.host.ports.len(), 1);
    assert_eq!(m.host.ports[0].port.host_port, 8080);
    assert_eq!(m.host.ports[0].container, "storefront");
}

#[test]
fn everything_shows_every_driver_the_host_and_no_helper() {
    let m = NetworkMap::build(&inventory(), &Scope::Everything, &[]);
    let lanes: Vec<&str> = m.lanes.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(lanes[0], "bridge");
    for n in [
        "none",
        "ledger-overlay",
        "ingress",
        "lab-macvlan",
        "lab-ipvlan",
        "team-net",
    ] {
        assert!(lanes.contains(&n), "{n} missing from {lanes:?}");
    }
    assert!(!lanes.contains(&"host"), "host is the host, not a lane");
    assert_eq!(
        m.host
            .containers
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["host-web"]
    );
    assert!(m
        .lanes
        .iter()
        .all(|l| l.members.iter().all(|c| !c.name.starts_with("dockdojo-"))));
    assert_eq!(m.hidden, Hidden::default());
    let macvlan = m.lane("lab-macvlan").expect("macvlan");
    assert_eq!(
        macvlan.network.as_ref().map(|f| f.details()),
        Some(vec![
            "macvlan".to_string(),
            "192.168.77.0/24".to_string(),
            "parent dd0".to_string()
        ])
    );
}

#[test]
fn reach_edges_need_both_ends_drawn() {
    let m = NetworkMap::build(&inventory(), &lesson_scope(), &edges());
    let froms: Vec<&str> = m.reach.iter().map(|e| e.from.as_str()).collect();
    assert_eq!(froms, ["secure-network", "bridge", "payments-network"]);
}

#[test]
fn podman_has_no_bridge_network_and_that_is_no_missing_lane() {
    let mut inv = inventory();
    inv.networks.retain(|n| n.name != "bridge");
    inv.networks.push(net("podman", "bridge", "10.88.0.0/16"));
    let scope = Scope::Lesson {
        networks: vec!["bridge".into(), "secure-network".into()],
        containers: vec![],
    };
    let m = NetworkMap::build(&inv, &scope, &[]);
    let lanes: Vec<&str> = m.lanes.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(lanes, ["podman", "secure-network"]);
}

fn result_of(lesson: &Lesson, statuses: &[(&str, Status)]) -> LessonResult {
    LessonResult {
        lesson: lesson.id.clone(),
        passed: false,
        checks: statuses
            .iter()
            .map(|(id, status)| CheckResult {
                id: id.to_string(),
                title: String::new(),
                status: *status,
                expected: String::new(),
                actual: String::new(),
                message: String::new(),
                hint: None,
                why: None,
                duration_ms: 0,
            })
            .collect(),
    }
}

fn reach_lesson() -> Lesson {
    let check = |id: &str, from: &str, expect| crate::lesson::CheckSpec {
        id: id.into(),
        title: String::new(),
        why: None,
        hint: None,
        needs: vec![],
        requires: vec![],
        kind: CheckKind::NetworkReach {
            from_network: from.into(),
            to: "finance".into(),
            port: Some(80),
            expect,
        },
    };
    Lesson {
        id: "custom-network".into(),
        dir_name: "12-custom-network".into(),
        title: String::new(),
        summary: String::new(),
        images: vec![],
        requires: vec![],
        creates: Default::default(),
        hints: vec![],
        checks: vec![
            check("serves", "secure-network", Reach::Reachable),
            check("bridge", "bridge", Reach::Unreachable),
            check("payments", "payments-network", Reach::Unreachable),
            check("skipped", "audit-network", Reach::Reachable),
        ],
        body: String::new(),
        body_line: 1,
        starter: vec![],
        solution: vec![],
    }
}

#[test]
fn a_passing_check_draws_what_it_expects_and_a_failing_one_the_opposite() {
    let lesson = reach_lesson();
    let result = result_of(
        &lesson,
        &[
            ("serves", Status::Pass),
            ("bridge", Status::Fail),
            ("payments", Status::Pass),
            ("skipped", Status::Skipped),
        ],
    );
    let e = reach_edges(&lesson, &result);
    let got: Vec<(&str, Path, bool)> = e
        .iter()
        .map(|e| (e.from.as_str(), e.path, e.as_expected))
        .collect();
    assert_eq!(
        got,
        [
            ("secure-network", Path::Reached, true),
            ("bridge", Path::Reached, false),
            ("payments-network", Path::Blocked, true),
        ]
    );
    let other = LessonResult {
        lesson: "another".into(),
        ..result
    };
    assert!(reach_edges(&lesson, &other).is_empty());
}

fn draw(map: &NetworkMap, width: usize, charset: Charset) -> String {
    text::plain(&text::lines(
        map,
        &Options {
            width,
            charset,
            show_all: "--all shows them",
        },
    ))
}

#[test]
fn text_at_every_width_stays_within_it() {
    for scope in [lesson_scope(), Scope::Everything] {
        let m = NetworkMap::build(&inventory(), &scope, &edges());
        for w in [20, 38, 43, 44, 60, 80, 88, 119, 120, 200] {
            for cs in [Charset::Unicode, Charset::Ascii] {
                for l in text::lines(
                    &m,
                    &Options {
                        width: w,
                        charset: cs,
                        show_all: "a",
                    },
                ) {
                    assert!(text::width(&l) <= w, "{w} {cs:?}: {}", text::plain(&[l]));
                }
            }
        }
    }
}

#[test]
fn ascii_has_no_other_characters() {
    let m = NetworkMap::build(&inventory(), &Scope::Everything, &edges());
    let s = draw(&m, 80, Charset::Ascii);
    assert!(s.is_ascii(), "{s}");
    assert!(s.contains("0.0.0.0:8080 --> storefront:80/tcp"), "{s}");
    assert!(
        s.contains("payments-network --> finance:80  reached NO should be blocked"),
        "{s}"
    );
    insta::assert_snapshot!("map_all_80_ascii", s);
}

#[test]
fn the_picture_at_the_widths_people_use() {
    let lesson = NetworkMap::build(&inventory(), &lesson_scope(), &edges());
    let all = NetworkMap::build(&inventory(), &Scope::Everything, &edges());
    for w in [38, 80, 88, 200] {
        let s = draw(&lesson, w, Charset::Unicode);
        assert!(s.contains("finance"), "{s}");
        insta::assert_snapshot!(format!("map_lesson_{w}"), s);
        let s = draw(&all, w, Charset::Unicode);
        insta::assert_snapshot!(format!("map_all_{w}"), s);
    }
    let s = draw(&lesson, 80, Charset::Unicode);
    assert!(s.contains("0.0.0.0:8080 ──▶ storefront:80/tcp"), "{s}");
    assert!(
        s.contains("payments-network ──▶ finance:80  reached ✘ should be blocked"),
        "{s}"
    );
    assert!(s.contains("bridge · 172.24.0.0/16 · internal"), "{s}");
    assert!(s.contains("not created yet: auditor"), "{s}");
    assert!(
        s.contains("+5 networks and 5 containers not in this lesson (--all shows them)"),
        "{s}"
    );
}

#[test]
fn only_the_reach_checks_and_what_they_need_are_run_for_the_map() {
    let mut lesson = reach_lesson();
    let spec = |id: &str, needs: &[&str]| crate::lesson::CheckSpec {
        id: id.into(),
        title: String::new(),
        why: None,
        hint: None,
        needs: needs.iter().map(|n| n.to_string()).collect(),
        requires: vec![],
        kind: CheckKind::SwarmActive,
    };
    lesson.checks[0].needs = vec!["running".into()];
    lesson.checks.push(spec("running", &["exists"]));
    lesson.checks.push(spec("exists", &[]));
    lesson.checks.push(spec("unrelated", &[]));
    let ids: Vec<String> = with_reach_checks_only(&lesson)
        .checks
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(
        ids,
        ["serves", "bridge", "payments", "skipped", "running", "exists"]
    );
    assert!(has_reach_checks(&lesson));
}

#[test]
fn a_map_waiting_for_its_first_check_run_says_so() {
    let mut m = NetworkMap::build(&inventory(), &lesson_scope(), &[]);
    m.reach_pending = true;
    let s = draw(&m, 80, Charset::Unicode);
    assert!(
        s.contains("reach: the lesson's checks are still probing…"),
        "{s}"
    );
}
