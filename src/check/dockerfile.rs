//! A small Dockerfile reader: enough to find the build stages and what each
//! starts FROM (line continuations, comments, heredocs, global `ARG`s).

use std::collections::HashMap;

/// One `FROM` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// The base as written, with global `ARG` defaults substituted.
    pub base: String,
    /// `AS name`, lower-cased (stage names are case-insensitive).
    pub name: Option<String>,
    /// 1-based line of the `FROM`.
    pub line: usize,
}

/// The stages of a Dockerfile, in order.
pub fn stages(text: &str) -> Vec<Stage> {
    let mut out = Vec::new();
    let mut args: HashMap<String, String> = HashMap::new();
    let escape = escape_char(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        let trimmed = lines[i].trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            i += 1;
            continue;
        }
        // join continuation lines
        let mut logical = String::new();
        loop {
            let l = lines[i];
            let t = l.trim_end();
            i += 1;
            if let Some(stripped) = t.strip_suffix(escape) {
                logical.push_str(stripped);
                logical.push(' ');
                // skip comment lines inside a continued instruction
                while i < lines.len() && lines[i].trim_start().starts_with('#') {
                    i += 1;
                }
                if i >= lines.len() {
                    break;
                }
            } else {
                logical.push_str(t);
                break;
            }
        }
        // heredocs: skip their bodies
        for term in heredoc_terminators(&logical) {
            while i < lines.len() && lines[i].trim() != term {
                i += 1;
            }
            i += 1;
        }
        let mut words = logical.split_whitespace();
        let Some(instr) = words.next() else { continue };
        match instr.to_ascii_uppercase().as_str() {
            "ARG" if out.is_empty() => {
                for w in words {
                    if let Some((k, v)) = w.split_once('=') {
                        args.insert(k.to_string(), unquote(v).to_string());
                    }
                }
            }
            "FROM" => {
                let rest: Vec<&str> = words.filter(|w| !w.starts_with("--")).collect();
                let Some(base) = rest.first() else { continue };
                let name = match (rest.get(1), rest.get(2)) {
                    (Some(a), Some(n)) if a.eq_ignore_ascii_case("as") => {
                        Some(n.to_ascii_lowercase())
                    }
                    _ => None,
                };
                out.push(Stage {
                    base: substitute(base, &args),
                    name,
                    line: start + 1,
                });
            }
            _ => {}
        }
    }
    out
}

/// The final stage's base, following references to earlier stages
/// (`FROM builder`). Returns (as written, resolved).
pub fn final_base(stages: &[Stage]) -> Option<(String, String)> {
    let last = stages.last()?;
    let mut base = last.base.clone();
    let mut hops = 0;
    let mut upto = stages.len() - 1;
    while hops < stages.len() {
        let lower = base.to_ascii_lowercase();
        match stages[..upto]
            .iter()
            .rposition(|s| s.name.as_deref() == Some(lower.as_str()))
        {
            Some(idx) => {
                base = stages[idx].base.clone();
                upto = idx;
            }
            None => break,
        }
        hops += 1;
    }
    Some((last.base.clone(), base))
}

/// Spellings an image reference may be matched under: as written, without
/// tag or digest, with the default tag, without the Docker Hub prefix.
pub fn reference_spellings(r: &str) -> Vec<String> {
    let mut v = vec![r.to_string()];
    let short = r
        .strip_prefix("docker.io/library/")
        .or_else(|| r.strip_prefix("docker.io/"))
        .unwrap_or(r);
    v.push(short.to_string());
    for s in [r, short] {
        let no_digest = s.split('@').next().unwrap_or(s);
        let last_slash = no_digest.rfind('/').map(|p| p + 1).unwrap_or(0);
        let (repo, tag) = match no_digest[last_slash..].find(':') {
            Some(c) => (
                &no_digest[..last_slash + c],
                Some(&no_digest[last_slash + c + 1..]),
            ),
            None => (no_digest, None),
        };
        v.push(repo.to_string());
        if tag.is_none() && !s.contains('@') {
            v.push(format!("{repo}:latest"));
        }
    }
    v.sort();
    v.dedup();
    v
}

