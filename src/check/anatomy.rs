//! Image anatomy: an image's build steps with their sizes, the image its
//! final stage starts from, and the kinds of tools it carries. Built from
//! the facts checks gather ([`gather`] reads what a check run already
//! asked; it scans an image only when told to), and shared with `dockdojo
//! image`.

use std::collections::{BTreeMap, HashSet};

use futures_util::StreamExt;

use super::facts::{Fact, PathMatch};
use super::gather::{inspect_image, known_paths, Gatherer};
use super::path_requests;
use crate::engine::images::Step;
use crate::engine::Engine;
use crate::lesson::PathSet;

/// One image, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anatomy {
    /// The name the lesson uses.
    pub image: String,
    pub id: String,
    /// Unpacked bytes.
    pub size: u64,
    /// Build steps, oldest first.
    pub steps: Vec<Step>,
    /// The image the final stage starts `FROM`, when the engine has it.
    pub base: Option<Base>,
    /// Per kind of tool, in [`PathSet::ALL`] order.
    pub tools: Vec<Tools>,
}

/// The final stage's base: a local image whose whole history this image's
/// history starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    pub name: String,
    /// How many of the image's first steps are the base's.
    pub steps: usize,
}

/// What was found of one kind of tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tools {
    pub set: PathSet,
    /// The paths present; `None` when no scan has looked yet.
    pub found: Option<Vec<String>>,
}

impl Anatomy {
    /// The base's steps and the image's own.
    pub fn split_steps(&self) -> (&[Step], &[Step]) {
        let n = self
            .base
            .as_ref()
            .map_or(0, |b| b.steps)
            .min(self.steps.len());
        self.steps.split_at(n)
    }
}

/// One image the anatomy was asked about: its anatomy, `None` when there is
/// no such image, or why it could not be read.
pub type ImageFact = (String, Fact<Option<Anatomy>>);

/// A build step as the Dockerfile said it: `/bin/sh -c #(nop) CMD ["sh"]`
/// -> `CMD ["sh"]`, `/bin/sh -c apt-get ...` -> `RUN apt-get ...` (the
/// classic builder); `RUN |1 GO=1 /bin/sh -c go build . # buildkit` -> `RUN
/// go build .` (BuildKit).
pub fn instruction(created_by: &str) -> String {
    let s = created_by.trim();
    let s = s.strip_suffix("# buildkit").map_or(s, str::trim_end);
    if let Some(rest) = s.strip_prefix("/bin/sh -c #(nop) ") {
        return rest.trim().to_string();
    }
    let run = s.strip_prefix("RUN ").unwrap_or(s);
    if let Some(rest) = run.strip_prefix("/bin/sh -c ") {
        return format!("RUN {}", rest.trim());
    }
    // With build arguments: `|1 GO=1.22 /bin/sh -c go build`.
    if let Some(rest) = run.strip_prefix('|') {
        if let Some(p) = rest.find("/bin/sh -c ") {
            return format!("RUN {}", rest[p + 11..].trim());
        }
    }
    s.to_string()
}

/// The paths found per kind of tool, each file once: on merged-/usr images
/// `/bin/sh` and `/usr/bin/sh` are one file, listed under the first spelling.
pub fn tools_found(matches: &[PathMatch]) -> BTreeMap<PathSet, Vec<String>> {
    let mut seen = HashSet::new();
    let mut found = BTreeMap::new();
    for set in PathSet::ALL {
        let mut v: Vec<String> = Vec::new();
        for m in matches.iter().filter(|m| m.set == Some(set)) {
            for (i, p) in m.present.iter().enumerate() {
                if seen.insert(m.canonical.get(i).unwrap_or(p).clone()) {
                    v.push(p.clone());
                }
            }
        }
        found.insert(set, v);
    }
    found
}

/// Which of `candidates` (name, steps) is the base of an image with `steps`:
/// the one with the most steps whose whole history starts this one's.
pub fn find_base(steps: &[Step], candidates: &[(String, Vec<Step>)]) -> Option<Base> {
    let same = |a: &Step, b: &Step| a.created_by == b.created_by && a.size == b.size;
    candidates
        .iter()
        .filter(|(_, c)| {
            !c.is_empty() && c.len() < steps.len() && c.iter().zip(steps).all(|(a, b)| same(a, b))
        })
        .max_by_key(|(_, c)| c.len())
        .map(|(name, c)| Base {
            name: name.clone(),
            steps: c.len(),
        })
}

/// The anatomy of each of `images`. `candidates` are the local images that
/// may be a base, as (name, id): their histories are asked once per process.
/// With `scan`, the kinds of tools no check looked for are scanned now (one
/// scan container per image); without, they stay unknown and no scan runs.
pub async fn gather(
    engine: &Engine,
    lesson: &str,
    images: &[String],
    candidates: &[(String, String)],
    scan: bool,
) -> Vec<ImageFact> {
    let mut out = Vec::new();
    let mut g = Gatherer::new(engine, lesson, "");
    for image in images {
        let fact = match inspect_image(engine, &super::eval::normalize_image(image)).await {
            Err(e) => Err(e),
            Ok(None) => Ok(None),
            Ok(Some(info)) => one(engine, &mut g, image, info, candidates, scan).await,
        };
        out.push((image.clone(), fact));
    }
    out
}

