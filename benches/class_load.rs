//! Load on the class server: the built `dockdojo class serve` on loopback, a
//! dashboard's event stream, and simulated learners each posting a
//! `dockdojo check --json` result once a second. It counts every post, every
//! acknowledgement and every `learner` event, matches each acknowledged post
//! to its event, compares the final `GET /api/class` with what each learner
//! last sent, samples the server's CPU time and resident memory from /proc,
//! and measures the time from sending a post to receiving its event.
//!
//! ```text
//! cargo bench --bench class_load                       # 40 learners, 5 minutes
//! DOCKDOJO_LOAD_SECONDS=20 cargo bench --bench class_load
//! ```
//!
//! Environment: `DOCKDOJO_LOAD_LEARNERS` (default 40), `DOCKDOJO_LOAD_SECONDS`
//! (default 300; without `--bench`, as `cargo test --all-targets` runs it, 4
//! learners for 3 s), `DOCKDOJO_LOAD_INTERVAL_MS` (default 1000), `DOCKDOJO_LOAD_BIN`
//! (another `dockdojo` binary to serve, e.g. to compare builds). Linux only (it
//! reads /proc). It exits 1 when an update was lost or the final state
//! differs; the CPU and memory targets are reported, not enforced.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use dockdojo::check::{CheckResult, LessonResult, Status};
use dockdojo::class::{ClassView, LearnerRow};
use dockdojo::lesson::Lesson;

const JOIN: &str = "load-join-token";
const INSTRUCTOR: &str = "load-instructor-token";
/// Targets from the classroom issue.
const CPU_TARGET_PCT: f64 = 5.0;
const RSS_TARGET_KB: u64 = 50 * 1024;

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    if !cfg!(target_os = "linux") {
        eprintln!("class_load reads /proc: Linux only");
        return;
    }
    // `cargo bench` passes --bench; `cargo test --all-targets` runs this
    // program without it: then a short run (4 learners, 3 s) checks that the
    // harness and the server agree, without the 5 minutes.
    let full = std::env::args().any(|a| a == "--bench");
    if !full {
        println!("class_load: test mode (cargo bench runs the full load)");
    }
    let learners = env_num("DOCKDOJO_LOAD_LEARNERS", if full { 40 } else { 4 }) as usize;
    let seconds = env_num("DOCKDOJO_LOAD_SECONDS", if full { 300 } else { 3 });
    let interval = Duration::from_millis(env_num("DOCKDOJO_LOAD_INTERVAL_MS", 1000));
    let ok = run(learners, Duration::from_secs(seconds), interval);
    std::process::exit(if ok { 0 } else { 1 });
}

// ------------------------------------------------------------------ server

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(dir: &Path) -> Server {
    // Another build of the server can be measured with DOCKDOJO_LOAD_BIN.
    let bin = std::env::var_os("DOCKDOJO_LOAD_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_dockdojo").into());
    let mut child = Command::new(bin)
        .args(["class", "serve", "--bind", "127.0.0.1:0", "--db"])
        .arg(dir.join("class.db"))
        .args(["--join-token", JOIN, "--instructor-token", INSTRUCTOR])
        .args(["--title", "Load test"])
        .env("DOCKDOJO_HOME", dir.join("home"))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("dockdojo class serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut url = None;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("class serve prints its banner");
        if let Some(u) = line.split("is serving at ").nth(1) {
            url = Some(u.trim().trim_end_matches('/').to_string());
        }
        // The banner's last line.
        if line.starts_with("Only check results") {
            break;
        }
    }
    Server {
        child,
        url: url.expect("the banner names the address"),
    }
}

// --------------------------------------------------------------- /proc

/// One look at the server in /proc.
#[derive(Clone, Copy)]
struct Sample {
    /// CPU time in user and in system mode, in clock ticks.
    user: u64,
    system: u64,
    /// Resident and peak resident (VmHWM) memory, kB.
    rss_kb: u64,
    hwm_kb: u64,
}

impl Sample {
    fn ticks(&self) -> u64 {
        self.user + self.system
    }
}

fn proc_sample(pid: u32) -> Option<Sample> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces): state is the
    // 3rd field of the file, utime the 14th, stime the 15th.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let user = f.get(11)?.parse::<u64>().ok()?;
    let system = f.get(12)?.parse::<u64>().ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<u64>().ok())
    };
    Some(Sample {
        user,
        system,
        rss_kb: kb("VmRSS:")?,
        hwm_kb: kb("VmHWM:")?,
    })
}

