//! `dockdojo map` on the real engine: the custom-network lesson after its
//! solution (a container on two networks, one on a network of its own, the
//! blocked path between them), and a published port drawn as an arrow.

use crate::common;

use std::process::{Command, Output};

use common::cleanup::Cleanup;

fn map(args: &[&str]) -> Output {
    Command::new(common::bin())
        .arg("map")
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("dockdojo map runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The rows inside the box of network `name` (ASCII drawing: `+- name ...`
/// up to the next `+----` line).
fn lane(out: &str, name: &str) -> Vec<String> {
    let head = format!("+- {name} ");
    let mut lines = out.lines().skip_while(|l| !l.starts_with(&head));
    assert!(lines.next().is_some(), "no lane {name} in:\n{out}");
    lines
        .take_while(|l| !l.starts_with("+-"))
        .map(str::to_string)
        .collect()
}

fn holds(rows: &[String], container: &str) -> bool {
    rows.iter().any(|r| {
        r.trim_start_matches("| ")
            .starts_with(&format!("* {container} "))
    })
}

fn docker(args: &[&str]) {
    let o = Command::new("docker").args(args).output().expect("docker");
    assert!(
        o.status.success(),
        "docker {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn map_of_the_custom_network_solution_shows_finance_on_two_networks_and_the_blocked_path() {
    let test = "map_of_the_custom_network_solution";
    if common::engine_tests_skipped(test) {
        return;
    }
    // The lesson's own names: what its solution creates, removed afterwards.
    let _clean = Cleanup {
        containers: vec!["finance".into(), "payments".into()],
        networks: vec![
            "secure-network".into(),
            "payments-network".into(),
            "audit-network".into(),
        ],
        images: vec![],
    };
    let pack = dockdojo::lesson::load(None).expect("the built-in pack");
    let lesson = dockdojo::context::find_lesson(&pack, "custom-network").expect("lesson");
    let solve = lesson.solve_script().expect("solve.sh");
    let dir = tempfile::tempdir().expect("tmp");
    let script = dir.path().join("solve.sh");
    std::fs::write(&script, &solve.contents).expect("write solve.sh");
    let o = Command::new("sh")
        .arg(&script)
        .current_dir(dir.path())
        .output()
        .expect("sh");
    assert!(o.status.success(), "solve.sh: {}", text(&o));

    let o = map(&["custom-network"]);
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(out.is_ascii(), "not a terminal: plain ASCII\n{out}");

    let secure = lane(&out, "secure-network");
    let audit = lane(&out, "audit-network");
    let payments = lane(&out, "payments-network");
    assert!(holds(&secure, "finance"), "{out}");
    assert!(holds(&audit, "finance"), "{out}");
    assert!(holds(&payments, "payments"), "{out}");
    assert!(!holds(&payments, "finance"), "{out}");
    for (name, rows) in [("secure-network", &secure), ("audit-network", &audit)] {
        assert!(!holds(rows, "payments"), "payments on {name}:\n{out}");
    }
    assert!(
        out.lines()
            .any(|l| l.starts_with("+- audit-network ") && l.contains("internal")),
        "{out}"
    );
    // The reach checks ran: reached from secure-network, blocked from
    // payments-network, as the lesson wants.
    let reach = |from: &str, arrow: &str, word: &str| {
        out.lines().any(|l| {
            let l = l.split_whitespace().collect::<Vec<_>>().join(" ");
            l == format!("{from} {arrow} finance:80 {word} ok")
        })
    };
    assert!(reach("secure-network", "-->", "reached"), "{out}");
    assert!(reach("payments-network", "--x", "blocked"), "{out}");
}

#[test]
fn map_draws_a_published_port_as_an_arrow_from_the_host() {
    let test = "map_draws_a_published_port_as_an_arrow_from_the_host";
    if common::engine_tests_skipped(test) {
        return;
    }
    let name = format!("ddt-map-ports-{}", std::process::id());
    let _clean = Cleanup {
        containers: vec![name.clone()],
        networks: vec![],
        images: vec![],
    };
    docker(&[
        "run",
        "-d",
        "--name",
        &name,
        "-p",
        "8080:80",
        "busybox:1.36",
        "sleep",
        "300",
    ]);

    // Everything (no lesson), at a width where no name is cut.
    let o = map(&["--width", "160"]);
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        out.contains(&format!("0.0.0.0:8080 --> {name}:80/tcp")),
        "the arrow from host port 8080 to port 80:\n{out}"
    );
    let bridge = lane(&out, "bridge");
    assert!(holds(&bridge, &name), "{out}");
}
