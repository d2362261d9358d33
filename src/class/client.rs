//! A learner's side: the class joined (`class.json` under `DOCKDOJO_HOME`)
//! and sending check results to it, with a queue for when it cannot be
//! reached. Only check results are sent: lesson ids, check ids, titles,
//! statuses and their messages.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::sync::mpsc;

use serde::{Deserialize, Serialize};

use super::{merge_queue, Results, Submission};
use crate::check::LessonResult;

/// How long one send may take before the results are queued instead.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(2);

/// The class this install has joined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub url: String,
    pub token: String,
    pub name: String,
    pub client_id: String,
}

pub fn membership_file(home: &Path) -> PathBuf {
    home.join("class.json")
}

pub fn queue_file(home: &Path) -> PathBuf {
    home.join("class-queue.json")
}

/// The joined class: Ok(None) when none was joined.
pub fn membership(home: &Path) -> anyhow::Result<Option<Membership>> {
    let path = membership_file(home);
    match std::fs::read(&path) {
        Ok(bytes) => Ok(Some(serde_json::from_slice(&bytes).map_err(|e| {
            anyhow::anyhow!(
                "{} does not parse ({e}); join again with `dockdojo class join`",
                path.display()
            )
        })?)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

pub fn save_membership(home: &Path, m: &Membership) -> std::io::Result<()> {
    write_atomic(&membership_file(home), &serde_json::to_vec_pretty(m)?)
}

/// Forget the class and its queue; false when none was joined.
pub fn leave(home: &Path) -> std::io::Result<bool> {
    let had = match std::fs::remove_file(membership_file(home)) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(e),
    };
    match std::fs::remove_file(queue_file(home)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    Ok(had)
}

/// The results waiting to be sent. A queue that does not parse is set
/// aside as `class-queue.json.corrupt-<time>` (neither trusted nor deleted)
/// and counts as empty.
pub fn queued(home: &Path) -> Vec<LessonResult> {
    let path = queue_file(home);
    let Ok(bytes) = std::fs::read(&path) else {
        return Vec::new();
    };
    match serde_json::from_slice(&bytes) {
        Ok(q) => q,
        Err(e) => {
            let aside = path.with_file_name(format!(
                "class-queue.json.corrupt-{}",
                jiff::Timestamp::now().as_second()
            ));
            tracing::warn!(
                "class: the queue {} does not parse ({e}); set aside as {}",
                path.display(),
                aside.display()
            );
            let _ = std::fs::rename(&path, &aside);
            Vec::new()
        }
    }
}

fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// What became of one send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The server stored this many lesson results.
    Sent(usize),
    /// The server could not be reached: this many wait in the queue.
    Queued(usize),
    /// The server answered no (wrong token, a name too long...): its reason.
    Refused(String),
}

/// The one line `dockdojo check` prints on stderr.
pub fn outcome_line(o: &Outcome) -> String {
    match o {
        Outcome::Sent(_) => "class: sent".to_string(),
        Outcome::Queued(n) => format!("class: offline, queued {n} result(s)"),
        Outcome::Refused(why) => format!("class: the server refused the results: {why}"),
    }
}

enum Answer {
    Ok,
    Unreachable,
    Refused(String),
}

/// Send the queued results and `new` ones (the newest per lesson) in one
/// post, within [`SEND_TIMEOUT`]; when the server cannot be reached they
/// wait in the queue for the next time.
pub async fn send_or_queue(home: &Path, m: &Membership, new: &[LessonResult]) -> Outcome {
    let all = merge_queue(queued(home), new);
    let n = all.len();
    let body = match serde_json::to_string(&Submission {
        name: m.name.clone(),
        client_id: m.client_id.clone(),
        results: Results::Many(all.clone()),
    }) {
        Ok(b) => b,
        Err(e) => return Outcome::Refused(e.to_string()),
    };
    let url = format!("{}/api/results", m.url.trim_end_matches('/'));
    let token = m.token.clone();
    let post = tokio::task::spawn_blocking(move || post_json(&url, &token, &body));
    let answer = match tokio::time::timeout(SEND_TIMEOUT + Duration::from_millis(500), post).await {
        Ok(Ok(a)) => a,
        _ => Answer::Unreachable,
    };
    match answer {
        Answer::Ok => {
            let _ = std::fs::remove_file(queue_file(home));
            Outcome::Sent(n)
        }
        Answer::Unreachable => match serde_json::to_vec(&all)
            .map_err(std::io::Error::from)
            .and_then(|b| write_atomic(&queue_file(home), &b))
        {
            Ok(()) => Outcome::Queued(n),
            Err(e) => Outcome::Refused(format!("could not queue them: {e}")),
        },
        Answer::Refused(why) => Outcome::Refused(why),
    }
}

fn post_json(url: &str, token: &str, body: &str) -> Answer {
    let agent = ureq::AgentBuilder::new()
        .timeout_connect(SEND_TIMEOUT)
        .timeout(SEND_TIMEOUT)
        .build();
    match agent
        .post(url)
        .set("Authorization", &format!("Bearer {token}"))
        .set("Content-Type", "application/json")
        .send_string(body)
    {
        Ok(_) => Answer::Ok,
        // Busy or broken for now: worth trying again later.
        Err(ureq::Error::Status(code, _)) if code == 429 || code >= 500 => Answer::Unreachable,
        Err(ureq::Error::Status(code, resp)) => {
            let text = resp.into_string().unwrap_or_default();
            Answer::Refused(format!("{code} {}", text.trim()))
        }
        Err(ureq::Error::Transport(_)) => Answer::Unreachable,
    }
}

/// While the server cannot be reached, how often the queue is tried again.
pub const RETRY: Duration = Duration::from_secs(10);
/// While idle, how often the TUI tells the server it is still there (the
/// dashboard's "last seen", and the status bar learns a server went away).
pub const HEARTBEAT: Duration = Duration::from_secs(60);

/// Sends a running TUI's results to the class in the background: never
/// waits for the network on the caller's side, keeps only the newest result
/// per lesson, skips a result that says what the last one sent said, queues
/// on disk while the server cannot be reached and tries again every
/// [`RETRY`].
pub struct Sender {
    tx: mpsc::UnboundedSender<LessonResult>,
}

impl Sender {
    /// Start sending for `m`; `report` hears each send's outcome when it
    /// differs from the one before (the first is always reported).
    pub fn spawn(
        home: PathBuf,
        m: Membership,
        report: impl Fn(Outcome) + Send + 'static,
    ) -> Sender {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(send_loop(home, m, rx, report));
        Sender { tx }
    }

    /// Send this result (when it could be evaluated at all: a run the engine
    /// could not serve would hide a real status).
    pub fn send(&self, r: LessonResult) {
        if r.evaluated_any() {
            let _ = self.tx.send(r);
        }
    }
}

/// What a lesson's result says, without timings: two results with the same
/// fingerprint need not both be sent.
fn fingerprint(r: &LessonResult) -> Vec<(String, crate::check::Status, String)> {
    r.checks
        .iter()
        .map(|c| (c.id.clone(), c.status, c.actual.clone()))
        .collect()
}

async fn send_loop(
    home: PathBuf,
    m: Membership,
    mut rx: mpsc::UnboundedReceiver<LessonResult>,
    report: impl Fn(Outcome) + Send + 'static,
) {
    let mut sent: std::collections::HashMap<String, Vec<(String, crate::check::Status, String)>> =
        Default::default();
    let mut last: Option<Outcome> = None;
    // The first send (the queue, or nothing) says hello: the learner's row
    // appears on the dashboard when the TUI opens.
    let mut next = tokio::time::Instant::now();
    loop {
        let mut batch: Vec<LessonResult> = Vec::new();
        tokio::select! {
            r = rx.recv() => match r {
                Some(r) => batch.push(r),
                None => return,
            },
            _ = tokio::time::sleep_until(next) => {}
        }
        while let Ok(r) = rx.try_recv() {
            batch.push(r);
        }
        let new: Vec<LessonResult> = merge_queue(Vec::new(), &batch)
            .into_iter()
            .filter(|r| sent.get(&r.lesson) != Some(&fingerprint(r)))
            .collect();
        let tried_at = tokio::time::Instant::now();
        if new.is_empty() && tried_at < next {
            continue;
        }
        for r in &new {
            sent.insert(r.lesson.clone(), fingerprint(r));
        }
        let outcome = send_or_queue(&home, &m, &new).await;
        next = tried_at
            + match outcome {
                Outcome::Queued(_) => RETRY,
                _ => HEARTBEAT,
            };
        if let Outcome::Refused(_) = outcome {
            // Nothing was kept: the same result may be offered again.
            for r in &new {
                sent.remove(&r.lesson);
            }
        }
        let changed = match (&last, &outcome) {
            (Some(Outcome::Sent(_)), Outcome::Sent(_)) => false,
            (Some(a), b) => a != b,
            (None, _) => true,
        };
        if changed {
            report(outcome.clone());
        }
        last = Some(outcome);
    }
}
