//! The check engine: facts are gathered from the engine and the workspace
//! (I/O, `gather`), then each check is evaluated by a pure function (`eval`).

pub mod anatomy;
pub mod cache;
pub mod dockerfile;
pub mod eval;
pub mod facts;
pub mod gather;
pub mod glob;
pub mod hardening;
pub mod junit;
pub mod packages;
pub mod probes;
pub mod result;
pub mod sets;

#[cfg(test)]
mod eval_tests;

pub use result::{CheckResult, LessonResult, Status};

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use crate::engine::{Engine, EngineError};
use crate::lesson::{CheckKind, CheckSpec, Lesson, Pack, PathSet};

use eval::Outcome;
use facts::{Fact, FactError};
use gather::Gatherer;

/// What a check run needs.
pub struct CheckEnv<'a> {
    /// The engine, or why it cannot be used (checks that need it report `error`).
    pub engine: Result<&'a Engine, &'a EngineError>,
    pub pack: &'a Pack,
    pub lesson: &'a Lesson,
    /// The lesson's folder in the workspace (for `dockerfile.*` checks).
    pub lesson_dir: &'a Path,
}

/// Evaluate every check of the lesson, honouring `needs`.
pub async fn run_lesson(env: &CheckEnv<'_>) -> LessonResult {
    let order = evaluation_order(&env.lesson.checks);
    let mut done: HashMap<&str, CheckResult> = HashMap::new();
    let mut gatherer = env
        .engine
        .ok()
        .map(|e| Gatherer::new(e, &env.lesson.id, &env.pack.manifest.probe_image));
    // What the engine can do matters only to checks that say what they need.
    // A lesson's `requires` hold for each of its checks.
    let platform = async {
        match env.engine {
            Ok(e)
                if !env.lesson.requires.is_empty()
                    || env.lesson.checks.iter().any(|c| !c.requires.is_empty()) =>
            {
                crate::engine::platform::detect(e).await.ok()
            }
            _ => None,
        }
    };
    // Every image the checks inspect is asked for at once, beside the platform.
    let images: Vec<&str> = env
        .lesson
        .checks
        .iter()
        .flat_map(|c| c.kind.images())
        .collect();
    let prefetch = async {
        if let Some(g) = gatherer.as_mut() {
            g.prefetch_images(&images).await;
        }
    };
    let (platform, ()) = tokio::join!(platform, prefetch);
    for idx in order {
        let spec = &env.lesson.checks[idx];
        let started = Instant::now();
        let unsupported = platform.as_ref().and_then(|p| {
            let requires: Vec<String> = env
                .lesson
                .requires
                .iter()
                .chain(&spec.requires)
                .cloned()
                .collect();
            crate::engine::platform::unmet_requirements(&requires, p)
                .first()
                .map(|why| Outcome::unsupported(why))
        });
        let outcome = match unsupported.or_else(|| unmet_need(spec, &env.lesson.checks, &done)) {
            Some(o) => o,
            None => evaluate(spec, env, gatherer.as_mut()).await,
        };
        done.insert(spec.id.as_str(), to_result(spec, outcome, started));
    }
    let checks: Vec<CheckResult> = env
        .lesson
        .checks
        .iter()
        .filter_map(|c| done.remove(c.id.as_str()))
        .collect();
    LessonResult {
        lesson: env.lesson.id.clone(),
        passed: LessonResult::passes(&checks),
        checks,
    }
}

fn to_result(spec: &CheckSpec, o: Outcome, started: Instant) -> CheckResult {
    CheckResult {
        id: spec.id.clone(),
        title: spec.title.clone(),
        status: o.status,
        expected: o.expected,
        actual: o.actual,
        message: o.message,
        hint: spec.hint.clone(),
        why: spec.why.clone(),
        duration_ms: started.elapsed().as_millis() as u64,
    }
}

/// Checks in an order where every check comes after those it needs
/// (declaration order otherwise). Cycles are left to `unmet_need`.
pub fn evaluation_order(checks: &[CheckSpec]) -> Vec<usize> {
    fn visit(i: usize, checks: &[CheckSpec], state: &mut [u8], out: &mut Vec<usize>) {
        if state[i] != 0 {
            return; // done, or on the stack (a cycle)
        }
        state[i] = 1;
        for n in &checks[i].needs {
            if let Some(j) = checks.iter().position(|c| &c.id == n) {
                visit(j, checks, state, out);
            }
        }
        state[i] = 2;
        out.push(i);
    }
    let mut state = vec![0u8; checks.len()];
    let mut out = Vec::with_capacity(checks.len());
    for i in 0..checks.len() {
        visit(i, checks, &mut state, &mut out);
    }
    out
}

