//! Language tags (`de`, `pt-BR`, `zh-Hans`): which spellings are tags, and
//! which of the available languages answers a tag that was asked for. The
//! lesson pack's translations, the settings file, `--lang` and the UI string
//! table all follow these rules.

/// A BCP 47-like tag: two or three letters, then `-` and letters or digits
/// (`de`, `pt-BR`, `zh-Hans`).
pub fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// For clap: `--lang` and `DOCKDOJO_LANG` must be a language tag.
pub fn parse_tag(s: &str) -> Result<String, String> {
    if is_language_tag(s) {
        Ok(s.to_string())
    } else {
        Err(
            "a language tag such as `de` or `pt-BR` (letters, then `-` and letters or digits)"
                .into(),
        )
    }
}

/// The language without its region or script: `de-AT` -> `de`.
pub fn primary(tag: &str) -> &str {
    tag.split('-').next().unwrap_or(tag)
}

/// Tags are compared without regard to case (`pt-br` is `pt-BR`).
pub fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Which of `available` answers `asked`: the same tag, else the same
/// language without its region (`de-AT` finds `de`). `None` when none does.
pub fn pick<'a>(asked: &str, available: &[&'a str]) -> Option<&'a str> {
    available
        .iter()
        .find(|a| same(a, asked))
        .or_else(|| available.iter().find(|a| same(a, primary(asked))))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags() {
        for ok in ["de", "en", "pt-BR", "zh-Hans", "gsw"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in ["", "d", "deutsch", "de_DE", "de-", "../x"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
        assert!(parse_tag("de").is_ok());
        assert!(parse_tag("german").is_err());
    }

    #[test]
    fn picking_a_language() {
        let av = ["de", "pt-BR"];
        assert_eq!(pick("de", &av), Some("de"));
        assert_eq!(pick("DE", &av), Some("de"));
        assert_eq!(pick("de-AT", &av), Some("de"));
        assert_eq!(pick("pt-br", &av), Some("pt-BR"));
        assert_eq!(pick("pt", &av), None);
        assert_eq!(pick("fr", &av), None);
        assert_eq!(primary("zh-Hans-CN"), "zh");
    }
}
