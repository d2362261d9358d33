//! Pass, fail and error for every check kind, without an engine.

use std::collections::BTreeMap;
use std::time::Duration;

use super::eval::*;
use super::facts::*;
use super::Status;
use crate::lesson::{PathSet, Reach};

fn img(size: u64) -> Fact<Option<ImageFacts>> {
    Ok(Some(ImageFacts {
        reference: "calc-app-small:latest".into(),
        id: "sha256:aaaaaaaaaaaaaaaa".into(),
        size,
        user: String::new(),
        layers: 3,
        ..Default::default()
    }))
}
fn base_img() -> ImageFacts {
    ImageFacts {
        reference: "calc-app-small:latest".into(),
        id: "sha256:aaaaaaaaaaaaaaaa".into(),
        size: 1,
        user: String::new(),
        layers: 3,
        ..Default::default()
    }
}
fn no_img() -> Fact<Option<ImageFacts>> {
    Ok(None)
}
fn down<T>() -> Fact<T> {
    Err(FactError(
        "engine unreachable: unix:///var/run/docker.sock: connection refused. Start Docker".into(),
    ))
}
fn assert_error(o: &Outcome) {
    assert_eq!(o.status, Status::Error, "{o:?}");
    assert!(o.message.contains("Start Docker"), "{o:?}");
}

#[test]
fn default_tag_is_latest() {
    assert_eq!(normalize_image("calc"), "calc:latest");
    assert_eq!(normalize_image("calc:v1"), "calc:v1");
    assert_eq!(
        normalize_image("localhost:5000/calc"),
        "localhost:5000/calc:latest"
    );
    assert_eq!(normalize_image("calc@sha256:abc"), "calc@sha256:abc");
}

#[test]
fn image_exists_pass_fail_error() {
    let o = image_exists("calc-app-small", &img(1_300_000));
    assert_eq!(o.status, Status::Pass);
    assert!(o.actual.contains("1.3 MB"), "{o:?}");
    let o = image_exists("calc-app-small", &no_img());
    assert_eq!(o.status, Status::Fail);
    assert_eq!(
        o.message,
        "There is no image named calc-app-small:latest; build it with `docker build -t calc-app-small .`"
    );
    assert_error(&image_exists("calc-app-small", &down()));
}

#[test]
fn image_size_pass_fail_error() {
    let o = image_size("calc-app-small", Some(20_000_000), None, &img(462_300_000));
    assert_eq!(o.status, Status::Fail);
    assert_eq!(o.expected, "at most 20 MB");
    assert_eq!(o.actual, "462.3 MB (unpacked)");
    assert_eq!(
        o.message,
        "calc-app-small is 462.3 MB; the goal is at most 20 MB."
    );
    let o = image_size("calc-app-small", Some(20_000_000), None, &img(1_300_000));
    assert_eq!(o.status, Status::Pass);
    let o = image_size("x", Some(20_000_000), Some(1_000_000), &img(500));
    assert_eq!(o.status, Status::Fail);
    assert_eq!(o.expected, "between 1 MB and 20 MB");
    assert_eq!(
        image_size("x", Some(1), None, &no_img()).status,
        Status::Fail
    );
    assert_error(&image_size("x", Some(1), None, &down()));
}

#[test]
fn image_size_ratio_pass_fail_error() {
    let o = image_size_ratio("small", "large", 0.1, &img(1_300_000), &img(462_300_000));
    assert_eq!(o.status, Status::Pass, "{o:?}");
    assert!(o.actual.starts_with("0.0028 (1.3 MB / 462.3 MB"), "{o:?}");
    let o = image_size_ratio("small", "large", 0.1, &img(400_000_000), &img(462_300_000));
    assert_eq!(o.status, Status::Fail);
    assert_eq!(
        o.message,
        "small is 0.87 the size of large (400 MB vs 462.3 MB); the goal is at most 0.10."
    );
    let o = image_size_ratio("small", "large", 0.1, &img(1), &no_img());
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("no image named large:latest"), "{o:?}");
    assert_error(&image_size_ratio("small", "large", 0.1, &img(1), &down()));
}

fn pm(pattern: &str, set: Option<PathSet>, present: &[&str]) -> PathMatch {
    PathMatch {
        pattern: pattern.into(),
        set,
        present: present.iter().map(|s| s.to_string()).collect(),
        canonical: vec![],
    }
}

