//! `dockdojo class serve|join|leave|export`: the classroom's command glue
//! (the server and the client are in `crate::class`).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use super::{Ctx, EXIT_OK};
use crate::class::client::{self, Membership};
use crate::class::server::{self, ServerConfig};
use crate::class::store::Store;
use crate::class::{self as classroom, ClassView, LearnerRow, StuckRule, MAX_NAME_CHARS};
use crate::cli::{ClassCommand, ClassServeArgs, ExportFormat};
use crate::sanitize::clean_line;

pub async fn run(ctx: &Ctx, cmd: ClassCommand) -> anyhow::Result<i32> {
    match cmd {
        ClassCommand::Serve(a) => serve(ctx, a).await,
        ClassCommand::Join { url, token, name } => join(ctx, &url, &token, &name),
        ClassCommand::Leave => leave(ctx),
        ClassCommand::Export { db, format } => export(ctx, db, format),
    }
}

fn default_db(ctx: &Ctx) -> PathBuf {
    ctx.home.join("class.db")
}

/// The pack's lesson ids (the dashboard's columns); none when it will not load.
fn lesson_ids(ctx: &Ctx) -> Vec<String> {
    match ctx.pack() {
        Ok(p) => p.lessons.iter().map(|l| l.id.clone()).collect(),
        Err(e) => {
            eprintln!("dockdojo: warning: the lesson pack has problems, so lessons appear as results arrive:\n{e}");
            Vec::new()
        }
    }
}

/// The token given, else the one this database was last served with, else a
/// new random one; kept in the database, so a restart on the same file
/// keeps the learners who joined working.
fn token_for(
    store: &Store,
    given: Option<String>,
    key: &str,
    what: &str,
) -> anyhow::Result<String> {
    let token = match given {
        Some(t) => t,
        None => match store.meta(key)? {
            Some(t) => t,
            None => classroom::random_hex(),
        },
    };
    if token.trim().is_empty() || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        bail!("the {what} must not be empty or contain spaces");
    }
    store.set_meta(key, &token)?;
    Ok(token)
}

async fn serve(ctx: &Ctx, a: ClassServeArgs) -> anyhow::Result<i32> {
    let db = a.db.unwrap_or_else(|| default_db(ctx));
    let store = Store::open(&db)
        .with_context(|| format!("cannot open the class database {}", db.display()))?;
    let join_token = token_for(&store, a.join_token, "join_token", "join token")?;
    let instructor_token = token_for(
        &store,
        a.instructor_token,
        "instructor_token",
        "instructor token",
    )?;
    if join_token == instructor_token {
        bail!("the join token and the instructor token must differ");
    }
    store.set_title(&a.title)?;
    let listener = tokio::net::TcpListener::bind(&a.bind)
        .await
        .with_context(|| format!("cannot listen on {}", a.bind))?;
    let addr = listener.local_addr()?;
    let base = format!("http://{addr}");
    outln!(
        "dockdojo class \"{}\" is serving at {base}/",
        clean_line(&a.title)
    );
    outln!("  dashboard:    {base}/?key={instructor_token}");
    outln!("  join token:   {join_token}");
    outln!("  learners run: dockdojo class join {base} --token {join_token} --name \"YOUR NAME\"");
    if addr.ip().is_unspecified() {
        outln!(
            "  (learners use this machine's address in place of {})",
            addr.ip()
        );
    }
    outln!("  database:     {}", clean_line(&db.display().to_string()));
    outln!("Only check results arrive here (no files, commands or environment). Ctrl-C stops the server.");
    server::serve(
        listener,
        ServerConfig {
            store,
            title: a.title,
            join_token,
            instructor_token,
            lessons: lesson_ids(ctx),
            stuck: StuckRule {
                after: std::time::Duration::from_secs(a.stuck_after.saturating_mul(60)),
                min_learners: usize::try_from(a.stuck_learners).unwrap_or(usize::MAX),
            },
        },
    )
    .await?;
    Ok(EXIT_OK)
}

fn join(ctx: &Ctx, url: &str, token: &str, name: &str) -> anyhow::Result<i32> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        bail!("the name must be 1 to {MAX_NAME_CHARS} characters");
    }
    if !url.starts_with("http://") {
        bail!("the class address starts with http:// (the one `dockdojo class serve` printed)");
    }
    if token.trim().is_empty() {
        bail!("the join token is empty");
    }
    // Joining again keeps this install's id, so the instructor sees one row.
    let client_id = match client::membership(&ctx.home) {
        Ok(Some(m)) => m.client_id,
        _ => classroom::random_hex(),
    };
    let m = Membership {
        url: url.trim_end_matches('/').to_string(),
        token: token.trim().to_string(),
        name: name.to_string(),
        client_id,
    };
    client::save_membership(&ctx.home, &m).context("cannot save the class")?;
    outln!(
        "joined {} as {}: the TUI and `dockdojo check` now send their check results there (only the results: no files, commands or environment).",
        clean_line(&m.url),
        clean_line(&m.name)
    );
    Ok(EXIT_OK)
}

