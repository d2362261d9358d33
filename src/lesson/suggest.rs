//! "Did you mean ...?" for misspelt names.

/// Edit distance (insert, delete, substitute, swap of neighbours: the
/// optimal string alignment distance), on at most 64 characters of each side.
fn distance(a: &str, b: &str) -> usize {
    let a: String = a.chars().take(64).collect();
    let b: String = b.chars().take(64).collect();
    strsim::osa_distance(&a, &b)
}

fn normalise(s: &str) -> String {
    s.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == '-' || c == ' ' { '_' } else { c })
        .collect()
}

/// The known name closest to `input`, if it is close enough to be a typo.
pub fn closest<'k>(input: &str, known: &[&'k str]) -> Option<&'k str> {
    if input.chars().count() > 64 || known.len() > 1000 {
        return None;
    }
    let n = normalise(input);
    // Same name but for case, `-` or `_`/`.` mix-ups.
    if let Some(k) = known
        .iter()
        .find(|k| normalise(k) == n || normalise(k).replace('.', "_") == n.replace('.', "_"))
    {
        return Some(k);
    }
    // `size` for `image.size`.
    let by_suffix: Vec<&&str> = known
        .iter()
        .filter(|k| k.rsplit('.').next() == Some(n.as_str()))
        .collect();
    if by_suffix.len() == 1 {
        return Some(by_suffix[0]);
    }
    let len = n.chars().count();
    let limit = if len < 3 { 0 } else { (len / 3).max(1) };
    known
        .iter()
        .map(|k| (distance(&n, &normalise(k)), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// `; did you mean `x`?` or nothing.
pub fn did_you_mean(input: &str, known: &[&str]) -> String {
    match closest(input, known) {
        Some(k) => format!("; did you mean `{k}`?"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos() {
        let kinds = [
            "image.size",
            "image.size_ratio",
            "image.exists",
            "network.reach",
        ];
        assert_eq!(closest("image.sise", &kinds), Some("image.size"));
        assert_eq!(closest("image_size", &kinds), Some("image.size"));
        assert_eq!(closest("Image.Size", &kinds), Some("image.size"));
        assert_eq!(closest("reach", &kinds), Some("network.reach"));
        assert_eq!(closest("image.exsits", &kinds), Some("image.exists"));
        assert_eq!(closest("completely.different", &kinds), None);
        assert_eq!(closest(&"x".repeat(500), &kinds), None);
        assert_eq!(closest("titel", &["title", "summary"]), Some("title"));
        assert_eq!(did_you_mean("titel", &["title"]), "; did you mean `title`?");
        assert_eq!(did_you_mean("zzz", &["title"]), "");
        // Very short names are too easy to confuse.
        assert_eq!(closest("c", &["b"]), None);
    }

    #[test]
    fn distance_basics() {
        assert_eq!(distance("", ""), 0);
        assert_eq!(distance("abc", ""), 3);
        assert_eq!(distance("ab", "ba"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