async fn one(
    engine: &Engine,
    g: &mut Gatherer<'_>,
    image: &str,
    info: super::facts::ImageFacts,
    candidates: &[(String, String)],
    scan: bool,
) -> Fact<Option<Anatomy>> {
    let steps = crate::engine::images::history(engine, &info.id).await?;
    // Each history is asked once per process.
    let asks: Vec<(String, String)> = candidates
        .iter()
        .filter(|(_, id)| *id != info.id)
        .cloned()
        .collect();
    let bases: Vec<(String, Vec<Step>)> = futures_util::stream::iter(asks)
        .map(|(name, id)| async move {
            let steps = crate::engine::images::history(engine, &id)
                .await
                .unwrap_or_default();
            (name, steps)
        })
        .buffered(8)
        .collect()
        .await;
    let reqs = path_requests(&[], &PathSet::ALL);
    let known = known_paths(&info.id, &reqs);
    let complete = |set: PathSet| {
        reqs.iter()
            .zip(&known)
            .filter(|((_, s), _)| *s == Some(set))
            .all(|(_, k)| k.is_some())
    };
    let missing: Vec<PathSet> = PathSet::ALL.into_iter().filter(|s| !complete(*s)).collect();
    let matches: Vec<PathMatch> = if scan && !missing.is_empty() {
        g.paths(&info, &reqs).await?
    } else {
        known.into_iter().flatten().collect()
    };
    let found = tools_found(&matches);
    let tools = PathSet::ALL
        .into_iter()
        .map(|set| Tools {
            set,
            found: (scan || !missing.contains(&set)).then(|| found[&set].clone()),
        })
        .collect();
    Ok(Some(Anatomy {
        image: image.to_string(),
        id: info.id.clone(),
        size: info.size,
        base: find_base(&steps, &bases),
        steps,
        tools,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(by: &str, size: u64) -> Step {
        Step {
            created_by: by.into(),
            size,
        }
    }

    #[test]
    fn instructions_are_trimmed() {
        assert_eq!(
            instruction("/bin/sh -c #(nop)  CMD [\"sh\"]"),
            "CMD [\"sh\"]"
        );
        assert_eq!(
            instruction("/bin/sh -c apt-get update"),
            "RUN apt-get update"
        );
        assert_eq!(
            instruction("|1 GO=1 /bin/sh -c go build ."),
            "RUN go build ."
        );
        assert_eq!(
            instruction("COPY /calc /calc # buildkit"),
            "COPY /calc /calc"
        );
        assert_eq!(
            instruction("RUN |1 GO=1 /bin/sh -c go build -o /calc . # buildkit"),
            "RUN go build -o /calc ."
        );
        assert_eq!(
            instruction("RUN /bin/sh -c apk add curl # buildkit"),
            "RUN apk add curl"
        );
        assert_eq!(
            instruction("RUN --mount=type=cache,target=/root/.cache go build # buildkit"),
            "RUN --mount=type=cache,target=/root/.cache go build"
        );
    }

    #[test]
    fn the_base_is_the_longest_whole_history_this_one_starts_with() {
        let debian = vec![step("ADD rootfs.tar.xz /", 80)];
        let golang = vec![
            step("ADD rootfs.tar.xz /", 80),
            step("RUN apt-get install gcc", 200),
        ];
        let sibling = vec![
            step("ADD rootfs.tar.xz /", 80),
            step("RUN apt-get install curl", 20),
        ];
        let image = vec![
            step("ADD rootfs.tar.xz /", 80),
            step("RUN apt-get install gcc", 200),
            step("COPY . /src", 1),
            step("RUN go build", 5),
        ];
        let candidates = vec![
            ("debian:trixie-slim".to_string(), debian),
            ("golang:1.25-trixie".to_string(), golang.clone()),
            ("curl-box".to_string(), sibling),
            ("rebuilt-same".to_string(), image.clone()),
        ];
        assert_eq!(
            find_base(&image, &candidates),
            Some(Base {
                name: "golang:1.25-trixie".into(),
                steps: 2
            })
        );
        assert_eq!(find_base(&[step("COPY /calc /calc", 2)], &candidates), None);
    }

    #[test]
    fn a_file_under_two_spellings_is_one_tool() {
        let m = |pattern: &str, set, present: &[&str], canonical: &[&str]| PathMatch {
            pattern: pattern.into(),
            set: Some(set),
            present: present.iter().map(|s| s.to_string()).collect(),
            canonical: canonical.iter().map(|s| s.to_string()).collect(),
        };
        let found = tools_found(&[
            m("/bin/sh", PathSet::Shell, &["/bin/sh"], &["/usr/bin/sh"]),
            m(
                "/usr/bin/sh",
                PathSet::Shell,
                &["/usr/bin/sh"],
                &["/usr/bin/sh"],
            ),
            m(
                "/usr/bin/apt",
                PathSet::PackageManager,
                &["/usr/bin/apt"],
                &[],
            ),
        ]);
        assert_eq!(found[&PathSet::Shell], ["/bin/sh"]);
        assert_eq!(found[&PathSet::PackageManager], ["/usr/bin/apt"]);
        assert!(found[&PathSet::Compilers].is_empty());
    }
}