#[test]
fn image_lacks_pass_fail_error() {
    let sets = [PathSet::Shell, PathSet::Compilers];
    let found = Ok(vec![
        pm("/bin/sh", Some(PathSet::Shell), &["/bin/sh"]),
        pm(
            "/usr/local/go",
            Some(PathSet::Compilers),
            &["/usr/local/go"],
        ),
        pm("/usr/bin/gcc", Some(PathSet::Compilers), &[]),
    ]);
    let o = image_lacks("calc-app-large", &[], &sets, &img(1), &found);
    assert_eq!(o.status, Status::Fail);
    assert_eq!(o.expected, "no shell, no compiler or build tool");
    assert_eq!(
        o.message,
        "calc-app-large still contains a shell (/bin/sh) and a compiler or build tool (/usr/local/go); the goal is no shell, no compiler or build tool."
    );
    let clean = Ok(vec![pm("/bin/sh", Some(PathSet::Shell), &[])]);
    let o = image_lacks("calc-app-small", &[], &sets, &img(1), &clean);
    assert_eq!(o.status, Status::Pass);
    let o = image_lacks(
        "x",
        &["/etc/secret".into()],
        &[],
        &img(1),
        &Ok(vec![pm("/etc/secret", None, &["/etc/secret"])]),
    );
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("still contains /etc/secret"), "{o:?}");
    assert_eq!(
        image_lacks("x", &[], &sets, &no_img(), &Ok(vec![])).status,
        Status::Fail
    );
    assert_error(&image_lacks("x", &[], &sets, &img(1), &down()));
    // merged-/usr: the same file under two spellings is listed once
    let mut a = pm("/bin/apt", Some(PathSet::PackageManager), &["/bin/apt"]);
    a.canonical = vec!["/usr/bin/apt".into()];
    let mut b = pm(
        "/usr/bin/apt",
        Some(PathSet::PackageManager),
        &["/usr/bin/apt"],
    );
    b.canonical = vec!["/usr/bin/apt".into()];
    let o = image_lacks(
        "deb",
        &[],
        &[PathSet::PackageManager],
        &img(1),
        &Ok(vec![a, b]),
    );
    assert_eq!(o.actual, "present: /bin/apt");
}

#[test]
fn image_has_pass_fail_error() {
    let paths = vec!["/calc".to_string(), "/etc/ssl/certs/*".to_string()];
    let ok = Ok(vec![
        pm("/calc", None, &["/calc"]),
        pm("/etc/ssl/certs/*", None, &["/etc/ssl/certs/ca.pem"]),
    ]);
    assert_eq!(image_has("x", &paths, &img(1), &ok).status, Status::Pass);
    let bad = Ok(vec![
        pm("/calc", None, &[]),
        pm("/etc/ssl/certs/*", None, &["/etc/ssl/certs/ca.pem"]),
    ]);
    let o = image_has("x", &paths, &img(1), &bad);
    assert_eq!(o.status, Status::Fail);
    assert_eq!(o.message, "x lacks /calc; the goal is that it has them.");
    assert_error(&image_has("x", &paths, &img(1), &down()));
}

#[test]
fn image_user_pass_fail_error() {
    for root in ["", "0", "root", "0:0", "root:root"] {
        assert!(is_root_user(root), "{root}");
    }
    assert!(!is_root_user("65532"));
    let o = image_user("x", true, None, &img(1));
    assert_eq!(o.status, Status::Fail);
    assert_eq!(o.actual, "root (no USER set; Config.User is empty)");
    let nonroot = Ok(Some(ImageFacts {
        user: "65532:65532".into(),
        ..base_img()
    }));
    assert_eq!(image_user("x", true, None, &nonroot).status, Status::Pass);
    assert_eq!(
        image_user("x", false, Some("65532"), &nonroot).status,
        Status::Pass
    );
    let o = image_user("x", false, Some("1000"), &nonroot);
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("the goal is user 1000"), "{o:?}");
    assert_error(&image_user("x", true, None, &down()));
}

#[test]
fn image_layers_pass_fail_error() {
    assert_eq!(image_layers("x", 3, &img(1)).status, Status::Pass);
    let o = image_layers("x", 2, &img(1));
    assert_eq!(o.status, Status::Fail);
    assert_eq!(o.actual, "3 layers (image inspect RootFS.Layers)");
    assert_eq!(o.message, "x has 3 layers; the goal is at most 2.");
    assert_error(&image_layers("x", 2, &down()));
}

