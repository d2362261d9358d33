use super::*;
use crate::check::Status;
use crate::engine::kind::EngineKind;

const DOCKER: EngineKind = EngineKind::DockerClassic;
const PODMAN: EngineKind = EngineKind::Podman;

fn defaults(kind: EngineKind) -> &'static [&'static str] {
    kind.default_capabilities()
}

fn names(caps: &[&str]) -> Vec<String> {
    caps.iter().map(|c| c.to_string()).collect()
}

fn container(name: &str, security: SecurityFacts) -> ContainerFacts {
    ContainerFacts {
        name: name.into(),
        id: format!("{name}0123456789abcdef0123456789abcdef"),
        running: true,
        status: "running".into(),
        network_mode: "bridge".into(),
        security,
        ..Default::default()
    }
}

/// `docker run` with no security option.
fn docker_defaults() -> SecurityFacts {
    SecurityFacts::default()
}

fn hardened_spec() -> SecuritySpec {
    SecuritySpec {
        read_only: Some(true),
        tmpfs: vec!["/tmp".into()],
        cap_drop: vec!["ALL".into()],
        cap_add: vec!["NET_BIND_SERVICE".into()],
        no_new_privileges: Some(true),
        not_root: true,
        memory: Some(256 * 1024 * 1024),
        pids: Some(100),
        ..Default::default()
    }
}

fn hardened_docker() -> SecurityFacts {
    SecurityFacts {
        read_only: true,
        cap_drop: vec!["ALL".into()],
        cap_add: vec!["NET_BIND_SERVICE".into()],
        security_opt: vec!["no-new-privileges".into()],
        user: "65532".into(),
        memory: 128 * 1024 * 1024,
        pids_limit: Some(64),
        tmpfs: vec!["/tmp".into()],
        ..docker_defaults()
    }
}

fn down() -> Fact<Option<ContainerFacts>> {
    Err(FactError("the engine did not answer".into()))
}

#[test]
fn capability_sets_follow_each_engines_defaults() {
    let d = docker_defaults();
    assert_eq!(capability_set(&d, defaults(DOCKER)).len(), 14);
    assert!(capability_set(&d, defaults(DOCKER)).contains("NET_RAW"));
    let dropped = SecurityFacts {
        cap_drop: vec!["NET_RAW".into()],
        cap_add: vec!["SYS_ADMIN".into()],
        ..docker_defaults()
    };
    let set = capability_set(&dropped, defaults(DOCKER));
    assert!(!set.contains("NET_RAW") && set.contains("SYS_ADMIN"));
    assert_eq!(
        capability_set(&hardened_docker(), defaults(DOCKER))
            .into_iter()
            .collect::<Vec<_>>(),
        ["NET_BIND_SERVICE"]
    );
    // Podman lists every default it removed instead of ALL.
    let podman = SecurityFacts {
        cap_drop: names(defaults(PODMAN)),
        ..Default::default()
    };
    assert!(capability_set(&podman, defaults(PODMAN)).is_empty());
    let privileged = SecurityFacts {
        privileged: true,
        cap_drop: vec!["ALL".into()],
        ..docker_defaults()
    };
    assert_eq!(
        capability_set(&privileged, defaults(DOCKER)).len(),
        CAPABILITIES.len()
    );
}

#[test]
fn no_new_privileges_spellings() {
    let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert!(has_no_new_privileges(&v(&["no-new-privileges"])));
    assert!(has_no_new_privileges(&v(&[
        "seccomp=unconfined",
        "no-new-privileges:true"
    ])));
    assert!(has_no_new_privileges(&v(&["no-new-privileges=true"])));
    assert!(!has_no_new_privileges(&v(&["no-new-privileges:false"])));
    assert!(!has_no_new_privileges(&v(&["apparmor=docker-default"])));
    assert!(!has_no_new_privileges(&[]));
}