fn clock_ticks_per_second() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100)
}

// ----------------------------------------------------------- learners

/// What one learner does: works through the pack's lessons, checking the
/// current one once a second; each attempt gets one more check to pass, and
/// every 60th check is `check --all`.
struct Learner {
    index: usize,
    client_id: String,
    name: String,
    /// Posts per extra passing check (2 to 5: learners differ in pace).
    pace: usize,
    lesson: usize,
    attempt: usize,
}

impl Learner {
    fn new(index: usize) -> Learner {
        Learner {
            index,
            client_id: format!(
                "load-{index:02}-{:08x}",
                0x9e37_79b9u32.wrapping_mul(index as u32 + 1)
            ),
            name: format!("Learner {index:02}"),
            pace: 2 + index % 4,
            lesson: index % 3,
            attempt: 0,
        }
    }

    /// The result `dockdojo check LESSON --json` would print for `lesson`
    /// with `passing` checks passing (in order); the next fails and the
    /// checks that need it are skipped.
    fn result(&self, lesson: &Lesson, passing: usize, seq: usize) -> LessonResult {
        let checks: Vec<CheckResult> = lesson
            .checks
            .iter()
            .enumerate()
            .map(|(i, c)| {
                // Checks after the first failing one fail too, unless they
                // need another check (then they are skipped).
                let status = if i < passing {
                    Status::Pass
                } else if i == passing || c.needs.is_empty() {
                    Status::Fail
                } else {
                    Status::Skipped
                };
                let (actual, message) = match status {
                    Status::Pass => ("as expected".to_string(), String::new()),
                    Status::Fail => (
                        format!("attempt {seq}: not yet"),
                        format!("{} does not hold yet", c.title),
                    ),
                    _ => (String::new(), "a check it needs has not passed".to_string()),
                };
                CheckResult {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    status,
                    expected: c.title.clone(),
                    actual,
                    message,
                    hint: (status == Status::Fail).then(|| c.hint.clone()).flatten(),
                    why: c.why.clone(),
                    duration_ms: 3 + ((self.index * 31 + seq * 17 + i * 7) % 400) as u64,
                }
            })
            .collect();
        LessonResult {
            lesson: lesson.id.clone(),
            passed: LessonResult::passes(&checks),
            checks,
        }
    }

    /// The next post's results; moves on to the next lesson once all pass.
    fn next(&mut self, lessons: &[Lesson], seq: usize) -> Vec<LessonResult> {
        let all = seq % 60 == 59;
        let lesson = &lessons[self.lesson];
        let passing = (self.attempt / self.pace).min(lesson.checks.len());
        let current = self.result(lesson, passing, seq);
        self.attempt += 1;
        let out = if all {
            // `check --all`: passed lessons pass, the current one as it is,
            // later ones fail from their first check.
            lessons
                .iter()
                .enumerate()
                .map(|(i, l)| match i.cmp(&self.lesson) {
                    std::cmp::Ordering::Less => self.result(l, l.checks.len(), seq),
                    std::cmp::Ordering::Equal => current.clone(),
                    std::cmp::Ordering::Greater => self.result(l, 0, seq),
                })
                .collect()
        } else {
            vec![current.clone()]
        };
        if current.passed {
            self.lesson = (self.lesson + 1) % lessons.len();
            self.attempt = 0;
        }
        out
    }
}

/// One post as sent.
struct Post {
    sent: Instant,
    /// The HTTP status, 0 when no answer came.
    status: u16,
    answered: Instant,
    results: Vec<LessonResult>,
}

fn body(l: &Learner, results: &[LessonResult]) -> String {
    let results = if results.len() == 1 {
        serde_json::to_value(&results[0])
    } else {
        serde_json::to_value(results)
    }
    .expect("results serialize");
    serde_json::json!({ "name": l.name, "client_id": l.client_id, "results": results }).to_string()
}