#[test]
fn image_packages_pass_fail_error() {
    let none = Ok(PackageCount::default());
    let o = image_packages("x", 0, &img(1), &none);
    assert_eq!(o.status, Status::Pass);
    assert_eq!(o.actual, "0 packages (no dpkg or apk package database)");
    let many = Ok(PackageCount {
        count: 88,
        sources: vec!["/var/lib/dpkg/status".into()],
    });
    let o = image_packages("x", 10, &img(1), &many);
    assert_eq!(o.status, Status::Fail);
    assert_eq!(o.message, "x has 88 OS packages; the goal is at most 10.");
    assert_error(&image_packages("x", 10, &img(1), &down()));
}

fn run_spec<'a>(stdin: Option<&'a str>, equals: Option<&'a str>) -> RunSpec<'a> {
    RunSpec {
        image: "calc-app-small",
        args: &[],
        stdin,
        stdout_contains: None,
        stdout_equals: equals,
        exit_code: None,
        timeout: Duration::from_secs(10),
    }
}

#[test]
fn image_run_pass_fail_error() {
    let spec = run_spec(Some("2 * 2\n"), Some("4"));
    let good = Ok(RunOutput {
        stdout: "4\n".into(),
        exit_code: Some(0),
        ..Default::default()
    });
    let o = image_run(&spec, &img(1), &good);
    assert_eq!(o.status, Status::Pass, "{o:?}");
    assert_eq!(
        o.expected,
        "given \"2 * 2\" on stdin, prints exactly \"4\", exits with 0 within 10 s"
    );
    let wrong = Ok(RunOutput {
        stdout: "5\n".into(),
        stderr: "oops".into(),
        exit_code: Some(0),
        ..Default::default()
    });
    let o = image_run(&spec, &img(1), &wrong);
    assert_eq!(o.status, Status::Fail);
    assert_eq!(
        o.message,
        "`docker run -i --rm calc-app-small` printed \"5\" instead of \"4\". It wrote to stderr: \"oops\""
    );
    let hung = Ok(RunOutput {
        timed_out: true,
        ..Default::default()
    });
    assert!(image_run(&spec, &img(1), &hung)
        .message
        .contains("did not finish within 10 s"));
    let nostart = Ok(RunOutput {
        start_error: Some("exec: \"/calc\": no such file".into()),
        ..Default::default()
    });
    assert!(image_run(&spec, &img(1), &nostart)
        .message
        .contains("does not start"));
    let code = Ok(RunOutput {
        stdout: "4".into(),
        exit_code: Some(2),
        ..Default::default()
    });
    assert!(image_run(&spec, &img(1), &code)
        .message
        .contains("exited with 2; the goal is 0"));
    assert_error(&image_run(&spec, &img(1), &down()));
}

#[test]
fn dockerfile_stages_pass_fail_error() {
    let multi = Ok(Some(
        "FROM golang:1.22 AS b\nRUN go build\nFROM scratch\nCOPY --from=b /c /c\n".to_string(),
    ));
    assert_eq!(
        dockerfile_stages("Dockerfile", 2, &multi).status,
        Status::Pass
    );
    let single = Ok(Some("FROM golang:1.22\nRUN go build\n".to_string()));
    let o = dockerfile_stages("Dockerfile", 2, &single);
    assert_eq!(o.status, Status::Fail);
    assert_eq!(o.actual, "1 stage: FROM golang:1.22 (line 1)");
    let o = dockerfile_stages("Dockerfile", 2, &Ok(None));
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("There is no Dockerfile"), "{o:?}");
    assert_eq!(
        dockerfile_stages("Dockerfile", 2, &Err(FactError("cannot read".into()))).status,
        Status::Error
    );
}

#[test]
fn dockerfile_final_base_pass_fail_error() {
    let any = vec!["scratch".to_string(), "gcr.io/distroless/*".to_string()];
    let ok = Ok(Some(
        "FROM golang AS b\nFROM gcr.io/distroless/static-debian12:nonroot\n".to_string(),
    ));
    assert_eq!(
        dockerfile_final_base("Dockerfile", &any, &ok).status,
        Status::Pass
    );
    let bad = Ok(Some(
        "FROM golang AS b\nFROM debian:bookworm-slim\n".to_string(),
    ));
    let o = dockerfile_final_base("Dockerfile", &any, &bad);
    assert_eq!(o.status, Status::Fail);
    assert_eq!(o.actual, "FROM debian:bookworm-slim (line 2)");
    assert_eq!(
        o.message,
        "The final stage of Dockerfile starts FROM debian:bookworm-slim; the goal is the final stage starts FROM scratch or gcr.io/distroless/*."
    );
    assert_eq!(
        dockerfile_final_base("Dockerfile", &any, &Err(FactError("x".into()))).status,
        Status::Error
    );
}

