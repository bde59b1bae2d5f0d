//! Wall-clock time in Unix seconds, the unit of every stored time and token claim.

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// RFC 3339 (UTC) rendering of a Unix time, as the `sessions` endpoint returns it.
pub fn rfc3339(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

/// A Unix time for people (mails): `2026-12-03 10:00 UTC`.
pub fn in_words(unix: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(format).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn unix_times_render_as_rfc3339_utc() {
        assert_eq!(super::rfc3339(1_800_000_000), "2027-01-15T08:00:00Z");
    }

    #[test]
    fn unix_times_read_as_words_in_utc() {
        assert_eq!(super::in_words(1_800_000_000), "2027-01-15 08:00 UTC");
    }
}