fn leave(ctx: &Ctx) -> anyhow::Result<i32> {
    if client::leave(&ctx.home)? {
        outln!("left the class: `dockdojo check` no longer sends its results.");
    } else {
        outln!("not in a class.");
    }
    Ok(EXIT_OK)
}

fn export(ctx: &Ctx, db: Option<PathBuf>, format: ExportFormat) -> anyhow::Result<i32> {
    let db = db.unwrap_or_else(|| default_db(ctx));
    if !db.exists() {
        bail!("no class database at {}", db.display());
    }
    let text = match format {
        ExportFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&read_class(&db, &lesson_ids(ctx))?)?
        ),
        ExportFormat::Csv => csv(&read_class(&db, &lesson_ids(ctx))?.learners),
        ExportFormat::Junit => junit(&open_store(&db)?.results()?),
    };
    super::check::print_stdout(&text);
    Ok(EXIT_OK)
}

fn open_store(db: &Path) -> anyhow::Result<Store> {
    Store::open(db).with_context(|| format!("cannot open the class database {}", db.display()))
}

/// The class as `GET /api/class` shows it, "stuck" by the default rule.
fn read_class(db: &Path, lessons: &[String]) -> anyhow::Result<ClassView> {
    let store = open_store(db)?;
    let rule = StuckRule::default();
    let rows = store.failing_since(rule.failing_before(classroom::now_ms()))?;
    Ok(ClassView {
        title: store.title()?.unwrap_or_else(|| "dockdojo class".into()),
        learners: store.learners(lessons)?,
        stuck: classroom::stuck(&rows, rule.min_learners),
    })
}

/// JUnit XML: a testsuite per learner and lesson, named `learner: lesson`,
/// a testcase per check (the same writer as `check --junit`).
pub fn junit(learners: &[(String, String, Vec<crate::check::LessonResult>)]) -> String {
    let suites: Vec<crate::check::junit::Suite<'_>> = learners
        .iter()
        .flat_map(|(name, _, results)| {
            results.iter().map(move |r| {
                let mut s = crate::check::junit::Suite::of(r);
                s.name = format!("{}: {}", clean_line(name), r.lesson).into();
                s
            })
        })
        .collect();
    crate::check::junit::xml(&suites, &[], None)
}

/// One line per learner and lesson; the failing checks' titles joined by `; `.
pub fn csv(rows: &[LearnerRow]) -> String {
    let mut out = String::from("name,client_id,last_seen,lesson,status,failing_checks\n");
    for r in rows {
        for l in &r.lessons {
            let failing: Vec<&str> = l
                .checks
                .iter()
                .filter(|c| {
                    !matches!(
                        c.status,
                        crate::check::Status::Pass | crate::check::Status::Unsupported
                    )
                })
                .map(|c| c.title.as_str())
                .collect();
            let fields = [
                r.name.as_str(),
                r.client_id.as_str(),
                r.last_seen.as_str(),
                l.id.as_str(),
                l.status.as_str(),
                &failing.join("; "),
            ];
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
    }
    out
}

/// RFC 4180 quoting; a leading `= + - @` gets a `'` so a spreadsheet shows
/// a learner's text instead of running it as a formula, and control
/// characters are neutralised (the CSV may go to a terminal).
fn csv_field(s: &str) -> String {
    let s = clean_line(s);
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Status;
    use crate::class::{CheckCell, LessonCell};

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let rows = vec![LearnerRow {
            name: "=cmd|' /C calc'!A0".into(),
            client_id: "c1".into(),
            last_seen: "2026-01-01T00:00:00Z".into(),
            lessons: vec![LessonCell {
                id: "multi-stage".into(),
                status: "failing".into(),
                checks: vec![
                    CheckCell {
                        id: "a".into(),
                        title: "size, \"small\"".into(),
                        status: Status::Fail,
                    },
                    CheckCell {
                        id: "b".into(),
                        title: "ok".into(),
                        status: Status::Pass,
                    },
                ],
            }],
        }];
        let out = csv(&rows);
        assert_eq!(csv_field("a\u{1b}[2J\nb"), "a^[[2J b");
        assert_eq!(
            out,
            "name,client_id,last_seen,lesson,status,failing_checks\n\
             '=cmd|' /C calc'!A0,c1,2026-01-01T00:00:00Z,multi-stage,failing,\"size, \"\"small\"\"\"\n"
        );
    }
}
