//! `dockdojo hint` and `dockdojo solution`.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn pack(dir: &Path) {
    write(
        &dir.join("pack.toml"),
        "format_version = 1\ntitle = \"Hint pack\"\nprobe_image = \"busybox:1.36\"\n",
    );
    write(
        &dir.join("01-ms/lesson.md"),
        "+++\nid = \"ms\"\ntitle = \"MS\"\nhints = [\"first nudge\", \"second \\u001b[2J push\", \"third: nearly the answer\"]\n\n[[check]]\nid = \"c\"\ntitle = \"t\"\nkind = \"image.exists\"\nimage = \"ddt-classroom-hint\"\n+++\n# MS\n",
    );
    write(
        &dir.join("01-ms/solution/solve.sh"),
        "docker build -t x .\n",
    );
    write(&dir.join("01-ms/solution/Dockerfile"), "FROM scratch\n");
    write(&dir.join("01-ms/solution/app/main.go"), "package main\n");
}

fn run(home: &Path, pack: &Path, args: &[&str]) -> Output {
    Command::new(common::bin())
        .args(args)
        .arg("--lessons")
        .arg(pack)
        .env("DOCKDOJO_HOME", home)
        .output()
        .expect("runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

#[test]
fn hints_come_in_order_and_are_recorded() {
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("home");
    let p = tmp.path().join("pack");
    pack(&p);

    let o = run(&home, &p, &["hint", "ms"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("Hint 1 of 3"), "{}", stdout(&o));
    assert!(stdout(&o).contains("first nudge"));
    assert_eq!(dockdojo::progress::load(&home).lessons["ms"].hints_shown, 1);

    let o = run(&home, &p, &["hint", "ms"]);
    assert!(stdout(&o).contains("Hint 2 of 3"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("second ^[[2J push"),
        "escape neutralised: {}",
        stdout(&o)
    );
    assert!(!stdout(&o).contains('\u{1b}'));

    let o = run(&home, &p, &["hint", "ms"]);
    assert!(stdout(&o).contains("Hint 3 of 3"));
    assert!(stdout(&o).contains("last hint"));
    assert!(stdout(&o).contains("dockdojo solution ms"));
    assert_eq!(dockdojo::progress::load(&home).lessons["ms"].hints_shown, 3);

    let o = run(&home, &p, &["hint", "ms"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("seen all 3 hints"), "{}", stdout(&o));
    assert!(stdout(&o).contains("dockdojo solution ms"));

    // the Nth, again
    let o = run(&home, &p, &["hint", "ms", "1"]);
    assert!(stdout(&o).contains("Hint 1 of 3") && stdout(&o).contains("first nudge"));
    assert_eq!(dockdojo::progress::load(&home).lessons["ms"].hints_shown, 3);

    let o = run(&home, &p, &["hint", "ms", "4"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("has 3 hint(s)"));

    let o = run(&home, &p, &["hint", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("lessons are: ms"));
}

#[test]
fn hint_n_skips_ahead_and_records_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("home");
    let p = tmp.path().join("pack");
    pack(&p);
    let o = run(&home, &p, &["hint", "ms", "2"]);
    assert!(stdout(&o).contains("Hint 2 of 3"));
    let o = run(&home, &p, &["hint", "ms"]);
    assert!(stdout(&o).contains("Hint 3 of 3"), "{}", stdout(&o));
}

#[test]
fn solution_prints_every_file_with_solve_sh_last() {
    let tmp = tempfile::tempdir().expect("tmp");
    let p = tmp.path().join("pack");
    pack(&p);
    let o = run(&tmp.path().join("home"), &p, &["solution", "ms"]);
    assert_eq!(o.status.code(), Some(0));
    let s = stdout(&o);
    let df = s.find("==> solution/Dockerfile <==").expect("Dockerfile");
    let go = s.find("==> solution/app/main.go <==").expect("main.go");
    let sh = s.find("==> solution/solve.sh <==").expect("solve.sh");
    assert!(df < sh && go < sh, "{s}");
    assert!(s.contains("FROM scratch\n"));
    assert!(s.contains("docker build -t x .\n"));
}

/// `dockdojo [--lang LANG] hint why-size 1` with the built-in pack.
fn built_in_hint(home: &Path, lang: Option<&str>) -> Output {
    let mut c = Command::new(common::bin());
    if let Some(l) = lang {
        c.args(["--lang", l]);
    }
    c.args(["hint", "why-size", "1"])
        .env("DOCKDOJO_HOME", home)
        .env_remove("DOCKDOJO_LANG")
        .env_remove("DOCKDOJO_LESSONS")
        .output()
        .expect("runs")
}

#[test]
fn the_built_in_pack_speaks_german_when_asked() {
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path();
    let o = built_in_hint(home, Some("de"));
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        stdout(&o)
            .contains("Tipp 1 von 3 (why-size):\n\nDeine Konsole steht schon im Lektionsordner"),
        "{}",
        stdout(&o)
    );
    assert!(!String::from_utf8_lossy(&o.stderr).contains("translation"));

    // The settings file says it too; --lang wins over it.
    std::fs::write(home.join("config.toml"), "lang = \"de-AT\"\n").expect("config");
    let o = built_in_hint(home, None);
    assert!(stdout(&o).contains("Deine Konsole"), "{}", stdout(&o));
    let o = built_in_hint(home, Some("en"));
    assert!(
        stdout(&o).contains("Your console is already"),
        "{}",
        stdout(&o)
    );

    // No such translation: English, said once on standard error.
    let o = built_in_hint(home, Some("fr"));
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("Your console is already"),
        "{}",
        stdout(&o)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        err.matches("no `fr` translation of this pack").count(),
        1,
        "{err}"
    );

    // Not a language tag: refused before anything runs.
    let o = built_in_hint(home, Some("../de"));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("language tag"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