fn escape_char(text: &str) -> char {
    for l in text.lines() {
        let t = l.trim();
        let Some(d) = t.strip_prefix('#') else { break };
        let d = d.trim().to_ascii_lowercase();
        if let Some(v) = d.strip_prefix("escape=") {
            if v.trim() == "`" {
                return '`';
            }
        }
    }
    '\\'
}

fn heredoc_terminators(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(p) = rest.find("<<") {
        let after = &rest[p + 2..];
        let after = after.strip_prefix('-').unwrap_or(after);
        let word: String = after
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !word.is_empty()
            && word
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase() || c == '_')
        {
            out.push(word);
        }
        rest = after;
    }
    out
}

fn unquote(v: &str) -> &str {
    v.trim_matches(|c| c == '"' || c == '\'')
}

fn substitute(s: &str, args: &HashMap<String, String>) -> String {
    let mut out = String::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            let (name, default, end) = if b.get(i + 1) == Some(&b'{') {
                match s[i + 2..].find('}') {
                    Some(close) => {
                        let inner = &s[i + 2..i + 2 + close];
                        let (n, d) = match inner.split_once(":-") {
                            Some((n, d)) => (n.to_string(), Some(d.to_string())),
                            None => (inner.to_string(), None),
                        };
                        (n, d, i + 3 + close)
                    }
                    None => (String::new(), None, i + 1),
                }
            } else {
                let n: String = s[i + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                let len = n.len();
                (n, None, i + 1 + len)
            };
            if name.is_empty() {
                out.push('$');
                i += 1;
                continue;
            }
            if let Some(v) = args
                .get(&name)
                .filter(|v| !v.is_empty())
                .cloned()
                .or(default)
            {
                out.push_str(&v);
            }
            i = end;
        } else {
            let c = s[i..].chars().next().unwrap_or('\u{fffd}');
            out.push(c);
            i += c.len_utf8().max(1);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MULTI: &str = "# syntax=docker/dockerfile:1\n\
        ARG GO=1.22\n\
        FROM golang:${GO}-bookworm AS Builder\n\
        WORKDIR /src\n\
        RUN go build \\\n\
        # a comment in a continuation\n\
          -o /calc .\n\
        RUN <<EOF\n\
        FROM not-a-stage\n\
        EOF\n\
        from --platform=$BUILDPLATFORM builder as test\n\
        FROM scratch\n\
        COPY --from=builder /calc /calc\n";

    #[test]
    fn finds_stages_names_and_lines() {
        let s = stages(MULTI);
        assert_eq!(s.len(), 3, "{s:?}");
        assert_eq!(s[0].base, "golang:1.22-bookworm");
        assert_eq!(s[0].name.as_deref(), Some("builder"));
        assert_eq!(s[0].line, 3);
        assert_eq!(s[1].base, "builder");
        assert_eq!(s[1].name.as_deref(), Some("test"));
        assert_eq!(s[2].base, "scratch");
        assert_eq!(final_base(&s), Some(("scratch".into(), "scratch".into())));
    }

    #[test]
    fn final_stage_that_names_an_earlier_stage_resolves() {
        let s = stages("FROM debian AS base\nFROM base AS final\n");
        assert_eq!(final_base(&s), Some(("base".into(), "debian".into())));
        assert!(final_base(&stages("# only a comment\n")).is_none());
    }

    #[test]
    fn spellings_cover_default_tag_and_hub_prefix() {
        let v = reference_spellings("docker.io/library/busybox");
        assert!(v.contains(&"busybox".to_string()));
        assert!(v.contains(&"busybox:latest".to_string()));
        let v = reference_spellings("gcr.io/distroless/static-debian12:nonroot");
        assert!(v.contains(&"gcr.io/distroless/static-debian12".to_string()));
        let v = reference_spellings("localhost:5000/app");
        assert!(v.contains(&"localhost:5000/app:latest".to_string()));
    }
}