fn ctr() -> ContainerFacts {
    let mut networks = BTreeMap::new();
    networks.insert("secure-net".to_string(), "172.20.0.2".to_string());
    let mut ports = BTreeMap::new();
    ports.insert("80/tcp".to_string(), vec![("0.0.0.0".to_string(), 8080u16)]);
    ContainerFacts {
        name: "web".into(),
        id: "c0ffee".into(),
        running: true,
        status: "running".into(),
        exit_code: Some(0),
        image_id: "sha256:aaaaaaaaaaaaaaaa".into(),
        image_ref: "calc-app-small".into(),
        network_mode: "secure-net".into(),
        network_mode_name: None,
        networks,
        ports,
        ..Default::default()
    }
}

#[test]
fn container_running_pass_fail_error() {
    let c = Ok(Some(ctr()));
    assert_eq!(
        container_running("web", None, &c, None).status,
        Status::Pass
    );
    assert_eq!(
        container_running("web", Some("calc-app-small"), &c, Some(&img(1))).status,
        Status::Pass
    );
    let other = Ok(Some(ImageFacts {
        id: "sha256:bbbbbbbbbbbb".into(),
        ..base_img()
    }));
    let o = container_running("web", Some("calc-app-small"), &c, Some(&other));
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("not calc-app-small:latest"), "{o:?}");
    let stopped = Ok(Some(ContainerFacts {
        running: false,
        status: "exited".into(),
        exit_code: Some(1),
        ..ctr()
    }));
    let o = container_running("web", None, &stopped, None);
    assert_eq!(o.status, Status::Fail);
    assert!(
        o.message.contains("exists but is exited (exit code 1)"),
        "{o:?}"
    );
    let o = container_running("web", None, &Ok(None), None);
    assert!(
        o.message.contains("There is no container named web"),
        "{o:?}"
    );
    assert_error(&container_running("web", None, &down(), None));
}

#[test]
fn container_network_mode_pass_fail_error() {
    let c = Ok(Some(ctr()));
    assert_eq!(
        container_network_mode("web", "secure-net", &c).status,
        Status::Pass
    );
    let o = container_network_mode("web", "host", &c);
    assert_eq!(o.status, Status::Fail);
    assert!(
        o.message
            .contains("uses network mode secure-net; the goal is host"),
        "{o:?}"
    );
    let dflt = Ok(Some(ContainerFacts {
        network_mode: "default".into(),
        ..ctr()
    }));
    assert_eq!(
        container_network_mode("web", "bridge", &dflt).status,
        Status::Pass
    );
    assert_error(&container_network_mode("web", "host", &down()));
}

#[test]
fn container_networks_pass_fail_error() {
    let c = Ok(Some(ctr()));
    let inc = vec!["secure-net".to_string()];
    let exc = vec!["bridge".to_string()];
    assert_eq!(
        container_networks("web", &inc, &exc, &c).status,
        Status::Pass
    );
    let o = container_networks("web", &exc, &inc, &c);
    assert_eq!(o.status, Status::Fail);
    assert_eq!(
        o.message,
        "web is not attached to bridge (docker network connect bridge web) and is still attached to secure-net (docker network disconnect secure-net web)."
    );
    assert_error(&container_networks("web", &inc, &exc, &down()));
}

