//! `dockdojo image IMAGE [--json]`: image anatomy.

use serde::Serialize;

use super::{Ctx, EXIT_CANNOT, EXIT_FAIL, EXIT_OK};
use crate::check::eval::normalize_image;
use crate::check::facts::PackageCount;
use crate::check::gather::{inspect_image, Gatherer};
use crate::check::{path_requests, sets};
use crate::lesson::size::format_size;
use crate::lesson::PathSet;
use crate::sanitize::{clean, clean_line};

#[derive(Debug, Serialize)]
pub struct Anatomy {
    pub image: String,
    pub id: String,
    pub size: u64,
    pub user: String,
    pub layers: Vec<Layer>,
    /// Set name -> paths found.
    pub found: std::collections::BTreeMap<String, Vec<String>>,
    pub packages: PackageCount,
}

#[derive(Debug, Serialize)]
pub struct Layer {
    /// The instruction that made it.
    pub created_by: String,
    pub size: u64,
    /// True for metadata-only steps (ENV, CMD...), which add no files.
    pub empty: bool,
}

pub use crate::check::anatomy::instruction;

pub async fn run(_ctx: &Ctx, image: &str, json: bool) -> anyhow::Result<i32> {
    let engine = match crate::engine::connect().await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("dockdojo: {}", clean(&e.to_string()));
            return Ok(EXIT_CANNOT);
        }
    };
    let reference = normalize_image(image);
    let info = match inspect_image(&engine, &reference).await {
        Ok(Some(i)) => i,
        Ok(None) => {
            eprintln!(
                "dockdojo: there is no image named {}; see `docker images`, or build it with `docker build -t {} .`",
                clean_line(&reference),
                clean_line(image)
            );
            return Ok(EXIT_FAIL);
        }
        Err(e) => {
            eprintln!("dockdojo: {}", clean(&e.0));
            return Ok(EXIT_CANNOT);
        }
    };
    let history = match crate::engine::images::history(&engine, &info.id).await {
        Ok(h) => h,
        Err(e) => {
            eprintln!("dockdojo: {}", clean(&e.to_string()));
            return Ok(EXIT_CANNOT);
        }
    };
    let layers: Vec<Layer> = history
        .iter()
        .map(|h| Layer {
            created_by: instruction(&h.created_by),
            size: h.size,
            empty: h.size == 0,
        })
        .collect();
    let mut g = Gatherer::new(&engine, "", "");
    let found_paths = match g.paths(&info, &path_requests(&[], &PathSet::ALL)).await {
        Ok(p) => p,
        Err(e) => {
            eprintln!("dockdojo: {}", clean(&e.0));
            return Ok(EXIT_CANNOT);
        }
    };
    let packages = match g.packages(&info).await {
        Ok(p) => p,
        Err(e) => {
            eprintln!("dockdojo: {}", clean(&e.0));
            return Ok(EXIT_CANNOT);
        }
    };
    let found = crate::check::anatomy::tools_found(&found_paths)
        .into_iter()
        .map(|(set, v)| (set.name().to_string(), v))
        .collect();
    let a = Anatomy {
        image: reference,
        id: info.id.clone(),
        size: info.size,
        user: info.user.clone(),
        layers,
        found,
        packages,
    };
    if json {
        super::check::print_stdout(&format!("{}\n", serde_json::to_string_pretty(&a)?));
    } else {
        super::check::print_stdout(&render(&a));
    }
    Ok(EXIT_OK)
}

fn bar(size: u64, max: u64, width: usize) -> String {
    if max == 0 || size == 0 {
        return String::new();
    }
    let eighths = ((size as f64 / max as f64) * (width * 8) as f64).round() as usize;
    let eighths = eighths.max(1);
    let full = eighths / 8;
    let rest = eighths % 8;
    let mut s = "█".repeat(full);
    if rest > 0 {
        s.push(['▏', '▎', '▍', '▌', '▋', '▊', '▉'][rest - 1]);
    }
    s
}

