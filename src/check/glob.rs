//! Path patterns of `image.lacks` / `image.has`: `*` matches within one path
//! segment, `**` (a whole segment) matches any number of segments.

/// True when the path holds a wildcard and needs a directory listing.
pub fn is_glob(path: &str) -> bool {
    path.contains('*')
}

/// Normalise an absolute path: leading `/`, no empty or `.` segments, no trailing `/`.
pub fn normalize(path: &str) -> String {
    crate::engine::fs::normalize_path(path)
}

/// The longest leading directory without wildcards (`/` when the first
/// segment already has one). Everything a pattern can match lies under it.
pub fn literal_prefix(pattern: &str) -> String {
    let norm = normalize(pattern);
    let segs: Vec<&str> = norm.split('/').filter(|s| !s.is_empty()).collect();
    let mut out = Vec::new();
    for s in &segs {
        if s.contains('*') {
            break;
        }
        out.push(*s);
    }
    if out.len() == segs.len() {
        // no wildcard at all: the parent directory
        out.pop();
    }
    format!("/{}", out.join("/"))
}

/// Does `path` match `pattern`? Both absolute.
pub fn matches(pattern: &str, path: &str) -> bool {
    let p = normalize(pattern);
    let t = normalize(path);
    let ps: Vec<&str> = p.split('/').filter(|s| !s.is_empty()).collect();
    let ts: Vec<&str> = t.split('/').filter(|s| !s.is_empty()).collect();
    match_segs(&ps, &ts)
}

fn match_segs(p: &[&str], t: &[&str]) -> bool {
    match p.first() {
        None => t.is_empty(),
        Some(&"**") => (0..=t.len()).any(|i| match_segs(&p[1..], &t[i..])),
        Some(seg) => match t.first() {
            Some(ts) if match_segment(seg.as_bytes(), ts.as_bytes()) => {
                match_segs(&p[1..], &t[1..])
            }
            _ => false,
        },
    }
}

/// `*` matches any run of characters inside one segment.
fn match_segment(p: &[u8], t: &[u8]) -> bool {
    // iterative wildcard matching with backtracking to the last star
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

/// `*` wildcard over a whole string (used for `dockerfile.final_base`),
/// where `*` matches any characters including `/`.
pub fn wildcard(pattern: &str, text: &str) -> bool {
    match_segment(pattern.as_bytes(), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_stays_inside_a_segment() {
        assert!(matches("/usr/lib/go-*", "/usr/lib/go-1.22"));
        assert!(matches("/usr/lib/go-*/bin/go", "/usr/lib/go-1.22/bin/go"));
        assert!(!matches("/usr/lib/go-*", "/usr/lib/go-1.22/bin"));
        assert!(!matches("/usr/*/go", "/usr/local/lib/go"));
        assert!(matches("/bin/*sh", "/bin/bash"));
        assert!(!matches("/bin/*sh", "/bin/bashx"));
    }

    #[test]
    fn double_star_crosses_segments() {
        assert!(matches("/usr/**/go", "/usr/go"));
        assert!(matches("/usr/**/go", "/usr/local/go"));
        assert!(matches("/usr/**/go", "/usr/local/lib/x/go"));
        assert!(matches("/**/*.pem", "/etc/ssl/certs/ca.pem"));
        assert!(!matches("/usr/**/go", "/opt/go"));
    }

    #[test]
    fn prefixes_and_normalisation() {
        assert_eq!(literal_prefix("/usr/lib/go-*/bin"), "/usr/lib");
        assert_eq!(literal_prefix("/**/gcc"), "/");
        assert_eq!(literal_prefix("/bin/sh"), "/bin");
        assert_eq!(normalize("usr//bin/./sh/"), "/usr/bin/sh");
        assert!(is_glob("/a/*"));
        assert!(!is_glob("/a/b"));
    }

    #[test]
    fn wildcard_for_image_names() {
        assert!(wildcard(
            "gcr.io/distroless/*",
            "gcr.io/distroless/static-debian12:nonroot"
        ));
        assert!(wildcard("scratch", "scratch"));
        assert!(!wildcard("scratch", "scratchy"));
        assert!(!wildcard("gcr.io/distroless/*", "debian:bookworm"));
    }
}