#[test]
fn container_port_pass_fail_error() {
    let c = Ok(Some(ctr()));
    let ok = PortReach {
        address: "127.0.0.1:8080".into(),
        result: Ok(()),
    };
    assert_eq!(
        container_port("web", "80", Some(8080), true, &c, Some(&ok)).status,
        Status::Pass
    );
    let o = container_port("web", "80/tcp", Some(9090), false, &c, None);
    assert_eq!(o.status, Status::Fail);
    assert!(
        o.message
            .contains("publishes 80/tcp on host port 8080; the goal is host port 9090"),
        "{o:?}"
    );
    let o = container_port("web", "443", None, false, &c, None);
    assert!(o.message.contains("does not publish port 443/tcp"), "{o:?}");
    let refused = PortReach {
        address: "127.0.0.1:8080".into(),
        result: Err("connection refused".into()),
    };
    let o = container_port("web", "80", Some(8080), true, &c, Some(&refused));
    assert_eq!(o.status, Status::Fail);
    assert!(
        o.message
            .starts_with("Nothing answered on 127.0.0.1:8080 (connection refused)"),
        "{o:?}"
    );
    assert_error(&container_port("web", "80", None, false, &down(), None));
}

fn net() -> NetworkFacts {
    let mut options = BTreeMap::new();
    options.insert("parent".to_string(), "dd0".to_string());
    NetworkFacts {
        name: "secure-net".into(),
        id: "abcdef0123456789".into(),
        driver: "bridge".into(),
        scope: "local".into(),
        internal: false,
        attachable: false,
        ipam: vec![("172.30.0.0/16".into(), "172.30.0.1".into())],
        options,
    }
}

#[test]
fn network_exists_pass_fail_error() {
    let n = Ok(Some(net()));
    let spec = NetworkSpec {
        driver: Some("bridge"),
        subnet: Some("172.30.0.0/16"),
        options: vec![("parent", "dd0")],
        ..Default::default()
    };
    assert_eq!(network_exists("secure-net", &spec, &n).status, Status::Pass);
    let spec = NetworkSpec {
        driver: Some("macvlan"),
        internal: Some(true),
        ..Default::default()
    };
    let o = network_exists("secure-net", &spec, &n);
    assert_eq!(o.status, Status::Fail);
    assert!(
        o.message
            .contains("its driver is bridge (wanted macvlan); internal is false (wanted true"),
        "{o:?}"
    );
    let o = network_exists("secure-net", &spec, &Ok(None));
    assert!(
        o.message
            .contains("docker network create --driver macvlan secure-net"),
        "{o:?}"
    );
    assert_error(&network_exists("secure-net", &spec, &down()));
}

#[test]
fn network_absent_pass_fail_error() {
    assert_eq!(network_absent("old", &Ok(None)).status, Status::Pass);
    let o = network_absent("secure-net", &Ok(Some(net())));
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("docker network rm secure-net"), "{o:?}");
    assert_error(&network_absent("old", &down()));
}

#[test]
fn network_reach_pass_fail_error() {
    let probed = |ok: bool| {
        Ok(ReachFacts::Probed {
            attempts: vec![ReachAttempt {
                address: "172.30.0.2".into(),
                method: "tcp/80".into(),
                ok,
            }],
            timed_out: false,
            via_host: false,
        })
    };
    assert_eq!(
        network_reach(
            "bridge",
            "finance",
            Some(80),
            Reach::Unreachable,
            &probed(false)
        )
        .status,
        Status::Pass
    );
    let o = network_reach(
        "bridge",
        "finance",
        Some(80),
        Reach::Unreachable,
        &probed(true),
    );
    assert_eq!(o.status, Status::Fail);
    assert_eq!(o.actual, "a probe on bridge reached finance at 172.30.0.2");
    assert!(
        o.message
            .contains("can still be reached from network bridge"),
        "{o:?}"
    );
    assert_eq!(
        network_reach("n", "finance", Some(80), Reach::Reachable, &probed(true)).status,
        Status::Pass
    );
    let o = network_reach("n", "finance", Some(80), Reach::Reachable, &probed(false));
    assert_eq!(o.status, Status::Fail);
    assert!(
        o.actual
            .contains("could not reach finance at 172.30.0.2 (tcp/80) within 2 s"),
        "{o:?}"
    );
    let o = network_reach(
        "n",
        "finance",
        None,
        Reach::Unreachable,
        &Ok(ReachFacts::NoSuchTarget),
    );
    assert!(
        o.message.contains("There is no container named finance"),
        "{o:?}"
    );
    let o = network_reach(
        "n",
        "finance",
        None,
        Reach::Unreachable,
        &Ok(ReachFacts::TargetNotRunning {
            status: "exited".into(),
        }),
    );
    assert_eq!(o.status, Status::Fail);
    let missing_probe: Fact<ReachFacts> = Err(FactError(
        "the probe image busybox:1.36 is missing, so dockdojo cannot test the network; run `dockdojo prepare`".into(),
    ));
    let o = network_reach("n", "finance", None, Reach::Unreachable, &missing_probe);
    assert_eq!(o.status, Status::Error);
    assert!(o.message.contains("run `dockdojo prepare`"));
}