/// `Some(outcome)` when a needed check has not passed.
fn unmet_need(
    spec: &CheckSpec,
    all: &[CheckSpec],
    done: &HashMap<&str, CheckResult>,
) -> Option<Outcome> {
    for n in &spec.needs {
        if !all.iter().any(|c| &c.id == n) {
            return Some(Outcome::error(
                format!("check `{n}` passes first"),
                &FactError(format!(
                    "this check needs `{n}`, which the lesson does not have; the lesson pack is broken (run `dockdojo lint`)"
                )),
            ));
        }
        match done.get(n.as_str()) {
            Some(r) if r.status == Status::Pass => {}
            Some(r) => return Some(Outcome::skipped(n, r.status)),
            None => {
                return Some(Outcome::error(
                    format!("check `{n}` passes first"),
                    &FactError(format!(
                        "`needs` forms a cycle through `{n}`; the lesson pack is broken (run `dockdojo lint`)"
                    )),
                ))
            }
        }
    }
    None
}

/// The requests of an `image.lacks` / `image.has` check: (path, set).
pub fn path_requests(paths: &[String], sets_: &[PathSet]) -> Vec<(String, Option<PathSet>)> {
    let mut v: Vec<(String, Option<PathSet>)> = Vec::new();
    for s in sets_ {
        for p in sets::paths(*s) {
            v.push((p, Some(*s)));
        }
    }
    for p in paths {
        v.push((p.clone(), None));
    }
    v
}