#[test]
fn container_security_pass() {
    let c = Ok(Some(container("api", hardened_docker())));
    let o = container_security("api", &hardened_spec(), defaults(DOCKER), &c);
    assert_eq!(o.status, Status::Pass, "{o:?}");
    assert!(o.actual.contains("capabilities: NET_BIND_SERVICE"), "{o:?}");
    assert!(
        o.expected.contains("memory limit at most 256.0 MB")
            || o.expected.contains("memory limit at most"),
        "{o:?}"
    );
}

#[test]
fn container_security_fail_names_each_missing_option() {
    // `docker run -d --name api IMAGE`: nothing locked down
    let c = Ok(Some(container("api", docker_defaults())));
    let o = container_security("api", &hardened_spec(), defaults(DOCKER), &c);
    assert_eq!(o.status, Status::Fail);
    for flag in [
        "--read-only",
        "--tmpfs /tmp",
        "--cap-drop ALL --cap-add NET_BIND_SERVICE",
        "--security-opt no-new-privileges",
        "--user 65532",
        "--memory 256m",
        "--pids-limit 100",
    ] {
        assert!(o.message.contains(flag), "{flag} missing from {o:?}");
    }
    assert!(o.actual.contains("writable root filesystem"), "{o:?}");
    assert!(o.actual.contains("no memory limit"), "{o:?}");
    // one option forgotten: only that one is named
    let almost = SecurityFacts {
        pids_limit: None,
        ..hardened_docker()
    };
    let o = container_security(
        "api",
        &hardened_spec(),
        defaults(DOCKER),
        &Ok(Some(container("api", almost))),
    );
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("--pids-limit 100"), "{o:?}");
    assert!(!o.message.contains("--read-only"), "{o:?}");
    // a capability added beyond what is allowed
    let extra = SecurityFacts {
        cap_add: vec!["NET_BIND_SERVICE".into(), "SYS_ADMIN".into()],
        ..hardened_docker()
    };
    let o = container_security(
        "api",
        &hardened_spec(),
        defaults(DOCKER),
        &Ok(Some(container("api", extra))),
    );
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("SYS_ADMIN"), "{o:?}");
    // a limit above the maximum
    let big = SecurityFacts {
        memory: 1024 * 1024 * 1024,
        ..hardened_docker()
    };
    let o = container_security(
        "api",
        &hardened_spec(),
        defaults(DOCKER),
        &Ok(Some(container("api", big))),
    );
    assert_eq!(o.status, Status::Fail);
    assert!(
        o.actual.contains("memory limit 1.1 GB") || o.actual.contains("memory limit 1"),
        "{o:?}"
    );
}

#[test]
fn container_security_stopped_missing_and_error() {
    let mut stopped = container("api", hardened_docker());
    stopped.running = false;
    stopped.status = "exited".into();
    stopped.exit_code = Some(1);
    let o = container_security(
        "api",
        &hardened_spec(),
        defaults(DOCKER),
        &Ok(Some(stopped)),
    );
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("docker logs api"), "{o:?}");
    let o = container_security("api", &hardened_spec(), defaults(DOCKER), &Ok(None));
    assert_eq!(o.status, Status::Fail);
    assert!(o.actual.contains("no container named api"), "{o:?}");
    let o = container_security("api", &hardened_spec(), defaults(DOCKER), &down());
    assert_eq!(o.status, Status::Error);
    assert!(!o.message.is_empty());
}

