//! `dockdojo list`.

use serde::Serialize;

use super::{load_pack_or_report, Ctx, EXIT_OK};
use crate::engine::{Engine, EngineError};
use crate::lesson::Lesson;
use crate::sanitize::clean_line;

/// What the engine's platform can do, as far as lesson `requires` go.
#[derive(Debug, Clone, Default)]
pub struct PlatformFacts {
    /// e.g. "Debian GNU/Linux 12 (bookworm), linux/x86_64".
    pub description: String,
    pub linux: bool,
    pub docker_desktop: bool,
    pub rootless: bool,
    pub swarm_manager: bool,
}

/// Ask the engine what platform it runs on.
pub async fn platform_facts(engine: &Engine) -> Result<PlatformFacts, EngineError> {
    let info = engine
        .docker
        .info()
        .await
        .map_err(|e| EngineError::from_bollard(&engine.endpoint, e))?;
    let os = info.operating_system.clone().unwrap_or_default();
    let os_type = info.os_type.clone().unwrap_or_default();
    let arch = info.architecture.clone().unwrap_or_default();
    let rootless = info
        .security_options
        .as_ref()
        .is_some_and(|o| o.iter().any(|s| s.contains("rootless")));
    let swarm_manager = info.swarm.as_ref().is_some_and(|s| {
        s.local_node_state == Some(bollard::models::LocalNodeState::ACTIVE)
            && s.control_available == Some(true)
    });
    let docker_desktop = os.contains("Docker Desktop");
    let mut description = format!("{os}, {os_type}/{arch}");
    if rootless {
        description.push_str(", rootless");
    }
    if swarm_manager {
        description.push_str(", swarm manager");
    }
    Ok(PlatformFacts {
        description,
        linux: os_type == "linux",
        docker_desktop,
        rootless,
        swarm_manager,
    })
}

/// The lesson's `requires` this platform cannot meet, each with what to do.
pub fn unmet_requirements(facts: &PlatformFacts, lesson: &Lesson) -> Vec<String> {
    lesson
        .requires
        .iter()
        .filter_map(|r| {
            let why = match r.as_str() {
                "swarm" if !facts.swarm_manager => {
                    "swarm: this engine is not a swarm manager (run `docker swarm init`)"
                }
                "linux-host-network" if facts.docker_desktop || !facts.linux => {
                    "linux-host-network: host networking here is not the Linux host's network (Docker Desktop runs a VM); use a Linux machine or VM"
                }
                "macvlan" if facts.docker_desktop || !facts.linux => {
                    "macvlan: needs a Linux host's network interface; Docker Desktop cannot attach containers to your LAN this way"
                }
                "macvlan" if facts.rootless => {
                    "macvlan: rootless Docker cannot create macvlan networks; use rootful Docker"
                }
                "swarm" | "linux-host-network" | "macvlan" => return None,
                _ => return Some(format!("{}: unknown requirement", clean_line(r))),
            };
            Some(why.to_string())
        })
        .collect()
}

#[derive(Debug, Serialize)]
struct Row {
    number: usize,
    id: String,
    folder: String,
    title: String,
    status: &'static str,
    passed_at: Option<String>,
    /// null when the engine could not be asked.
    unmet_requirements: Option<Vec<String>>,
}

pub async fn run(ctx: &Ctx, json: bool) -> anyhow::Result<i32> {
    let pack = match load_pack_or_report(ctx) {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let progress = crate::progress::load(&ctx.home);
    let needs_engine = pack.lessons.iter().any(|l| !l.requires.is_empty());
    let facts: Option<Result<PlatformFacts, EngineError>> = if needs_engine {
        Some(match crate::engine::connect().await {
            Ok(engine) => platform_facts(&engine).await,
            Err(e) => Err(e),
        })
    } else {
        None
    };
    let rows: Vec<Row> = pack
        .lessons
        .iter()
        .enumerate()
        .map(|(i, l)| Row {
            number: i + 1,
            id: l.id.clone(),
            folder: l.dir_name.clone(),
            title: l.title.clone(),
            status: progress.status(&l.id).as_str(),
            passed_at: progress
                .lessons
                .get(&l.id)
                .and_then(|p| p.passed_at.clone()),
            unmet_requirements: match &facts {
                None => Some(vec![]),
                Some(Ok(f)) => Some(unmet_requirements(f, l)),
                Some(Err(_)) if l.requires.is_empty() => Some(vec![]),
                Some(Err(_)) => None,
            },
        })
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(EXIT_OK);
    }
    println!("{}", clean_line(&pack.manifest.title));
    let idw = rows.iter().map(|r| r.id.chars().count()).max().unwrap_or(2);
    for r in &rows {
        let mark = match r.status {
            "passed" => "✔",
            "failing" => "✘",
            _ => " ",
        };
        println!(
            "{mark} {:>2}. {:<idw$}  {:<11}  {}",
            r.number,
            clean_line(&r.id),
            r.status,
            clean_line(&r.title)
        );
        match &r.unmet_requirements {
            Some(unmet) => {
                for u in unmet {
                    println!("        needs {}", clean_line(u));
                }
            }
            None => println!(
                "        needs {} (engine unreachable, cannot tell whether this platform has it)",
                pack.lessons[r.number - 1].requires.join(", ")
            ),
        }
    }
    let passed = rows.iter().filter(|r| r.status == "passed").count();
    println!("\n{passed} of {} lessons passed.", rows.len());
    if let Some(Err(e)) = &facts {
        println!(
            "The engine could not be asked about platform requirements: {}",
            clean_line(&e.to_string())
        );
    }
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::Creates;

    fn lesson(requires: &[&str]) -> Lesson {
        Lesson {
            id: "x".into(),
            dir_name: "01-x".into(),
            title: "X".into(),
            summary: String::new(),
            images: vec![],
            requires: requires.iter().map(|s| s.to_string()).collect(),
            creates: Creates::default(),
            hints: vec![],
            checks: vec![],
            body: String::new(),
            body_line: 1,
            starter: vec![],
            solution: vec![],
        }
    }

    #[test]
    fn requirements_by_platform() {
        let linux = PlatformFacts {
            linux: true,
            ..Default::default()
        };
        let desktop = PlatformFacts {
            linux: true,
            docker_desktop: true,
            swarm_manager: true,
            ..Default::default()
        };
        let l = lesson(&["swarm", "macvlan", "linux-host-network"]);
        let u = unmet_requirements(&linux, &l);
        assert_eq!(u.len(), 1);
        assert!(u[0].starts_with("swarm:"), "{u:?}");
        let u = unmet_requirements(&desktop, &l);
        assert_eq!(u.len(), 2, "{u:?}");
        assert!(u.iter().all(|s| s.contains("Docker Desktop")));
        assert!(unmet_requirements(&linux, &lesson(&[])).is_empty());
        assert!(unmet_requirements(&linux, &lesson(&["teleport"]))[0].contains("unknown"));
    }
}
