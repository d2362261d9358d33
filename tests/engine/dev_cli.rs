//! `dockdojo dev new` and `dockdojo dev verify` (the latter on the real engine).

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

fn dd(home: &Path, pack: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut c = Command::new(common::bin());
    c.args(args)
        .arg("--lessons")
        .arg(pack)
        .env("DOCKDOJO_HOME", home)
        .stdin(std::process::Stdio::null());
    for (k, v) in envs {
        c.env(k, v);
    }
    c.output().expect("runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn image_exists(name: &str) -> bool {
    Command::new("docker")
        .args(["image", "inspect", name])
        .output()
        .expect("docker")
        .status
        .success()
}

#[test]
fn dev_new_scaffolds_lessons_that_pass_lint() {
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("home");
    let pack = tmp.path().join("pack");
    let o = dd(&home, &pack, &["dev", "new", "first-steps"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(pack.join("pack.toml").exists());
    let dir = pack.join("01-first-steps");
    for f in [
        "lesson.md",
        "starter/Dockerfile",
        "solution/Dockerfile",
        "solution/solve.sh",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("solution/solve.sh"))
            .expect("meta")
            .permissions()
            .mode();
        assert!(mode & 0o111 != 0, "solve.sh is executable");
    }
    let o = dd(&home, &pack, &["dev", "new", "second"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(pack.join("02-second/lesson.md").exists());
    let o = dd(&home, &pack, &["dev", "new", "10-tenth"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(pack.join("10-tenth/lesson.md").exists());
    let o = dd(&home, &pack, &["dev", "new", "eleventh"], &[]);
    assert!(pack.join("11-eleventh/lesson.md").exists(), "{}", text(&o));

    let lint = Command::new(common::bin())
        .arg("lint")
        .arg(&pack)
        .output()
        .expect("lint");
    assert_eq!(lint.status.code(), Some(0), "lint: {}", text(&lint));

    // the pack loads and the new lessons are listed in order
    let o = dd(&home, &pack, &["list", "--json"], &[]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let ids: Vec<&str> = v
        .as_array()
        .expect("array")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["first-steps", "second", "tenth", "eleventh"]);

    // refusals change nothing
    let o = dd(&home, &pack, &["dev", "new", "second"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("already exists"), "{}", text(&o));
    let o = dd(&home, &pack, &["dev", "new", "Bad Name"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("lowercase"), "{}", text(&o));
    assert_eq!(std::fs::read_dir(&pack).expect("rd").count(), 5);
}

#[tokio::test]
async fn dev_verify_proves_a_scaffolded_lesson() {
    let Some(_e) = common::engine("dev_verify_proves_a_scaffolded_lesson").await else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("home");
    let pack = tmp.path().join("pack");
    let o = dd(&home, &pack, &["dev", "new", "ddt-classroom-verify"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let image = "ddt-classroom-verify-app";
    struct Rmi(&'static str);
    impl Drop for Rmi {
        fn drop(&mut self) {
            let _ = Command::new("docker").args(["rmi", self.0]).output();
        }
    }
    let _rmi = Rmi(image);
    // The user's own look-alikes must survive verify's resets untouched.
    struct Rm;
    impl Drop for Rm {
        fn drop(&mut self) {
            let _ = Command::new("docker")
                .args(["rm", "-f", "ddt-classroom-verify-app-old"])
                .output();
            for i in ["ddt-classroom-verify-app:v2", "my-ddt-classroom-verify-app"] {
                let _ = Command::new("docker").args(["rmi", i]).output();
            }
        }
    }
    drop(Rm);
    let _rm = Rm;
    let docker = |args: &[&str]| {
        let o = Command::new("docker").args(args).output().expect("docker");
        assert!(o.status.success(), "docker {args:?}: {}", text(&o));
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    };
    docker(&["tag", "busybox:1.36", "ddt-classroom-verify-app:v2"]);
    docker(&["tag", "busybox:1.36", "my-ddt-classroom-verify-app"]);
    docker(&[
        "run",
        "-d",
        "--name",
        "ddt-classroom-verify-app-old",
        "busybox:1.36",
        "sleep",
        "300",
    ]);
    let state = |docker: &dyn Fn(&[&str]) -> String| {
        (
            docker(&[
                "image",
                "inspect",
                "-f",
                "{{.Id}}",
                "ddt-classroom-verify-app:v2",
            ]),
            docker(&[
                "image",
                "inspect",
                "-f",
                "{{.Id}}",
                "my-ddt-classroom-verify-app",
            ]),
            docker(&[
                "container",
                "inspect",
                "-f",
                "{{.Id}} {{.State.Status}} {{.State.StartedAt}}",
                "ddt-classroom-verify-app-old",
            ]),
        )
    };
    let before = state(&docker);

    let o = dd(&home, &pack, &["dev", "verify"], &[]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(0), "{t}");
    let warn = t
        .find("runs each lesson's solution/solve.sh")
        .expect("warns first");
    let ran = t
        .find("[ddt-classroom-verify] ")
        .expect("solve.sh output, prefixed");
    assert!(warn < ran);
    assert!(
        t.contains("fail built:"),
        "at the start the image is missing: {t}"
    );
    assert!(
        t.contains("pass runs:"),
        "after solve.sh the image runs: {t}"
    );
    assert!(t.contains("VERIFIED ddt-classroom-verify"), "{t}");
    assert!(t.contains("1 of 1 lessons verified"), "{t}");
    assert!(!image_exists(image), "reset removed the lesson's image");
    assert_eq!(
        state(&docker),
        before,
        "the user's look-alike objects are untouched"
    );
    let managed = docker(&[
        "ps",
        "-a",
        "-q",
        "--filter",
        "label=dev.dockdojo.lesson=ddt-classroom-verify",
    ]);
    assert_eq!(managed, "", "no helper container of the lesson is left");
}

#[tokio::test]
async fn dev_verify_reports_broken_lessons() {
    let Some(_e) = common::engine("dev_verify_reports_broken_lessons").await else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("home");
    let pack = tmp.path().join("pack");
    write(
        &pack.join("pack.toml"),
        "format_version = 1\ntitle = \"Broken\"\nprobe_image = \"busybox:1.36\"\n",
    );
    let lesson = |id: &str, image: &str| {
        format!(
            "+++\nid = \"{id}\"\ntitle = \"{id}\"\ncreates = {{ images = [\"ddt-classroom-vb-{id}\"] }}\n\n[[check]]\nid = \"exists\"\ntitle = \"exists\"\nkind = \"image.exists\"\nimage = \"{image}\"\n+++\n# {id}\n"
        )
    };
    // 1: solve.sh fails
    write(
        &pack.join("01-fails/lesson.md"),
        &lesson("fails", "ddt-classroom-vb-fails"),
    );
    write(
        &pack.join("01-fails/solution/solve.sh"),
        "echo about to fail\nexit 3\n",
    );
    // 2: nothing to do: the check passes before solve.sh
    write(
        &pack.join("02-trivial/lesson.md"),
        &lesson("trivial", "busybox:1.36"),
    );
    write(&pack.join("02-trivial/solution/solve.sh"), "true\n");
    // 3: solve.sh hangs
    write(
        &pack.join("03-hangs/lesson.md"),
        &lesson("hangs", "ddt-classroom-vb-hangs"),
    );
    write(
        &pack.join("03-hangs/solution/solve.sh"),
        "sleep 600 & sleep 600\n",
    );
    // 4: solve.sh succeeds but the checks still fail
    write(
        &pack.join("04-wrong/lesson.md"),
        &lesson("wrong", "ddt-classroom-vb-wrong"),
    );
    write(
        &pack.join("04-wrong/solution/solve.sh"),
        "echo did nothing\n",
    );

    let o = dd(
        &home,
        &pack,
        &["dev", "verify"],
        &[("DOCKDOJO_SOLVE_TIMEOUT", "3")],
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("[fails] about to fail"), "{t}");
    assert!(t.contains("solve.sh failed (exit status: 3)"), "{t}");
    assert!(t.contains("FAILED trivial"), "{t}");
    assert!(t.contains("every check passes before solve.sh runs"), "{t}");
    assert!(t.contains("did not finish within 3s"), "{t}");
    assert!(t.contains("FAILED wrong"), "{t}");
    assert!(
        t.contains("after solve.sh, check exists is fail"),
        "expected and actual of the failing check: {t}"
    );
    assert!(t.contains("0 of 4 lessons verified"), "{t}");
    assert!(!t.contains("VERIFIED"), "{t}");
    // busybox:1.36 is not named by `creates`, so verify left it alone
    assert!(image_exists("busybox:1.36"));

    // only the lessons asked for
    let o = dd(&home, &pack, &["dev", "verify", "wrong"], &[]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("0 of 1 lessons verified"), "{t}");
    assert!(!t.contains("[fails]"), "{t}");
}

#[tokio::test]
async fn ctrl_c_stops_solve_sh_and_its_children() {
    let Some(_e) = common::engine("ctrl_c_stops_solve_sh_and_its_children").await else {
        return;
    };
    use std::io::BufRead;
    let tmp = tempfile::tempdir().expect("tmp");
    let pack = tmp.path().join("pack");
    write(
        &pack.join("pack.toml"),
        "format_version = 1\ntitle = \"Hang\"\nprobe_image = \"busybox:1.36\"\n",
    );
    write(
        &pack.join("01-hang/lesson.md"),
        "+++\nid = \"hang\"\ntitle = \"hang\"\ncreates = { images = [\"ddt-classroom-hang\"] }\n\n[[check]]\nid = \"e\"\ntitle = \"e\"\nkind = \"image.exists\"\nimage = \"ddt-classroom-hang\"\n+++\n# h\n",
    );
    // a child that would outlive bash if only bash were killed
    write(
        &pack.join("01-hang/solution/solve.sh"),
        "sleep 4321 &\necho started\nwait\n",
    );
    let mut child = Command::new(common::bin())
        .args(["dev", "verify", "--lessons"])
        .arg(&pack)
        .env("DOCKDOJO_HOME", tmp.path().join("home"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut seen = String::new();
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.expect("line");
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("[hang] started") {
            break;
        }
    }
    assert!(seen.contains("[hang] started"), "{seen}");
    let int = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(int.success());
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(130), "{seen}");
    let left = Command::new("pgrep")
        .args(["-f", "sleep 4321"])
        .output()
        .expect("pgrep");
    assert!(
        String::from_utf8_lossy(&left.stdout).trim().is_empty(),
        "solve.sh's child survived Ctrl-C"
    );
}