/// Read a workspace file: `Ok(None)` when it does not exist.
fn read_workspace_file(dir: &Path, file: &str) -> Fact<Option<String>> {
    let path =
        crate::workspace::safe_join(dir, Path::new(file)).map_err(|e| FactError(e.to_string()))?;
    match std::fs::read(&path) {
        Ok(b) => Ok(Some(String::from_utf8_lossy(&b).to_string())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(FactError(format!("cannot read {}: {e}", path.display()))),
    }
}

async fn evaluate(
    spec: &CheckSpec,
    env: &CheckEnv<'_>,
    gatherer: Option<&mut Gatherer<'_>>,
) -> Outcome {
    use CheckKind as K;
    match &spec.kind {
        K::DockerfileStages { file, min } => {
            return eval::dockerfile_stages(file, *min, &read_workspace_file(env.lesson_dir, file))
        }
        K::DockerfileFinalBase { file, any_of } => {
            return eval::dockerfile_final_base(
                file,
                any_of,
                &read_workspace_file(env.lesson_dir, file),
            )
        }
        _ => {}
    }
    let Some(g) = gatherer else {
        let e = match env.engine {
            Err(e) => FactError(e.to_string()),
            Ok(_) => FactError("the engine is not available".into()),
        };
        return Outcome::error("could not be checked without the Docker engine", &e);
    };
    match &spec.kind {
        K::ImageExists { image } => eval::image_exists(image, &g.image(image).await),
        K::ImageSize { image, max, min } => {
            eval::image_size(image, *max, *min, &g.image(image).await)
        }
        K::ImageSizeRatio { image, of, max } => {
            let a = g.image(image).await;
            let b = g.image(of).await;
            eval::image_size_ratio(image, of, *max, &a, &b)
        }
        K::ImageLacks { image, paths, sets } => {
            let fi = g.image(image).await;
            let fp = path_facts(g, &fi, &path_requests(paths, sets)).await;
            eval::image_lacks(image, paths, sets, &fi, &fp)
        }
        K::ImageHas { image, paths } => {
            let fi = g.image(image).await;
            let fp = path_facts(g, &fi, &path_requests(paths, &[])).await;
            eval::image_has(image, paths, &fi, &fp)
        }
        K::ImageUser {
            image,
            not_root,
            user,
        } => eval::image_user(image, *not_root, user.as_deref(), &g.image(image).await),
        K::ImageLayers { image, max } => eval::image_layers(image, *max, &g.image(image).await),
        K::ImagePackages { image, max } => {
            let fi = g.image(image).await;
            let fp = match &fi {
                Ok(Some(info)) => g.packages(info).await,
                Ok(None) => Ok(Default::default()),
                Err(e) => Err(e.clone()),
            };
            eval::image_packages(image, *max, &fi, &fp)
        }
        K::ImageHistory { image, patterns } => {
            let fi = g.image(image).await;
            let fh = match &fi {
                Ok(Some(info)) => g.history(info).await,
                Ok(None) => Ok(Vec::new()),
                Err(e) => Err(e.clone()),
            };
            hardening::image_history(image, patterns, &fi, &fh)
        }
        K::ImageRun {
            image,
            args,
            stdin,
            stdout_contains,
            stdout_equals,
            exit_code,
            timeout,
        } => {
            let fi = g.image(image).await;
            let fr = match &fi {
                Ok(Some(info)) => g.run(info, args, stdin.as_deref(), *timeout).await,
                Ok(None) => Ok(Default::default()),
                Err(e) => Err(e.clone()),
            };
            let rs = eval::RunSpec {
                image,
                args,
                stdin: stdin.as_deref(),
                stdout_contains: stdout_contains.as_deref(),
                stdout_equals: stdout_equals.as_deref(),
                exit_code: *exit_code,
                timeout: *timeout,
            };
            eval::image_run(&rs, &fi, &fr)
        }
        K::DockerfileStages { .. } | K::DockerfileFinalBase { .. } => unreachable_offline(),
        K::ContainerRunning { container, image } => {
            let fc = g.container(container).await;
            let fi = match image {
                Some(i) => Some(g.image(i).await),
                None => None,
            };
            eval::container_running(container, image.as_deref(), &fc, fi.as_ref())
        }
        K::ContainerNetworkMode { container, mode } => {
            eval::container_network_mode(container, mode, &g.container(container).await)
        }
        K::ContainerNetworks {
            container,
            includes,
            excludes,
        } => eval::container_networks(container, includes, excludes, &g.container(container).await),
        K::ContainerPort {
            container,
            port,
            host_port,
            reachable,
        } => {
            let fc = g.container(container).await;
            let reach = match (&fc, reachable) {
                (Ok(Some(c)), true) => match eval::chosen_binding(c, port, *host_port) {
                    Some((ip, hp)) => Some(g.port_reach(&ip, hp).await),
                    None => None,
                },
                _ => None,
            };
            eval::container_port(container, port, *host_port, *reachable, &fc, reach.as_ref())
        }
        K::ContainerSecurity { container, spec } => {
            let fc = g.container(container).await;
            let kind = crate::engine::kind::kind_or_cautious(g.engine).await;
            hardening::container_security(container, spec, kind.default_capabilities(), &fc)
        }
        K::ContainerShares {
            container,
            target,
            namespaces,
        } => {
            let fc = g.container(container).await;
            let ft = g.container(target).await;
            hardening::container_shares(container, target, namespaces, &fc, &ft)
        }
        K::NetworkExists {
            network,
            driver,
            scope,
            internal,
            attachable,
            subnet,
            gateway,
            options,
        } => {
            let ns = eval::NetworkSpec {
                driver: driver.as_deref(),
                scope: scope.as_deref(),
                internal: *internal,
                attachable: *attachable,
                subnet: subnet.as_deref(),
                gateway: gateway.as_deref(),
                options: options
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect(),
            };
            eval::network_exists(network, &ns, &g.network(network).await)
        }
        K::NetworkAbsent { network } => eval::network_absent(network, &g.network(network).await),
        K::NetworkReach {
            from_network,
            to,
            port,
            expect,
        } => eval::network_reach(
            from_network,
            to,
            *port,
            *expect,
            &g.reach(from_network, to, *port).await,
        ),
        K::NetworkResolves {
            network,
            name,
            expect,
        } => eval::network_resolves(network, name, *expect, &g.resolves(network, name).await),
        K::SwarmActive => eval::swarm_active(&g.swarm().await),
    }
}

fn unreachable_offline() -> Outcome {
    Outcome::error(
        "",
        &FactError("internal: an offline check reached the engine path".into()),
    )
}

async fn path_facts(
    g: &mut Gatherer<'_>,
    fi: &Fact<Option<facts::ImageFacts>>,
    reqs: &[(String, Option<PathSet>)],
) -> Fact<Vec<facts::PathMatch>> {
    match fi {
        Ok(Some(info)) => g.paths(info, reqs).await,
        Ok(None) => Ok(vec![]),
        Err(e) => Err(e.clone()),
    }
}
