//! Counting OS packages in package databases (pure).

/// Packages in a dpkg `status` file (or one `status.d/` file): stanzas with
/// a `Package:` field whose `Status:` (when present) says installed.
pub fn count_dpkg(text: &str) -> u32 {
    let mut n = 0;
    for stanza in text.split("\n\n") {
        let mut package = false;
        let mut installed = true;
        for line in stanza.lines() {
            if line.starts_with("Package:") {
                package = true;
            } else if let Some(st) = line.strip_prefix("Status:") {
                let words: Vec<&str> = st.split_whitespace().collect();
                installed = words.last() == Some(&"installed") && words.first() != Some(&"purge");
                if words.last() == Some(&"not-installed") {
                    installed = false;
                }
            }
        }
        if package && installed {
            n += 1;
        }
    }
    n
}

/// Packages in an apk `installed` database: one `P:` line per package.
pub fn count_apk(text: &str) -> u32 {
    text.lines().filter(|l| l.starts_with("P:")).count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dpkg_counts_installed_stanzas() {
        let t = "Package: base-files\nStatus: install ok installed\nVersion: 12\n\n\
                 Package: old\nStatus: deinstall ok config-files\n\n\
                 Package: libc6\nStatus: install ok installed\n";
        assert_eq!(count_dpkg(t), 2);
        // distroless status.d files have a single stanza, sometimes without Status
        assert_eq!(count_dpkg("Package: tzdata\nVersion: 2024a\n"), 1);
        assert_eq!(count_dpkg(""), 0);
    }

    #[test]
    fn apk_counts_p_lines() {
        let t = "C:Q1abc\nP:musl\nV:1.2\n\nC:Q1def\nP:busybox\nV:1.36\n";
        assert_eq!(count_apk(t), 2);
        assert_eq!(count_apk("garbage"), 0);
    }
}
