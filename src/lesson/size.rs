//! Sizes as lesson authors write them (`"20MB"`, `"1.5GB"`, `"800kB"`,
//! `"512B"`, or bytes) and as learners read them (decimal units, as
//! `docker images` prints them).

/// Parse a size. Units are decimal: 1 MB = 1,000,000 bytes. Case of the unit
/// is forgiven (`mb`, `Mb`), `KiB`-style binary units are accepted too.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("a size cannot be empty; write e.g. \"20MB\"".into());
    }
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let unit = unit.trim();
    if num.is_empty() {
        return Err(format!(
            "`{t}` is not a size: it must start with a number, e.g. \"20MB\""
        ));
    }
    let value: f64 = num
        .parse()
        .map_err(|_| format!("`{num}` in `{t}` is not a number"))?;
    let mult: f64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" | "k" => 1e3,
        "mb" | "m" => 1e6,
        "gb" | "g" => 1e9,
        "tb" => 1e12,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => {
            return Err(format!(
                "unknown size unit `{unit}` in `{t}`; use B, kB, MB or GB (decimal, as `docker images` prints)"
            ))
        }
    };
    let bytes = value * mult;
    if !bytes.is_finite() || bytes > u64::MAX as f64 {
        return Err(format!("`{t}` is too large"));
    }
    Ok(bytes.round() as u64)
}

/// Format bytes the way `docker images` does: decimal units, one decimal
/// place under 100 (`1.3 MB`, `462.3 MB`, `20 MB` for exact values).
pub fn format_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut v = bytes as f64;
    let mut i = 0;
    while v >= 1000.0 && i < UNITS.len() - 1 {
        v /= 1000.0;
        i += 1;
    }
    if i == 0 {
        return format!("{bytes} B");
    }
    let rounded = (v * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{} {}", rounded as u64, UNITS[i])
    } else {
        format!("{rounded:.1} {}", UNITS[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documented_spellings() {
        assert_eq!(parse_size("20MB"), Ok(20_000_000));
        assert_eq!(parse_size("1.5GB"), Ok(1_500_000_000));
        assert_eq!(parse_size("800kB"), Ok(800_000));
        assert_eq!(parse_size("512B"), Ok(512));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size(" 20 MB "), Ok(20_000_000));
        assert_eq!(parse_size("1MiB"), Ok(1_048_576));
    }

    #[test]
    fn rejects_bad_sizes_with_a_reason() {
        let e = parse_size("20XB").err().unwrap_or_default();
        assert!(e.contains("unknown size unit `XB`"), "{e}");
        assert!(parse_size("").is_err());
        assert!(parse_size("MB")
            .err()
            .is_some_and(|e| e.contains("must start with a number")));
        assert!(parse_size("1.2.3MB").is_err());
        assert!(parse_size("99999999999999999999999TB").is_err());
    }

    #[test]
    fn formats_like_docker_images() {
        assert_eq!(format_size(462_300_000), "462.3 MB");
        assert_eq!(format_size(1_300_000), "1.3 MB");
        assert_eq!(format_size(20_000_000), "20 MB");
        assert_eq!(format_size(512), "512 B");
        assert_eq!(format_size(1_500_000_000), "1.5 GB");
    }
}