#[test]
fn container_security_only_asks_what_the_spec_names() {
    let spec = SecuritySpec {
        cap_drop: vec!["NET_RAW".into()],
        ..Default::default()
    };
    let mut s = docker_defaults();
    let o = container_security(
        "api",
        &spec,
        defaults(DOCKER),
        &Ok(Some(container("api", s.clone()))),
    );
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("--cap-drop NET_RAW"), "{o:?}");
    s.cap_drop = vec!["NET_RAW".into()];
    let o = container_security(
        "api",
        &spec,
        defaults(DOCKER),
        &Ok(Some(container("api", s))),
    );
    assert_eq!(o.status, Status::Pass, "{o:?}");
    // Podman does not grant NET_RAW by default: nothing to drop there
    let podman = SecurityFacts::default();
    let o = container_security(
        "api",
        &spec,
        defaults(PODMAN),
        &Ok(Some(container("api", podman))),
    );
    assert_eq!(o.status, Status::Pass, "{o:?}");
    // user given exactly, with or without a group
    let spec = SecuritySpec {
        user: Some("65532".into()),
        ..Default::default()
    };
    let with_group = SecurityFacts {
        user: "65532:65532".into(),
        ..docker_defaults()
    };
    let o = container_security(
        "api",
        &spec,
        defaults(DOCKER),
        &Ok(Some(container("api", with_group))),
    );
    assert_eq!(o.status, Status::Pass, "{o:?}");
    let root = SecurityFacts {
        user: "0".into(),
        ..docker_defaults()
    };
    let o = container_security(
        "api",
        &SecuritySpec {
            not_root: true,
            ..Default::default()
        },
        defaults(DOCKER),
        &Ok(Some(container("api", root))),
    );
    assert_eq!(o.status, Status::Fail);
    assert_eq!(o.actual, "running; user 0");
}

fn sidecar(pid: &str, net: &str) -> ContainerFacts {
    ContainerFacts {
        pid_mode: pid.into(),
        network_mode: net.into(),
        ..container("debugger", docker_defaults())
    }
}

#[test]
fn container_shares_pass_by_id_or_name() {
    let target = container("api", docker_defaults());
    let both = [Namespace::Pid, Namespace::Network];
    let by_id = sidecar(
        &format!("container:{}", target.id),
        &format!("container:{}", target.id),
    );
    let o = container_shares(
        "debugger",
        "api",
        &both,
        &Ok(Some(by_id)),
        &Ok(Some(target.clone())),
    );
    assert_eq!(o.status, Status::Pass, "{o:?}");
    assert_eq!(
        o.actual,
        "running; pid: container:api; network: container:api"
    );
    let by_name = sidecar("container:api", "container:api");
    let o = container_shares(
        "debugger",
        "api",
        &both,
        &Ok(Some(by_name)),
        &Ok(Some(target)),
    );
    assert_eq!(o.status, Status::Pass, "{o:?}");
    assert_eq!(
        o.expected,
        "debugger running in the pid and network namespaces of api"
    );
}

#[test]
fn container_shares_fail_names_the_missing_flag() {
    let target = container("api", docker_defaults());
    let both = [Namespace::Pid, Namespace::Network];
    let net_only = sidecar("", "container:api");
    let o = container_shares(
        "debugger",
        "api",
        &both,
        &Ok(Some(net_only)),
        &Ok(Some(target.clone())),
    );
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("--pid container:api"), "{o:?}");
    assert!(!o.message.contains("--network container:api"), "{o:?}");
    assert!(o.actual.contains("pid: its own"), "{o:?}");
    // another container's namespaces are not the target's
    let other = sidecar("container:web", "container:web");
    let o = container_shares(
        "debugger",
        "api",
        &both,
        &Ok(Some(other)),
        &Ok(Some(target.clone())),
    );
    assert_eq!(o.status, Status::Fail);
    // a sidecar that has exited
    let mut gone = sidecar("container:api", "container:api");
    gone.running = false;
    gone.status = "exited".into();
    gone.exit_code = Some(0);
    let o = container_shares(
        "debugger",
        "api",
        &both,
        &Ok(Some(gone)),
        &Ok(Some(target.clone())),
    );
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("exited (exit code 0)"), "{o:?}");
    // no target, no sidecar, no engine
    let o = container_shares(
        "debugger",
        "api",
        &both,
        &Ok(Some(sidecar("", ""))),
        &Ok(None),
    );
    assert_eq!(o.status, Status::Fail);
    assert!(o.actual.contains("no container named api"), "{o:?}");
    let o = container_shares(
        "debugger",
        "api",
        &both,
        &Ok(None),
        &Ok(Some(target.clone())),
    );
    assert_eq!(o.status, Status::Fail);
    assert_eq!(
        container_shares("debugger", "api", &both, &down(), &Ok(Some(target))).status,
        Status::Error
    );
    assert_eq!(
        container_shares(
            "debugger",
            "api",
            &both,
            &Ok(Some(sidecar("", ""))),
            &down()
        )
        .status,
        Status::Error
    );
}