fn learner_thread(
    url: String,
    mut learner: Learner,
    lessons: Arc<Vec<Lesson>>,
    start: Instant,
    offset: Duration,
    interval: Duration,
    duration: Duration,
) -> (Learner, Vec<Post>) {
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(10))
        .build();
    let mut posts = Vec::new();
    let mut seq = 0usize;
    loop {
        let at = offset + interval * seq as u32;
        if at >= duration {
            break;
        }
        // Pacing: the learner's next check is due at `start + at`.
        if let Some(wait) = (start + at).checked_duration_since(Instant::now()) {
            thread::sleep(wait);
        }
        let results = learner.next(&lessons, seq);
        let text = body(&learner, &results);
        let sent = Instant::now();
        let status = match agent
            .post(&format!("{url}/api/results"))
            .set("Authorization", &format!("Bearer {JOIN}"))
            .set("Content-Type", "application/json")
            .send_string(&text)
        {
            Ok(r) => {
                let s = r.status();
                let _ = r.into_string();
                s
            }
            Err(ureq::Error::Status(code, r)) => {
                let _ = r.into_string();
                code
            }
            Err(_) => 0,
        };
        posts.push(Post {
            sent,
            status,
            answered: Instant::now(),
            results,
        });
        seq += 1;
    }
    (learner, posts)
}

// ------------------------------------------------------------- events

type Events = Arc<Mutex<Vec<(Instant, String)>>>;

/// Read `learner` events until the stream ends; `ready` once the server's
/// `connected` comment arrived (the subscription is live).
fn event_thread(url: String, events: Events, ready: mpsc::Sender<()>) {
    let agent = ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(10))
        .build();
    let resp = agent
        .get(&format!("{url}/api/events"))
        .set("Authorization", &format!("Bearer {INSTRUCTOR}"))
        .call()
        .expect("the event stream opens");
    let mut event = String::new();
    for line in BufReader::new(resp.into_reader()).lines() {
        let Ok(line) = line else { break };
        let now = Instant::now();
        if line.starts_with(": connected") || line == ":connected" {
            let _ = ready.send(());
        } else if let Some(e) = line.strip_prefix("event:") {
            event = e.trim().to_string();
        } else if let Some(data) = line.strip_prefix("data:") {
            if event == "learner" {
                events
                    .lock()
                    .expect("events")
                    .push((now, data.trim_start().to_string()));
            }
        } else if line.is_empty() {
            event.clear();
        }
    }
}

// -------------------------------------------------------------- checks

/// A lesson's status word and its checks as (id, title, status).
type Cells = (String, Vec<(String, String, Status)>);

/// The cells of `lesson` in a row.
fn cells(row: &LearnerRow, lesson: &str) -> Option<Cells> {
    row.lessons.iter().find(|c| c.id == lesson).map(|c| {
        (
            c.status.clone(),
            c.checks
                .iter()
                .map(|k| (k.id.clone(), k.title.clone(), k.status))
                .collect(),
        )
    })
}