/// The human anatomy report.
pub fn render(a: &Anatomy) -> String {
    let mut o = String::new();
    let id = a.id.strip_prefix("sha256:").unwrap_or(&a.id);
    o.push_str(&format!(
        "{}  {}  (id {})\n",
        clean_line(&a.image),
        format_size(a.size),
        &id[..id.len().min(12)]
    ));
    o.push_str(&format!(
        "user: {}\n\n",
        if crate::check::eval::is_root_user(&a.user) {
            format!(
                "root ({})",
                if a.user.is_empty() {
                    "not set"
                } else {
                    &a.user
                }
            )
        } else {
            clean_line(&a.user)
        }
    ));
    let max = a.layers.iter().map(|l| l.size).max().unwrap_or(0);
    let files = a.layers.iter().filter(|l| !l.empty).count();
    o.push_str(&format!(
        "{} step{}, {files} adding files (size per step, build order):\n",
        a.layers.len(),
        if a.layers.len() == 1 { "" } else { "s" }
    ));
    for l in &a.layers {
        let mut instr = if l.created_by.is_empty() {
            "(no instruction recorded: an imported or base layer)".to_string()
        } else {
            clean_line(&l.created_by)
        };
        if instr.chars().count() > 70 {
            instr = instr.chars().take(69).collect::<String>() + "…";
        }
        let size = if l.empty {
            "—".to_string()
        } else {
            format_size(l.size)
        };
        o.push_str(&format!(
            "  {size:>9}  {:<24}  {instr}\n",
            bar(l.size, max, 24)
        ));
    }
    o.push('\n');
    for set in PathSet::ALL {
        let v = a.found.get(set.name()).cloned().unwrap_or_default();
        let label = format!("{}:", set.name().replace('_', " "));
        if v.is_empty() {
            o.push_str(&format!(
                "  {label:<17} none ({} would be found here)\n",
                sets::describe(set)
            ));
        } else {
            o.push_str(&format!("  {label:<17} {}\n", clean_line(&v.join(", "))));
        }
    }
    let db = if a.packages.sources.is_empty() {
        "no package database".to_string()
    } else {
        a.packages.sources.join(", ")
    };
    o.push_str(&format!(
        "  {:<17} {} ({db})\n",
        "OS packages:", a.packages.count
    ));
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_layer() {
        assert_eq!(bar(100, 100, 4), "████");
        assert_eq!(bar(50, 100, 4), "██");
        assert_eq!(bar(1, 100, 4), "▏");
        assert_eq!(bar(0, 100, 4), "");
    }

    #[test]
    fn report_lists_layers_sets_and_packages() {
        let mut found = std::collections::BTreeMap::new();
        found.insert("shell".to_string(), vec!["/bin/sh".to_string()]);
        let a = Anatomy {
            image: "calc:latest".into(),
            id: "sha256:0123456789abcdef".into(),
            size: 462_300_000,
            user: String::new(),
            layers: vec![
                Layer {
                    created_by: "ADD file:abc in /".into(),
                    size: 400_000_000,
                    empty: false,
                },
                Layer {
                    created_by: "CMD [\"sh\"]".into(),
                    size: 0,
                    empty: true,
                },
            ],
            found,
            packages: PackageCount {
                count: 88,
                sources: vec!["/var/lib/dpkg/status".into()],
            },
        };
        let r = render(&a);
        assert!(
            r.starts_with("calc:latest  462.3 MB  (id 0123456789ab)"),
            "{r}"
        );
        assert!(
            r.contains("400 MB  ████████████████████████  ADD file:abc in /"),
            "{r}"
        );
        assert!(r.contains("shell:            /bin/sh"), "{r}");
        assert!(r.contains("compilers:        none"), "{r}");
        assert!(
            r.contains("OS packages:      88 (/var/lib/dpkg/status)"),
            "{r}"
        );
        assert!(r.contains("user: root (not set)"), "{r}");
    }
}
