//! The logic of the default policies, in plain Rust with no bindings: each guest converts its
//! generated WIT types to these views and back, and the host's benchmark calls the same code
//! natively as the baseline. Also the helpers every policy shares (config, percentages, dates).

pub mod methods;
pub mod pricing;
pub mod selection;

/// The value of `key` in a config (the last one wins if a key repeats).
pub fn get<'a>(config: &'a [(String, String)], key: &str) -> Option<&'a str> {
    config
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.trim())
}

/// Every `(rest, value)` whose key is `prefix` followed by `rest`.
pub fn with_prefix<'a>(
    config: &'a [(String, String)],
    prefix: &'a str,
) -> impl Iterator<Item = (&'a str, &'a str)> {
    config
        .iter()
        .filter_map(move |(k, v)| k.strip_prefix(prefix).map(|rest| (rest, v.trim())))
}

/// `percent` % of `minor`, rounded half away from zero, never more than `minor`.
pub fn percent_of(minor: i64, percent: u32) -> i64 {
    let p = i128::from(percent.min(100));
    let v = i128::from(minor) * p;
    let rounded = if v >= 0 {
        (v + 50) / 100
    } else {
        (v - 50) / 100
    };
    rounded as i64
}

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The first millisecond after the UTC day `YYYY-MM-DD` ends, or `None` if it is not a date.
pub fn end_of_day_ms(date: &str) -> Option<i64> {
    let mut parts = date.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    Some((days_from_civil(year, month, day) + 1) * DAY_MS)
}

/// Day of the week of a UTC instant: 0 is Monday, 6 is Sunday.
pub fn weekday(ms: i64) -> u32 {
    let days = ms.div_euclid(DAY_MS);
    // 1970-01-01 was a Thursday (3).
    ((days + 3).rem_euclid(7)) as u32
}

/// Parses `mon`, `tue`, ... `sun` (or full names) to 0..=6.
pub fn parse_weekday(name: &str) -> Option<u32> {
    let n = name.trim().to_ascii_lowercase();
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .position(|d| n.starts_with(d))
        .map(|i| i as u32)
}

/// A comma-separated list, trimmed, without empty items.
pub fn list(value: &str) -> impl Iterator<Item = &str> {
    value.split(',').map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_weekdays() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(end_of_day_ms("1970-01-01"), Some(DAY_MS));
        assert_eq!(weekday(0), 3);
        // 2026-11-28 is a Saturday.
        assert_eq!(weekday(days_from_civil(2026, 11, 28) * DAY_MS + 1), 5);
        assert_eq!(percent_of(25_000, 10), 2_500);
        assert_eq!(percent_of(999, 15), 150);
        assert_eq!(end_of_day_ms("2026-13-01"), None);
    }
}