fn expected_cells(r: &LessonResult) -> Cells {
    let status = if LessonResult::passes(&r.checks) {
        "passed"
    } else {
        "failing"
    };
    (
        status.to_string(),
        r.checks
            .iter()
            .map(|c| (c.id.clone(), c.title.clone(), c.status))
            .collect(),
    )
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[i.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn run(n: usize, duration: Duration, interval: Duration) -> bool {
    let lessons: Arc<Vec<Lesson>> = Arc::new(
        dockdojo::lesson::load(None)
            .expect("the built-in pack loads")
            .lessons,
    );
    let tmp = tempfile::tempdir().expect("temporary folder");
    let server = start_server(tmp.path());
    let pid = server.child.id();
    let url = server.url.clone();
    println!(
        "class_load: {n} learners, one post every {} ms each, for {} s, against {url} (pid {pid})",
        interval.as_millis(),
        duration.as_secs()
    );

    let events: Events = Arc::new(Mutex::new(Vec::new()));
    let (ready_tx, ready_rx) = mpsc::channel();
    {
        let (url, events) = (url.clone(), events.clone());
        thread::spawn(move || event_thread(url, events, ready_tx));
    }
    ready_rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the event stream says it is connected");

    // The sampler: CPU ticks and memory once a second.
    let hz = clock_ticks_per_second();
    let stop = Arc::new(AtomicBool::new(false));
    let idle = proc_sample(pid).expect("/proc of the server");
    let sampler = {
        let stop = stop.clone();
        thread::spawn(move || {
            let mut samples = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                if let Some(s) = proc_sample(pid) {
                    samples.push((Instant::now(), s));
                }
                thread::sleep(Duration::from_secs(1));
            }
            samples
        })
    };

    let start = Instant::now() + Duration::from_millis(200);
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (url, lessons) = (url.clone(), lessons.clone());
            // Learners are spread over the interval, as a room is.
            let offset = interval * i as u32 / n as u32;
            thread::spawn(move || {
                learner_thread(
                    url,
                    Learner::new(i),
                    lessons,
                    start,
                    offset,
                    interval,
                    duration,
                )
            })
        })
        .collect();
    let before = proc_sample(pid).unwrap_or(idle);
    let t0 = Instant::now();
    let runs: Vec<(Learner, Vec<Post>)> = handles
        .into_iter()
        .map(|h| h.join().expect("learner thread"))
        .collect();
    let load_secs = t0.elapsed().as_secs_f64();
    let busy = proc_sample(pid).expect("/proc of the server");
    stop.store(true, Ordering::Relaxed);
    let samples = sampler.join().expect("sampler");

    // Every acknowledged post's event is sent before its answer, so once all
    // answers are in, the events are on their way: wait for the count.
    let acked: usize = runs
        .iter()
        .map(|(_, p)| p.iter().filter(|p| p.status == 200).count())
        .sum();
    let deadline = Instant::now() + Duration::from_secs(10);
    while events.lock().expect("events").len() < acked && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(20));
    }
    // One more second for any extra (duplicate) event to show up.
    thread::sleep(Duration::from_secs(1));
    let events = std::mem::take(&mut *events.lock().expect("events"));

    // Events per learner, in the order they arrived.
    let mut by_client: HashMap<String, Vec<(Instant, LearnerRow)>> = HashMap::new();
    let mut unparsable = 0usize;
    for (at, data) in &events {
        match serde_json::from_str::<LearnerRow>(data) {
            Ok(row) => by_client
                .entry(row.client_id.clone())
                .or_default()
                .push((*at, row)),
            Err(_) => unparsable += 1,
        }
    }

    let mut sent = 0usize;
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    let mut lost = 0usize;
    let mut extra = 0usize;
    let mut wrong_content = 0usize;
    let mut latencies = Vec::new();
    let mut round_trips = Vec::new();
    let mut last_sent: HashMap<String, BTreeMap<String, LessonResult>> = HashMap::new();
    for (learner, posts) in &runs {
        sent += posts.len();
        let ev = by_client.remove(&learner.client_id).unwrap_or_default();
        let acked: Vec<&Post> = posts.iter().filter(|p| p.status == 200).collect();
        lost += acked.len().saturating_sub(ev.len());
        extra += ev.len().saturating_sub(acked.len());
        for p in posts {
            *statuses.entry(p.status).or_default() += 1;
            round_trips.push(p.answered - p.sent);
        }
        // The k-th acknowledged post of a learner is its k-th event: one
        // learner's posts are sequential and the server sends the event
        // before the answer.
        for (post, (at, row)) in acked.iter().zip(&ev) {
            let matches = post
                .results
                .iter()
                .all(|r| cells(row, &r.lesson) == Some(expected_cells(r)));
            if !matches {
                wrong_content += 1;
            }
            latencies.push(at.saturating_duration_since(post.sent));
        }
        let state = last_sent.entry(learner.client_id.clone()).or_default();
        for post in acked {
            for r in &post.results {
                state.insert(r.lesson.clone(), r.clone());
            }
        }
    }
    let strangers: usize = by_client.values().map(Vec::len).sum();

    // The final state: what each learner last sent for each lesson.
    let view: ClassView = serde_json::from_str(
        &ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(30))
            .build()
            .get(&format!("{url}/api/class"))
            .set("Authorization", &format!("Bearer {INSTRUCTOR}"))
            .call()
            .expect("GET /api/class")
            .into_string()
            .expect("class body"),
    )
    .expect("class JSON");
    let mut final_mismatch = Vec::new();
    for (client, lessons_sent) in &last_sent {
        let Some(row) = view.learners.iter().find(|l| &l.client_id == client) else {
            final_mismatch.push(format!("{client}: missing from /api/class"));
            continue;
        };
        for (lesson, r) in lessons_sent {
            if cells(row, lesson) != Some(expected_cells(r)) {
                final_mismatch.push(format!("{client}: lesson {lesson} differs"));
            }
        }
        for cell in &row.lessons {
            if !lessons_sent.contains_key(&cell.id) && cell.status != "not_started" {
                final_mismatch.push(format!("{client}: lesson {} was never sent", cell.id));
            }
        }
    }
    if view.learners.len() != n {
        final_mismatch.push(format!(
            "/api/class has {} learners, not {n}",
            view.learners.len()
        ));
    }

    latencies.sort();
    round_trips.sort();
    let after = proc_sample(pid).expect("/proc of the server");
    let cpu_secs = (busy.ticks() - before.ticks()) as f64 / hz as f64;
    let user_secs = (busy.user - before.user) as f64 / hz as f64;
    let system_secs = (busy.system - before.system) as f64 / hz as f64;
    let cpu_pct = 100.0 * cpu_secs / load_secs;
    // The busiest 10 s of CPU, from the once-a-second samples.
    let mut worst10 = 0.0f64;
    for w in samples.windows(11) {
        let (a, b) = (&w[0], &w[10]);
        let secs = (b.0 - a.0).as_secs_f64();
        if secs > 0.0 {
            worst10 = worst10.max(100.0 * (b.1.ticks() - a.1.ticks()) as f64 / hz as f64 / secs);
        }
    }
    let peak_sampled = samples.iter().map(|s| s.1.rss_kb).max().unwrap_or(0);
    let hwm = after.hwm_kb;

    println!();
    println!("posts sent:                 {sent}");
    println!(
        "answers:                    {}",
        statuses
            .iter()
            .map(|(c, k)| if *c == 0 {
                format!("{k} × no answer")
            } else {
                format!("{k} × {c}")
            })
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("learner events received:    {}", events.len());
    println!("acknowledged posts lost:    {lost} (no event)");
    println!("extra events:               {extra} (+{strangers} for unknown learners, {unparsable} unparsable)");
    println!("events not matching post:   {wrong_content}");
    println!(
        "final /api/class:           {}",
        if final_mismatch.is_empty() {
            format!("matches the last post of all {n} learners")
        } else {
            format!("{} differences: {:?}", final_mismatch.len(), final_mismatch)
        }
    );
    println!(
        "POST → event:               p50 {}, p90 {}, p99 {}, max {} ({} events)",
        ms(percentile(&latencies, 50.0)),
        ms(percentile(&latencies, 90.0)),
        ms(percentile(&latencies, 99.0)),
        ms(latencies.last().copied().unwrap_or_default()),
        latencies.len()
    );
    println!(
        "POST round trip:            p50 {}, p99 {}, max {}",
        ms(percentile(&round_trips, 50.0)),
        ms(percentile(&round_trips, 99.0)),
        ms(round_trips.last().copied().unwrap_or_default())
    );
    println!(
        "server CPU:                 {cpu_pct:.2} % of one core on average ({cpu_secs:.2} s in {load_secs:.1} s: {user_secs:.2} s user, {system_secs:.2} s system); busiest 10 s: {worst10:.2} %  [target < {CPU_TARGET_PCT} %: {}]",
        if cpu_pct < CPU_TARGET_PCT { "met" } else { "MISSED" }
    );
    println!(
        "server memory:              {:.1} MB resident idle, {:.1} MB peak sampled, {:.1} MB peak (VmHWM)  [target < 50 MB: {}]",
        idle.rss_kb as f64 / 1024.0,
        peak_sampled as f64 / 1024.0,
        hwm as f64 / 1024.0,
        if hwm < RSS_TARGET_KB { "met" } else { "MISSED" }
    );
    let db = std::fs::metadata(tmp.path().join("class.db"))
        .map(|m| m.len())
        .unwrap_or(0);
    let wal = std::fs::metadata(tmp.path().join("class.db-wal"))
        .map(|m| m.len())
        .unwrap_or(0);
    println!(
        "database:                   {:.1} MB, WAL {:.1} MB",
        db as f64 / 1e6,
        wal as f64 / 1e6
    );
    drop(server);
    lost == 0
        && extra == 0
        && strangers == 0
        && unparsable == 0
        && wrong_content == 0
        && final_mismatch.is_empty()
        && statuses.keys().all(|c| *c == 200)
}
