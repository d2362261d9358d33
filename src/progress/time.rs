//! RFC 3339 timestamps (UTC), whole seconds.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, as `2026-11-25T16:59:39Z`.
pub fn now_rfc3339() -> String {
    rfc3339(SystemTime::now())
}

/// A time as RFC 3339 in UTC, whole seconds.
pub fn rfc3339(t: SystemTime) -> String {
    let secs = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    };
    format_unix(secs)
}

/// Seconds since the epoch as RFC 3339 in UTC.
pub fn format_unix(secs: i64) -> String {
    match jiff::Timestamp::from_second(secs) {
        Ok(t) => t.to_string(),
        Err(_) => "0000-00-00T00:00:00Z".to_string(),
    }
}

/// A compact stamp for file names: `20261125T165939Z`.
pub fn file_stamp() -> String {
    now_rfc3339().replace(['-', ':'], "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(format_unix(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_unix(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_unix(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(format_unix(4_102_444_799), "2099-12-31T23:59:59Z");
        assert_eq!(format_unix(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn stamp_has_no_separators() {
        let s = file_stamp();
        assert_eq!(s.len(), 16, "{s}");
        assert!(!s.contains(':') && !s.contains('-'));
    }
}