fn image(env: &[&str]) -> Fact<Option<ImageFacts>> {
    Ok(Some(ImageFacts {
        reference: "calc-api:latest".into(),
        id: "sha256:abc".into(),
        env: env.iter().map(|e| e.to_string()).collect(),
        ..Default::default()
    }))
}

const SECRET: &str = "dojo-token-7f3a9c";

#[test]
fn instructions_of_every_builder() {
    assert_eq!(
        instruction("RUN |1 TOKEN=x /bin/sh -c make # buildkit"),
        "RUN"
    );
    assert_eq!(instruction("ENV PATH=/usr/bin"), "ENV");
    assert_eq!(instruction("/bin/sh -c #(nop)  ENV TOKEN=x"), "ENV");
    assert_eq!(instruction("|1 TOKEN=x /bin/sh -c make"), "RUN");
    assert_eq!(instruction("/bin/sh -c make"), "RUN");
    assert_eq!(instruction(""), "RUN");
}

#[test]
fn image_history_fails_without_printing_the_secret() {
    let steps = Ok(vec![
        "/bin/sh -c #(nop) ADD file:123 in /".to_string(),
        format!("RUN |1 TOKEN={SECRET} /bin/sh -c ./fetch-deps # buildkit"),
        "COPY /out /app # buildkit".to_string(),
    ]);
    let patterns = vec!["dojo-token-*".to_string()];
    let o = image_history("calc-api", &patterns, &image(&["PATH=/usr/bin"]), &steps);
    assert_eq!(o.status, Status::Fail);
    assert_eq!(o.actual, "the secret is in build step 2 (RUN)");
    for text in [&o.expected, &o.actual, &o.message] {
        assert!(!text.contains("7f3a9c"), "the secret leaked: {o:?}");
    }
    let o = image_history(
        "calc-api",
        &patterns,
        &image(&["PATH=/usr/bin", &format!("API_TOKEN={SECRET}")]),
        &Ok(vec![]),
    );
    assert_eq!(o.status, Status::Fail);
    assert_eq!(o.actual, "the secret is in ENV API_TOKEN");
    assert!(!o.actual.contains(SECRET));
}

#[test]
fn image_history_pass_missing_and_error() {
    let steps = Ok(vec![
        "RUN /bin/sh -c --mount=type=secret,id=token ./fetch-deps # buildkit".to_string(),
    ]);
    let patterns = vec!["dojo-token-*".to_string()];
    let o = image_history("calc-api", &patterns, &image(&["PATH=/usr/bin"]), &steps);
    assert_eq!(o.status, Status::Pass, "{o:?}");
    assert_eq!(
        o.actual,
        "1 build steps, 1 environment variables and 0 labels, none holding it"
    );
    let o = image_history("calc-api", &patterns, &Ok(None), &Ok(vec![]));
    assert_eq!(o.status, Status::Fail);
    let o = image_history(
        "calc-api",
        &patterns,
        &image(&[]),
        &Err(FactError("history: the engine did not answer".into())),
    );
    assert_eq!(o.status, Status::Error);
}

#[test]
fn docker_sizes() {
    assert_eq!(docker_size(256 * 1024 * 1024), "256m");
    assert_eq!(docker_size(1000), "1000b");
}