#[test]
fn network_resolves_pass_fail_error() {
    let yes = Ok(ResolveFacts::Probed {
        addresses: vec!["172.30.0.2".into()],
        timed_out: false,
    });
    let no = Ok(ResolveFacts::Probed {
        addresses: vec![],
        timed_out: false,
    });
    let o = network_resolves("secure-net", "finance", true, &yes);
    assert_eq!(o.status, Status::Pass);
    assert_eq!(o.actual, "finance resolves to 172.30.0.2");
    let o = network_resolves("secure-net", "finance", true, &no);
    assert_eq!(o.status, Status::Fail);
    assert!(
        o.message
            .starts_with("A container on secure-net cannot resolve finance."),
        "{o:?}"
    );
    assert_eq!(
        network_resolves("secure-net", "finance", false, &no).status,
        Status::Pass
    );
    assert_eq!(
        network_resolves("x", "finance", true, &Ok(ResolveFacts::NoSuchNetwork)).status,
        Status::Fail
    );
    assert_error(&network_resolves("secure-net", "finance", true, &down()));
}

#[test]
fn swarm_active_pass_fail_error() {
    let mgr = Ok(SwarmFacts {
        state: "active".into(),
        control_available: true,
    });
    assert_eq!(swarm_active(&mgr).status, Status::Pass);
    let off = Ok(SwarmFacts {
        state: "inactive".into(),
        control_available: false,
    });
    let o = swarm_active(&off);
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("docker swarm init"), "{o:?}");
    let worker = Ok(SwarmFacts {
        state: "active".into(),
        control_available: false,
    });
    assert!(swarm_active(&worker).message.contains("worker"));
    assert_error(&swarm_active(&down()));
}

#[test]
fn skipped_names_the_unmet_check() {
    let o = Outcome::skipped("exists", Status::Fail);
    assert_eq!(o.status, Status::Skipped);
    assert_eq!(
        o.message,
        "Not checked yet: it needs check `exists` to pass first."
    );
}

#[test]
fn network_reach_of_a_target_on_the_host_network() {
    let probed = |ok: bool| {
        Ok(ReachFacts::Probed {
            attempts: vec![ReachAttempt {
                address: "172.18.0.1".into(),
                method: "tcp/8090".into(),
                ok,
            }],
            timed_out: false,
            via_host: true,
        })
    };
    let o = network_reach(
        "lab",
        "host-web",
        Some(8090),
        Reach::Reachable,
        &probed(true),
    );
    assert_eq!(o.status, Status::Pass);
    assert_eq!(
        o.actual,
        "a probe on lab reached host-web at 172.18.0.1 (the host's address on lab: host-web shares the host's network)"
    );
    let o = network_reach(
        "lab",
        "host-web",
        Some(8090),
        Reach::Reachable,
        &probed(false),
    );
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("not only 127.0.0.1"), "{o:?}");
    let o = network_reach(
        "lab",
        "host-web",
        Some(8090),
        Reach::Unreachable,
        &probed(true),
    );
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("instead of `--network host`"), "{o:?}");
    assert!(!o.message.contains("docker network disconnect"), "{o:?}");
    assert_eq!(
        network_reach(
            "lab",
            "host-web",
            Some(8090),
            Reach::Unreachable,
            &probed(false)
        )
        .status,
        Status::Pass
    );
    // from a network whose gateway is not the host (macvlan, overlay)
    let none = Ok(ReachFacts::TargetWithoutAddress {
        network_mode: "host".into(),
    });
    let o = network_reach("lan", "host-web", Some(8090), Reach::Reachable, &none);
    assert_eq!(o.status, Status::Fail);
    assert!(o.message.contains("lan is not a bridge network"), "{o:?}");
    assert!(!o.message.contains("attach it to a network"), "{o:?}");
    let o = network_reach(
        "lan",
        "quiet",
        Some(80),
        Reach::Reachable,
        &Ok(ReachFacts::TargetWithoutAddress {
            network_mode: "none".into(),
        }),
    );
    assert!(o.message.contains("attach it to a network"), "{o:?}");
}
